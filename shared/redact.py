"""Secrets out of the logs: a complainant's access code and a client's API key are never written.

Both can arrive in a URL (`GET /api/v1/cases/<n>?access_code=…`, Open311's `?api_key=…`), and a
URL is what an access log writes. `redact` replaces the value of every `access_code` and `api_key`
parameter in a text (however its name is percent-encoded or capitalised, and in `"key": "value"`
form too) with `[redacted]`; `RedactingFilter` applies it to every record a logging handler
writes. shared/web.py sends the HTTP server's own lines through it, and `rongtuk run` puts the
filter on every handler of its logging configuration.
"""
import logging
import re
from urllib.parse import unquote_plus

SECRET_PARAMETERS = frozenset({"access_code", "api_key"})
REDACTED = "[redacted]"

# name=value in a query string, a form body or a request line: the name as sent, before decoding
_PAIR = re.compile(r"(?P<lead>^|[?&;\s\"'(,])(?P<name>[^=&?;\s\"'(),]+)=(?P<value>[^&;\s\"')]*)")
# "access_code": "…" or 'api_key': '…' (a dict or JSON written into a message)
_QUOTED = re.compile(r"(?P<name>[\"'](?:access_code|api_key)[\"']\s*:\s*)(?P<quote>[\"'])(?P<value>[^\"']*)(?P=quote)",
                     re.IGNORECASE)


def _secret_name(name):
    return unquote_plus(name).strip().lower() in SECRET_PARAMETERS


def redact(text):
    """The text with the value of every secret parameter replaced by [redacted]."""
    if not text or "=" not in text and ":" not in text:
        return text

    def pair(match):
        if not _secret_name(match["name"]):
            return match.group(0)
        return f"{match['lead']}{match['name']}={REDACTED}"

    text = _PAIR.sub(pair, text)
    return _QUOTED.sub(lambda m: f"{m['name']}{m['quote']}{REDACTED}{m['quote']}", text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with its secrets redacted (args merged in first)."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactingFilter()


def install(logger=None):
    """Put the filter on every handler of `logger` (default: the root logger) and its descendants
    that have handlers of their own; idempotent."""
    root = logger or logging.getLogger()
    loggers = [root] + [l for l in logging.Logger.manager.loggerDict.values() if isinstance(l, logging.Logger)]
    for each in loggers:
        for handler in each.handlers:
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)


class RedactingLog:
    """What eventlet.wsgi.Server takes as its `log` (info, debug, error, write), each line redacted
    before it reaches the logger, whatever handlers that logger has."""

    def __init__(self, logger):
        self.logger = logger

    def _emit(self, level, msg, args):
        if args:
            try:
                msg = msg % args
            except (TypeError, ValueError):
                msg = f"{msg} {args!r}"
        if self.logger.isEnabledFor(level):
            self.logger.log(level, "%s", redact(str(msg).rstrip("\n")))

    def info(self, msg, *args, **kwargs):
        self._emit(logging.INFO, msg, args)

    def debug(self, msg, *args, **kwargs):
        self._emit(logging.DEBUG, msg, args)

    def error(self, msg, *args, **kwargs):
        self._emit(logging.ERROR, msg, args)

    def write(self, msg, *args):
        self._emit(logging.INFO, msg, args)
