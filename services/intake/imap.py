"""The mailbox the e-mail channel reads: a small IMAP client on the stdlib's imaplib.

Under nameko (and `nameko test`) eventlet's monkey patch makes imaplib's sockets green, so a
poll waits on the network without blocking the service. Each call opens its own connection,
does one thing and logs out: a poll every half minute does not need a session kept alive,
and nothing is left half-open when the server or the service restarts.

Folder names may be Thai: they are sent in IMAP's modified UTF-7 (RFC 3501 5.1.3), quoted.
"""
import base64
import imaplib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from services.intake.exceptions import ImapError

TIMEOUT = 30.0  # seconds; a hung server makes one poll fail instead of stopping the channel
FETCH_LIMIT = 50  # messages per poll: a full mailbox is worked off over several polls, not in one


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str = field(repr=False)  # kept out of reprs, hence out of logs and tracebacks
    folder: str = "INBOX"
    ssl: bool = False
    processed_folder: str | None = None  # when set, handled messages are moved there

    @classmethod
    def from_config(cls, config):
        """The MAILBOX section of a service config; None when no host is set (channel off)."""
        section = (config or {}).get("MAILBOX") or {}
        host = str(section.get("host") or "").strip()
        if not host:
            return None
        ssl = _flag(section.get("ssl"))
        return cls(
            host=host,
            port=int(section.get("port") or (993 if ssl else 143)),
            user=str(section.get("user") or ""),
            password=str(section.get("password") or ""),
            folder=str(section.get("folder") or "INBOX"),
            ssl=ssl,
            processed_folder=str(section.get("processed_folder") or "").strip() or None,
        )


def _flag(value):
    """YAML gives a bool; an environment variable substituted into it may still be a string."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def fetch_unseen(settings, limit=FETCH_LIMIT):
    """[(uid, raw bytes)] of the folder's unseen messages, oldest first, at most `limit`.

    BODY.PEEK leaves them unseen: a message is marked seen (mark_seen) only once it is handled,
    so one fetched and then lost to a crash is fetched again.
    """
    with _session(settings) as imap:
        _check(imap.select(_quote(settings.folder), readonly=True), "select the folder")
        uids = _check(imap.uid("SEARCH", None, "UNSEEN"), "search for unseen messages")[0].split()
        return [(int(uid), _fetch(imap, uid)) for uid in uids[:limit]]


def mark_seen(settings, uids):
    """Flag the messages \\Seen (and move them to processed_folder when one is configured)."""
    uids = [str(int(uid)) for uid in uids]
    if not uids:
        return
    with _session(settings) as imap:
        _check(imap.select(_quote(settings.folder)), "select the folder")
        message_set = ",".join(uids)
        _check(imap.uid("STORE", message_set, "+FLAGS.SILENT", r"(\Seen)"), "mark messages seen")
        if settings.processed_folder:
            _check(imap.uid("MOVE", message_set, _quote(settings.processed_folder)),
                   "move messages to the processed folder")


@contextmanager
def _session(settings):
    """A logged-in connection for one task, always logged out (or closed) afterwards."""
    connect = imaplib.IMAP4_SSL if settings.ssl else imaplib.IMAP4
    try:
        imap = connect(settings.host, settings.port, timeout=TIMEOUT)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ImapError(f"cannot connect to {settings.host}:{settings.port} ({type(exc).__name__}: {exc})") from exc
    try:
        try:
            imap.login(settings.user, settings.password)
        except imaplib.IMAP4.error as exc:
            raise ImapError(f"login refused for the mailbox user ({exc})") from exc
        except UnicodeError as exc:  # not echoed: it is about the password
            raise ImapError("the mailbox user and password must be ASCII (imaplib's LOGIN)") from exc
        try:
            yield imap
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ImapError(f"IMAP conversation failed ({type(exc).__name__}: {exc})") from exc
    finally:
        _logout(imap)


def _logout(imap):
    try:
        imap.logout()
    except (OSError, imaplib.IMAP4.error):
        pass  # the server went away first: nothing left to close


def _check(response, step):
    """imaplib answers (status, data) instead of raising on NO/BAD: make those errors."""
    status, data = response
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise ImapError(f"could not {step}: {status} {detail}".strip())
    return data


def _fetch(imap, uid):
    """One message's raw bytes, by UID."""
    data = _check(imap.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetch message {int(uid)}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise ImapError(f"message {int(uid)} came back without a body")


def _quote(folder):
    """A mailbox name as IMAP sends it: modified UTF-7 (so Thai names work), quoted (so spaces do)."""
    return '"' + re.sub(r'(["\\])', r"\\\1", _modified_utf7(folder)) + '"'


def _modified_utf7(name):
    """RFC 3501 5.1.3: printable ASCII as is ('&' as '&-'), every other run as '&' + base64 of its
    UTF-16BE, with ',' for '/' and no padding, + '-'."""
    out, run = [], []

    def close_run():
        if run:
            encoded = base64.b64encode("".join(run).encode("utf-16-be")).decode("ascii")
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            run.clear()

    for ch in name:
        if " " <= ch <= "~":
            close_run()
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    close_run()
    return "".join(out)
