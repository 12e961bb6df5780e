"""Webhooks: chosen case events POSTed, signed, to the other systems of an office.

The WEBHOOKS section lists the endpoints, each with a `name` (a-z, 0-9, `_`, `-`; up to 40), the
`url` (http or https), a shared `secret` (16 characters or more), the `events` it wants and an
optional `timeout` in seconds (default 10):

    WEBHOOKS:
      - name: crm
        url: https://crm.example.go.th/rongtuk
        secret: ${WEBHOOK_CRM_SECRET}
        events: [routing.case_answered, sla.*]

Which events can be chosen: those in HOOKED below (notify listens for them): intake.case_received,
case_reopened, case_reply_received; routing.case_routed, case_rerouted, case_info_requested,
case_info_received, case_forwarded, case_answered, case_answered_from_kb; sla.sla_warning,
sla_breached, sla_escalated, sla_clock_stopped; or every one of a source (`routing.*`), or all (`*`).
An event name that is not one of them is refused when the configuration is read. Free texts
(subject, description, an officer's name, note, question or answer, a reason, a file's name) are
sent as "…" unless the endpoint says `text: true`: an office's other system that should see them
is named as such.

What is sent (`payload`): one JSON object per event, UTF-8 (Thai as is, not \\u-escaped), keys
sorted, no spaces:

    {"case_id": "…", "data": {…}, "event": "routing.case_answered", "event_id": "…",
     "occurred_at": "2026-12-01T03:30:00+00:00", "site_id": "HUB", "version": 2}

`data` is the rest of the event as its schema in shared/events.py says, at that `version`, without
anything personal: never `complainant` (who complained, as case_forwarded carries it) nor
`complainant_ref`, and never a value under a key named name, email, phone, address, national_id or
line_user_id, at any depth (such keys are left out). Times are ISO 8601 text.

The request: `POST <url>` with these headers:

    Content-Type: application/json; charset=utf-8
    User-Agent: Rongtuk-Webhook/1
    X-Rongtuk-Event: routing.case_answered
    X-Rongtuk-Delivery: <the same reference on every try of one delivery>
    X-Rongtuk-Timestamp: <unix time in seconds, an integer, when this try was sent>
    X-Rongtuk-Signature: sha256=<lowercase hex>

The signature is HMAC-SHA256, keyed with the endpoint's secret (its UTF-8 bytes), over the
timestamp's digits, a dot, and the body exactly as received (bytes, before any JSON parsing):
`HMAC(secret, "<timestamp>." + body)`. A receiver computes the same, compares it in constant time
with X-Rongtuk-Signature, and refuses a timestamp more than 5 minutes from its own clock (a
request recorded and sent again later then fails). In Python (`verify` below does just this):

    import hashlib, hmac, time
    def verify(secret, timestamp, body, header):
        mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= 300
        return fresh and hmac.compare_digest("sha256=" + mac, header)

Answers: any 2xx takes the delivery (the body of the answer is not read). A 4xx other than 408 and
429 refuses it (SendRefused: not sent again; the status is kept with the delivery). A 408, 429, 5xx,
3xx (redirects are not followed), a timeout or a connection that fails raises WebhookError and the
caller tries again later, with backoff; a 429's Retry-After (seconds) is kept as `retry_after`.

Duplicates: a try whose answer was lost (a timeout after the receiver took it) is sent again, so a
receiver can see one delivery more than once: every try carries the same X-Rongtuk-Delivery (and
the same body; only the timestamp and signature change), and the event's `event_id` is the same
too. A receiver that keeps the references it has taken can drop a repeat.
"""
import hashlib
import hmac
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import requests

from services.notify.exceptions import SendRefused
from services.notify.retry import retry_after_seconds
from shared.events import REGISTRY

# The case events an endpoint may choose: notify listens for these (a queue each, services/notify/
# service.py), whether or not an endpoint wants them.
HOOKED = (
    ("intake", "case_received"), ("intake", "case_reopened"), ("intake", "case_reply_received"),
    ("routing", "case_routed"), ("routing", "case_rerouted"), ("routing", "case_info_requested"),
    ("routing", "case_info_received"), ("routing", "case_forwarded"), ("routing", "case_answered"),
    ("routing", "case_answered_from_kb"),
    ("sla", "sla_warning"), ("sla", "sla_breached"), ("sla", "sla_escalated"), ("sla", "sla_clock_stopped"),
)
assert all(any((s, n) == (source, name) for source, name, _v in REGISTRY) for s, n in HOOKED)
EVENTS = frozenset(f"{source}.{name}" for source, name in HOOKED)
SOURCES = frozenset(source for source, _name in HOOKED)
# What people wrote (a complaint's subject and description, an officer's note, question or answer, an
# officer's name): withheld ("…") unless the endpoint says `text: true`, as the hub's feed does.
TEXTS = frozenset({"subject", "description", "question", "answer", "note", "reason", "kind_reason", "officer",
                   "filename"})
