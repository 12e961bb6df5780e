"""The case-event feed: what a district tells the hub that watches it, and how the hub keeps count.

A district's reporting hears every case event of its site once (its inbox), so it is the feed's one
writer: each event it folds is also written, redacted, to its `feed_events` table under the next
number of the site's feed (1, 2, 3… with no gap: the number is taken in the transaction that
writes the row), and published from there, in order, to the feed exchange. The hub's reporting
folds what arrives, counts per site what it received, and asks the district to publish again any
range it missed (`feed_replay`). A plain module: the rules of the feed, no broker or database.

What leaves the district is the event without anything personal or free: the complainant's
reference and any contact details never; the texts people wrote (subject, description, answer,
reasons, questions, notes, officers' names, file names) only when the site allows text to its hub
(FEED.text). A withheld text is replaced by WITHHELD, so every event still reads as its schema says.
"""
import copy
from dataclasses import dataclass

from marshmallow import RAISE, Schema, fields, validate

from shared.fields import StrictInteger

WITHHELD = "…"

# Per event, the free texts the feed withholds unless text is allowed: paths in the event's body
# (a name, or "record.subject" inside a nested object, or "documents[].filename" in each item).
TEXTS = {
    "case_received": ("subject", "description"),
    "case_routed": ("reason", "kind_reason"),
    "case_kind_changed": ("reason", "officer"),
    "case_triage_needed": ("reason",),
    "case_rerouted": ("reason", "officer"),
    "case_routing_confirmed": ("officer",),
    "case_info_requested": ("question", "officer"),
    "case_info_received": ("officer",),
    "case_answered_from_kb": ("answer",),
    "case_units_assigned": ("reason", "officer"),
    "case_unit_status_changed": ("note", "officer"),
    "case_forwarded": ("reason", "officer", "record.subject", "record.description"),
    "case_answered": ("answer", "officer", "documents[].filename"),
    "sla_clock_paused": ("reason",),
}
# Never sent, text allowed or not: who complained, by reference or by contact details.
PERSONAL = {
    "case_received": ("complainant_ref",),
    "case_forwarded": ("complainant",),
}


def outgoing(event_type, body, allow_text=False):
    """The event as the feed carries it: a copy, its personal fields set to None and, unless text is
    allowed, its free texts replaced by WITHHELD (a note that was None stays None)."""
    redacted = copy.deepcopy(body)
    for path in PERSONAL.get(event_type, ()):
        _replace(redacted, path, lambda _value: None)
    if not allow_text:
        for path in TEXTS.get(event_type, ()):
            _replace(redacted, path, lambda value: None if value is None else WITHHELD)
    return redacted


def _replace(body, path, new):
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        for item in body.get(head[:-2]) or ():
            _replace(item, rest, new)
    elif rest:
        if isinstance(body.get(head), dict):
            _replace(body[head], rest, new)
    elif head in body:
        body[head] = new(body[head])


class FeedMessage(Schema):
    """One event on the feed: which site, its number in that site's feed, and the event itself
    (checked against its own schema when the hub reads it)."""
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    seq = StrictInteger(required=True, validate=validate.Range(min=1))
    source = fields.String(required=True, validate=validate.OneOf(("intake", "routing", "sla", "notify")))
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    fed_at = fields.AwareDateTime(required=True)
    event = fields.Dict(required=True)


class Heartbeat(Schema):
    """A district saying the last number of its feed it published (so a lost tail shows as a gap)."""
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    last_seq = StrictInteger(required=True, validate=validate.Range(min=0))
    at = fields.AwareDateTime(required=True)


class ReplayRequest(Schema):
    """The hub asking a district to publish a range of its feed again."""
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))   # the hub
    to_site = fields.String(required=True, validate=validate.Length(min=1, max=32))   # the district
    from_seq = StrictInteger(required=True, validate=validate.Range(min=1))
    to_seq = StrictInteger(required=True, validate=validate.Range(min=1))


@dataclass(frozen=True)
class FeedSettings:
    """The FEED section. A site either feeds a hub (`hub`) or receives feeds (`receive`), not both."""
    hub: str | None = None       # the site this one feeds; None: it feeds none
    text: bool = False           # free texts go with the feed
    keep_days: int = 30          # published feed events kept this long, for replays
    receive: bool = False        # this site is a hub: it folds the feeds of the sites linked to it
    replay_after: float = 60.0   # seconds a gap waits before the hub asks for it again
    poll_interval: float = 1.0   # seconds between two looks for unpublished feed events
    heartbeat: float = 30.0      # seconds between two heartbeats (the last number published)

    @classmethod
    def from_config(cls, config, own_site):
        section = config.get("FEED") or {}
        unknown = set(section) - set(cls.__dataclass_fields__) - {"upkeep_interval"}
        if unknown:
            raise ValueError(f"FEED: unknown settings {', '.join(sorted(unknown))}")
        hub = str(section.get("hub") or "").strip().upper() or None
        values = cls(hub=hub if hub != own_site else None, text=_flag(section.get("text"), False),
                     keep_days=int(section.get("keep_days") or 30), receive=_flag(section.get("receive"), False),
                     replay_after=float(section.get("replay_after") or 60.0),
                     poll_interval=float(section.get("poll_interval") or 1.0),
                     heartbeat=float(section.get("heartbeat") or 30.0))
        if values.hub and values.receive:
            raise ValueError(f"FEED: site {own_site} both feeds hub {values.hub} and receives feeds; a site "
                             f"does one or the other")
        if values.keep_days < 1:
            raise ValueError("FEED: keep_days is at least 1")
        return values


def _flag(value, default):
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def missing_ranges(after, received):
    """The numbers missing after `after` among the sorted `received` (all > after), as (first, last)
    ranges: missing_ranges(3, [5, 6, 9]) == [(4, 4), (7, 8)]."""
    ranges, expected = [], after + 1
    for seq in received:
        if seq > expected:
            ranges.append((expected, seq - 1))
        expected = max(expected, seq + 1)
    return ranges