WITHHELD = "…"
ENVELOPE = ("event_id", "occurred_at", "site_id", "case_id", "version")
# who complained: whole fields never sent
PERSONAL_FIELDS = frozenset({"complainant", "complainant_ref"})
# keys never sent, wherever they are in the event (compared without regard to case)
PERSONAL_KEYS = frozenset({"name", "email", "phone", "address", "national_id", "line_user_id"})
SETTINGS = frozenset({"name", "url", "secret", "events", "timeout", "text"})
NAME = re.compile(r"[a-z0-9_-]{1,40}")
MIN_SECRET = 16
DEFAULT_TIMEOUT = 10.0
TOLERANCE = 300
USER_AGENT = "Rongtuk-Webhook/1"


class WebhookError(RuntimeError):
    """A webhook the endpoint did not take this time (unreachable, timed out, 408, 429, 5xx): the
    delivery is retried. `retry_after`: the seconds a 429 asked to wait, or None."""

    def __init__(self, message, status=None, retry_after=None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str
    secret: str = field(repr=False)
    events: tuple = ()
    timeout: float = DEFAULT_TIMEOUT
    text: bool = False  # free texts sent as written (else withheld)

    def wants(self, source, name):
        """Whether the event `source.name` goes to this endpoint."""
        return any(pattern == "*" or pattern == f"{source}.*" or pattern == f"{source}.{name}"
                   for pattern in self.events)


def parse_endpoints(section):
    """The WEBHOOKS section (a list of endpoints; None or empty: none) as Endpoints; ValueError,
    naming the item and the field, for anything wrong."""
    if section is None or section == "" or section == []:
        return ()
    if not isinstance(section, (list, tuple)):
        raise ValueError(f"WEBHOOKS is a list of endpoints, not {type(section).__name__}")
    endpoints, names = [], set()
    for index, item in enumerate(section):
        endpoint = _endpoint(index, item)
        if endpoint.name in names:
            raise ValueError(f"WEBHOOKS[{index}] ({endpoint.name}): name {endpoint.name!r} is used by an "
                             f"earlier endpoint; each name is used once")
        names.add(endpoint.name)
        endpoints.append(endpoint)
    return tuple(endpoints)


def _endpoint(index, item):
    where = f"WEBHOOKS[{index}]"
    if not isinstance(item, dict):
        raise ValueError(f"{where}: an endpoint is a mapping (name, url, secret, events), "
                         f"not {type(item).__name__}")
    name = item.get("name")
    if isinstance(name, str) and name:
        where = f"{where} ({name})"
    unknown = set(item) - SETTINGS
    if unknown:
        raise ValueError(f"{where}: unknown settings {', '.join(sorted(map(str, unknown)))}; "
                         f"an endpoint has {', '.join(sorted(SETTINGS))}")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError(f"{where}: name is required: 1 to 40 of a-z, 0-9, '_' and '-', not {name!r}")
    url = item.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{where}: url is required: an http:// or https:// address, not {url!r}")
    secret = item.get("secret")
    if not isinstance(secret, str) or len(secret) < MIN_SECRET:
        raise ValueError(f"{where}: secret is required: at least {MIN_SECRET} characters"
                         + ("" if secret in (None, "") else f", not {len(str(secret))}"))
    text = item.get("text", False)
    if not isinstance(text, bool):
        raise ValueError(f"{where}: text is true or false, not {text!r}")
    return Endpoint(name=name, url=url, secret=secret, events=_events(where, item.get("events")),
                    timeout=_timeout(where, item.get("timeout")), text=text)


def _events(where, events):
    if isinstance(events, str) or not isinstance(events, (list, tuple)) or not events:
        raise ValueError(f"{where}: events is required: a list of 'source.name', 'source.*' or '*'")
    chosen = []
    for event in events:
        if not isinstance(event, str):
            raise ValueError(f"{where}: events: {event!r} is not a 'source.name'")
        event = event.strip()
        source, dot, name = event.partition(".")
        if event == "*" or (dot and name == "*" and source in SOURCES) or event in EVENTS:
            if event not in chosen:
                chosen.append(event)
        elif dot and name == "*":
            raise ValueError(f"{where}: events: no source {source!r}; sources are {', '.join(sorted(SOURCES))}")
        else:
            raise ValueError(f"{where}: events: no event {event!r}; events are written 'source.name', "
                             f"e.g. 'routing.case_answered' (see shared/events.py)")
    return tuple(chosen)


def _timeout(where, value):
    if value is None or value == "":
        return DEFAULT_TIMEOUT
    try:
        if isinstance(value, bool):
            raise ValueError
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not 0 < seconds <= 300:
        raise ValueError(f"{where}: timeout is seconds, more than 0 and at most 300, not {value!r}")
    return seconds


def payload(source, name, event, text=False):
    """What an endpoint is sent for one event (its wire form or as loaded): the envelope, and the
    rest of the event as `data`, without `complainant` or `complainant_ref` and without any key
    named name, email, phone, address, national_id or line_user_id at any depth; times as ISO 8601
    text."""
    body = {"event": f"{source}.{name}"}
    for key in ENVELOPE:
        body[key] = _plain(event.get(key))
    body["data"] = {key: _scrubbed(value, text, key) for key, value in event.items()
                    if key not in ENVELOPE and key not in PERSONAL_FIELDS and not _personal(key)}
    return body


def _personal(key):
    return isinstance(key, str) and key.lower() in PERSONAL_KEYS


def _scrubbed(value, text=True, key=None):
    if isinstance(value, dict):
        return {k: _scrubbed(inner, text, k) for k, inner in value.items() if not _personal(k)}
    if isinstance(value, (list, tuple)):
        return [_scrubbed(inner, text, key) for inner in value]
    if not text and key in TEXTS and isinstance(value, str):
        return WITHHELD
    return _plain(value)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def encode(body):
    """The bytes POSTed: JSON, UTF-8 (not ASCII-escaped), keys sorted, no spaces."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_json_default).encode("utf-8")


def _json_default(value):
    plain = _plain(value)
    if plain is value:
        raise TypeError(f"{type(value).__name__} is not sent in a webhook")
    return plain


def signature(secret, timestamp, body_bytes):
    """X-Rongtuk-Signature: "sha256=" and the hex HMAC-SHA256, keyed with the secret, of
    "<timestamp>." followed by the body's bytes."""
    key = secret if isinstance(secret, bytes) else str(secret).encode("utf-8")
    if isinstance(timestamp, bytes):
        timestamp = timestamp.decode("ascii")
    mac = hmac.new(key, f"{timestamp}.".encode("ascii") + bytes(body_bytes), hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret, timestamp, body_bytes, header, now=None, tolerance=TOLERANCE):
    """What a receiver checks: the X-Rongtuk-Signature `header` is the signature of this timestamp
    and body (compared in constant time), and the timestamp is within `tolerance` seconds of `now`
    (default: the clock), neither older nor newer."""
    if isinstance(timestamp, bytes):
        timestamp = timestamp.decode("ascii", "replace")
    if isinstance(header, bytes):
        header = header.decode("ascii", "replace")
    timestamp = str(timestamp).strip()
    if not header or not re.fullmatch(r"[0-9]{1,12}", timestamp):
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, timestamp, body_bytes)
    return hmac.compare_digest(expected.encode("ascii"), str(header).strip().encode("utf-8", "replace"))


class WebhookPoster:
    """POSTs a payload, signed, to a configured endpoint by its name."""

    def __init__(self, endpoints, session=None):
        self.endpoints = {endpoint.name: endpoint for endpoint in endpoints or ()}
        self.session = session if session is not None else requests.Session()

    def send(self, endpoint_name, body, reference):
        """POST `body` (a `payload`) to the endpoint; `reference` is the delivery's, the same on
        every try. Returns on a 2xx; SendRefused when the endpoint refused it (a 4xx but 408 and
        429) or is no longer configured; WebhookError when it should be tried again."""
        endpoint = self.endpoints.get(endpoint_name)
        if endpoint is None:
            raise SendRefused(f"no webhook endpoint {endpoint_name!r} is configured now")
        data = encode(body)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Rongtuk-Event": str(body["event"]),
            "X-Rongtuk-Delivery": str(reference),
            "X-Rongtuk-Timestamp": timestamp,
            "X-Rongtuk-Signature": signature(endpoint.secret, timestamp, data),
        }
        try:
            response = self.session.post(endpoint.url, data=data, headers=headers, timeout=endpoint.timeout,
                                         allow_redirects=False)
        except requests.RequestException as exc:
            raise WebhookError(f"webhook {endpoint.name} not reachable: {type(exc).__name__}") from None
        try:
            status = response.status_code
            if 200 <= status < 300:
                return
            if 400 <= status < 500 and status not in (408, 429):
                raise SendRefused(f"webhook {endpoint.name} refused it: {status} {_said(response)}".rstrip())
            retry_after = retry_after_seconds(response.headers.get("Retry-After")) if status == 429 else None
            raise WebhookError(f"webhook {endpoint.name} answered {status}", status=status, retry_after=retry_after)
        finally:
            response.close()


class WebhookSender:
    """The webhook channel as notify's senders are: a logged delivery's recipient is the endpoint's
    name and its body the payload's JSON (services/notify/deliveries.py)."""

    def __init__(self, endpoints, session=None):
        self.endpoints = tuple(endpoints)
        self.poster = WebhookPoster(self.endpoints, session)

    def wanting(self, source, name):
        return [endpoint for endpoint in self.endpoints if endpoint.wants(source, name)]

    def send(self, to, subject, body, reference=None):
        self.poster.send(to, json.loads(body), reference)


def _said(response):
    """What a refusing endpoint said, on one line, at most 200 characters."""
    try:
        return " ".join(response.text.split())[:200]
    except Exception:  # an answer that cannot be read is no reason not to refuse
        return ""
