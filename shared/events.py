"""The wire contract: every event's source, name, version and marshmallow schema, in one place.

Every event carries the envelope (`event_id`, `occurred_at`, `site_id`, `case_id`, `version`).
A payload that does not match its schema is refused on the way out (a bug) and on the way in
(dead-lettered, see shared.delivery). Personal data never travels in events: a case refers to
its complainant by `complainant_ref`, and services that must contact them ask intake.
"""
import uuid
from dataclasses import dataclass
from datetime import datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.fields import StrictInteger, UUIDString
from shared.times import utcnow

CHANNELS = (
    "hotline", "phone", "fax", "web", "email", "counter", "letter", "po_box", "complaint_box",
    "line", "facebook", "field_inspection", "meeting", "referral",
)
KINDS = (1, 2, 3, 4)


class InvalidEvent(ValueError):
    """A message that does not match the contract; `errors` says which fields and why."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {}


class Envelope(Schema):
    class Meta:
        unknown = RAISE

    event_id = UUIDString(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    case_id = UUIDString(required=True)
    version = StrictInteger(required=True)


class CaseReceivedV1(Envelope):
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    received_at = fields.AwareDateTime(required=True)
    complainant_ref = UUIDString(required=True, allow_none=True)
    contact_channels = fields.List(fields.String(validate=validate.OneOf(("email", "phone", "line"))),
                                   required=True)


class LocationV2(Schema):
    class Meta:
        unknown = RAISE

    province = fields.String(allow_none=True, validate=validate.Length(max=100))
    district = fields.String(allow_none=True, validate=validate.Length(max=100))
    subdistrict = fields.String(allow_none=True, validate=validate.Length(max=100))
    has_coordinates = fields.Boolean(required=True)


class CaseReceivedV2(CaseReceivedV1):
    """v1 plus the classification subject, where, confidentiality and links to earlier cases."""
    category = fields.String(required=True, allow_none=True, validate=validate.Length(max=64))
    location = fields.Nested(LocationV2, required=True, allow_none=True)
    confidential = fields.Boolean(required=True)
    field_check = fields.Boolean(required=True)
    linked_case_id = UUIDString(required=True, allow_none=True)
    link_reason = fields.String(required=True, allow_none=True, validate=validate.OneOf(("repeat", "dispute")))


class ReferralV1(Schema):
    """The same case at another site: where it came from, or where this answer belongs."""
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    case_id = UUIDString(required=True)
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=40))


class CaseReceivedV3(CaseReceivedV2):
    """v2 plus `referral`: the case another site forwarded here, or None for a case received here."""
    referral = fields.Nested(ReferralV1, required=True, allow_none=True)


class CaseReceivedV4(CaseReceivedV3):
    """v3 with `kind` None when nobody gave one (no kind and no subject with a default): routing
    reads it from the words, and its `case_routed` carries the kind of the case from then on."""
    kind = StrictInteger(required=True, allow_none=True, validate=validate.OneOf(KINDS))


CONTACT_CHANNELS = ("email", "phone", "line", "address")


class CaseReceivedV5(CaseReceivedV4):
    """v4 with "address" among the contact channels: the complainant gave a postal address (a letter
    can reach them)."""
    contact_channels = fields.List(fields.String(validate=validate.OneOf(CONTACT_CHANNELS)), required=True)


class CaseReopenedV1(Envelope):
    """A closed case is open again: its result was disputed."""
    tracking_number = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("dispute",)))
    field_check = fields.Boolean(required=True)


class CaseReplyReceivedV1(Envelope):
    """The complainant wrote back about their case: an e-mail naming its tracking number, from the
    address they gave. What they wrote stays with the case at intake (`reply_id`); `answers_request`
    says the case was waiting for their answer to an officer's question (routing then takes it as the
    information received, and the clocks run again)."""
    tracking_number = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(("email", "line")))
    reply_id = UUIDString(required=True)
    answers_request = fields.Boolean(required=True)


class CaseReplyReceivedV2(CaseReplyReceivedV1):
    """As v1, and the complainant may also have answered on the tracking page of the office's web
    portal (`channel` "web", with the tracking number and access code)."""
    channel = fields.String(required=True, validate=validate.OneOf(("email", "line", "web")))


class CaseRatedV1(Envelope):
    """The complainant said how satisfied they are with how their answered case was handled: a score
    from 1 (not at all) to 5 (very). Once a case. What they wrote with it stays at intake."""
    tracking_number = fields.String(required=True)
    score = StrictInteger(required=True, validate=validate.Range(min=1, max=5))


class CaseRoutedV1(Envelope):
    tracking_number = fields.String(required=True)
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    received_at = fields.AwareDateTime(required=True)
    unit_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    unit_name = fields.String(required=True)
    reason = fields.String(required=True)


SLA_TARGETS = ("resolution", "first_notice", "forward_answer")


class CaseRoutedV2(CaseRoutedV1):
    """v1 plus how the unit was chosen: by a rule, the model (with its version and probability),
    an officer, or sent to triage; and why the kind is what it is."""
    method = fields.String(required=True, validate=validate.OneOf(("rule", "model", "triage", "officer")))
    score = fields.Float(required=True, allow_none=True)
    model_version = fields.String(required=True, allow_none=True)
    kind_reason = fields.String(required=True)


class CaseKindChangedV1(Envelope):
    """An officer corrected the case's kind: its deadlines are computed again from receipt."""
    tracking_number = fields.String(required=True)
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    previous_kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CaseTriageNeededV1(Envelope):
    """No rule or model was sure enough: a person must choose the unit."""
    tracking_number = fields.String(required=True)
    reason = fields.String(required=True)
    candidates = fields.List(fields.Tuple((fields.String(), fields.Float())), required=True)


class CaseReroutedV1(Envelope):
    """An officer moved the case to another unit (feeds the 'forwarded correctly' indicator)."""
    tracking_number = fields.String(required=True)
    from_unit_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    unit_name = fields.String(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CaseRoutingConfirmedV1(Envelope):
    tracking_number = fields.String(required=True)
    unit_id = fields.String(required=True)
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CaseInfoRequestedV1(Envelope):
    """The unit needs more from the complainant: the SLA clock pauses until it comes."""
    tracking_number = fields.String(required=True)
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))
    question = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CaseInfoReceivedV1(Envelope):
    tracking_number = fields.String(required=True)
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CaseAnsweredFromKbV1(Envelope):
    """An inquiry answered at first contact from the knowledge base; the case is closed."""
    tracking_number = fields.String(required=True)
    entry_id = fields.String(required=True)
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    score = fields.Float(required=True)


UNIT_STATUSES = ("assigned", "in_progress", "answered", "withdrawn")


class AssignedUnitV1(Schema):
    class Meta:
        unknown = RAISE

    unit_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    unit_name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(("lead", "support")))


class CaseUnitsAssignedV1(Envelope):
    """An officer gave the case to several units at once; each keeps its own status."""
    tracking_number = fields.String(required=True)
    units = fields.List(fields.Nested(AssignedUnitV1), required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CaseUnitStatusChangedV1(Envelope):
    """One of the case's units moved on (started, answered its part, or was withdrawn)."""
    tracking_number = fields.String(required=True)
    unit_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    status = fields.String(required=True, validate=validate.OneOf(UNIT_STATUSES))
    previous_status = fields.String(required=True, validate=validate.OneOf(UNIT_STATUSES))
    note = fields.String(required=True, allow_none=True, validate=validate.Length(max=2000))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))


class ComplainantV1(Schema):
    """Who complained, in an event that leaves the site: only where the rules allow it."""
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, allow_none=True, validate=validate.Length(max=200))
    email = fields.String(required=True, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(required=True, allow_none=True, validate=validate.Length(max=40))


class CaseRecordV1(Schema):
    """What the receiving site needs to act on a forwarded case."""
    class Meta:
        unknown = RAISE

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    received_at = fields.AwareDateTime(required=True)
    category = fields.String(required=True, allow_none=True, validate=validate.Length(max=64))
    location = fields.Nested(LocationV2, required=True, allow_none=True)
    confidential = fields.Boolean(required=True)


class CaseForwardedV1(Envelope):
    """The case goes to another site (an agency or district office) to be handled there.

    Published on this site's routing exchange and, addressed to `to_site`, on the exchange that
    links sites. `complainant` is None unless the case is not confidential and the directory
    allows personal data to go to that site."""
    tracking_number = fields.String(required=True)
    to_site = fields.String(required=True, validate=validate.Length(min=1, max=32))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))
    record = fields.Nested(CaseRecordV1, required=True)
    complainant = fields.Nested(ComplainantV1, required=True, allow_none=True)


class CaseAnsweredV1(Envelope):
    """The case has its answer (the result the complainant is told).

    At the site that answered it, `answered_by_site` is that site; when the case had been
    forwarded from another site, `referral` names the original and `to_site` addresses the
    answer back to it. The original site records it as its own `case_answered`, with
    `answered_by_site` the site that answered and `referral` the case there."""
    tracking_number = fields.String(required=True)
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    officer = fields.String(required=True, validate=validate.Length(min=1, max=128))
    unit_id = fields.String(required=True, allow_none=True, validate=validate.Length(max=64))
    answered_by_site = fields.String(required=True, validate=validate.Length(min=1, max=32))
    referral = fields.Nested(ReferralV1, required=True, allow_none=True)
    to_site = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=32))


class ResultDocumentV1(Schema):
    """A document that came with an answer: what it is, never its content (the site that answered
    keeps the file; `site_id` says which)."""
    class Meta:
        unknown = RAISE

    id = UUIDString(required=True)
    filename = fields.String(required=True, validate=validate.Length(min=1, max=255))
    content_type = fields.String(required=True, validate=validate.Length(min=1, max=100))
    size = StrictInteger(required=True, validate=validate.Range(min=1))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    site_id = fields.String(required=True, validate=validate.Length(min=1, max=32))


class CaseAnsweredV2(CaseAnsweredV1):
    """v1 plus the result documents that came with the answer (none: an empty list)."""
    documents = fields.List(fields.Nested(ResultDocumentV1), required=True, validate=validate.Length(max=10))


class SlaClockEvent(Envelope):
    """What every event about one SLA clock carries."""
    clock_id = UUIDString(required=True)
    target = fields.String(required=True, validate=validate.OneOf(SLA_TARGETS))
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    unit_id = fields.String(required=True)
    due_at = fields.AwareDateTime(required=True)


class SlaClockStartedV1(SlaClockEvent):
    started_at = fields.AwareDateTime(required=True)
    business_days = StrictInteger(required=True, validate=validate.Range(min=0))


class SlaWarningV1(SlaClockEvent):
    """The clock entered its last business day (or the configured share of its time)."""


class SlaBreachedV1(SlaClockEvent):
    """The deadline passed with the case unresolved; occurred_at is the deadline itself."""


class SlaEscalatedV1(SlaClockEvent):
    step = StrictInteger(required=True, validate=validate.Range(min=1))
    role = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SlaDeadlineChangedV1(SlaClockEvent):
    previous_due_at = fields.AwareDateTime(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(("calendar", "paused", "kind_changed")))


class SlaClockPausedV1(SlaClockEvent):
    reason = fields.String(required=True, validate=validate.Length(max=200))


class SlaClockResumedV1(SlaClockEvent):
    paused_business_days = StrictInteger(required=True, validate=validate.Range(min=0))


class SlaClockStoppedV1(SlaClockEvent):
    outcome = fields.String(required=True, validate=validate.OneOf(("met", "late", "superseded")))
    business_days_used = StrictInteger(required=True, validate=validate.Range(min=0))


class NotificationRecordedV1(Envelope):
    notification_id = UUIDString(required=True)
    purpose = fields.String(required=True, validate=validate.OneOf(("acknowledgment", "kb_answer", "result")))
    channel = fields.String(required=True, allow_none=True)
    outcome = fields.String(required=True, validate=validate.OneOf(("delivered", "failed", "no_contact")))
    attempts = StrictInteger(required=True, validate=validate.Range(min=0))


# What notify tells a complainant. Those that tell them of progress meet the first-notice clock
# (seed 003: a progress notice within 15 days) once delivered.
NOTICE_PURPOSES = ("acknowledgment", "routed", "progress", "info_request", "kb_answer", "result", "reopened")
PROGRESS_PURPOSES = ("routed", "progress", "info_request", "result")


class NotificationRecordedV2(NotificationRecordedV1):
    """v1 with the purposes that tell progress: routed (the unit and the deadline), progress (the
    unit at work), info_request (an officer's question) and reopened."""
    purpose = fields.String(required=True, validate=validate.OneOf(NOTICE_PURPOSES))


# What notify tells the office about a case: a unit that has a new case (assigned), a deadline near
# (warning) or passed (breach), a role escalated to (escalation). Never the complainant's identity.
OFFICER_PURPOSES = ("assigned", "warning", "breach", "escalation")
SURVEY = "survey"  # after the result: how satisfied the complainant is (v3 only)
AUDIENCES = ("complainant", "unit", "role")


class NotificationRecordedV3(NotificationRecordedV1):
    """v2 with notices to the office: `audience` says who was told (the complainant, the unit's
    contacts, or the holder of `role` from the directory); the purposes add OFFICER_PURPOSES."""
    purpose = fields.String(required=True, validate=validate.OneOf(NOTICE_PURPOSES + (SURVEY,) + OFFICER_PURPOSES))
    audience = fields.String(required=True, validate=validate.OneOf(AUDIENCES))
    role = fields.String(required=True, allow_none=True, validate=validate.Length(min=1, max=64))


@dataclass(frozen=True)
class EventType:
    source: str
    name: str
    version: int
    schema: type
    upcast: object = None  # turns a loaded older version into the newest shape, so handlers see one

    def build(self, *, site_id, case_id, occurred_at=None, event_id=None, **payload):
        """The wire form of a new event; raises InvalidEvent if the payload breaks the contract."""
        body = {
            "event_id": str(event_id or uuid.uuid4()),
            "occurred_at": occurred_at or utcnow(),
            "site_id": site_id,
            "case_id": str(case_id),
            "version": self.version,
            **payload,
        }
        # validate what the caller gave (strictly: no coercion, no unknown fields), then dump
        plain = {k: _plain(v) for k, v in body.items()}
        try:
            loaded = self.schema().load(plain)
        except ValidationError as exc:
            raise InvalidEvent(f"{self.name} v{self.version}: payload breaks its schema",
                               exc.messages) from exc
        return self.schema().dump(loaded)

    def load(self, body):
        """Validate a received body; returns it with dates parsed, or raises InvalidEvent."""
        if not isinstance(body, dict):
            raise InvalidEvent(f"{self.name}: body is {type(body).__name__}, not an object")
        if body.get("version") != self.version:
            known = ", ".join(str(v) for v in versions(self.source, self.name))
            raise InvalidEvent(f"{self.name}: version {body.get('version')!r} is not one of {known}",
                               {"version": [f"unsupported version; known: {known}"]})
        try:
            loaded = self.schema().load(body)
        except ValidationError as exc:
            raise InvalidEvent(f"{self.name} v{self.version} does not match its schema",
                               exc.messages) from exc
        return self.upcast(loaded) if self.upcast else loaded


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _case_received_v4_to_v5(event):
    return {**event, "version": 5}


def _case_received_v3_to_v4(event):
    return _case_received_v4_to_v5({**event, "version": 4})


def _case_received_v2_to_v4(event):
    return _case_received_v3_to_v4({**event, "version": 3, "referral": None})


def _case_received_v1_to_v4(event):
    return _case_received_v2_to_v4({
        **event, "version": 2, "category": None, "location": None, "confidential": False,
        "field_check": False, "linked_case_id": None, "link_reason": None})


CASE_RECEIVED_V1 = EventType("intake", "case_received", 1, CaseReceivedV1, upcast=_case_received_v1_to_v4)
CASE_RECEIVED_V2 = EventType("intake", "case_received", 2, CaseReceivedV2, upcast=_case_received_v2_to_v4)
CASE_RECEIVED_V3 = EventType("intake", "case_received", 3, CaseReceivedV3, upcast=_case_received_v3_to_v4)
CASE_RECEIVED_V4 = EventType("intake", "case_received", 4, CaseReceivedV4, upcast=_case_received_v4_to_v5)
CASE_RECEIVED = EventType("intake", "case_received", 5, CaseReceivedV5)
CASE_REOPENED = EventType("intake", "case_reopened", 1, CaseReopenedV1)
def _case_reply_received_v1_to_v2(event):
    return {**event, "version": 2}


CASE_REPLY_RECEIVED_V1 = EventType("intake", "case_reply_received", 1, CaseReplyReceivedV1,
                                   upcast=_case_reply_received_v1_to_v2)
CASE_REPLY_RECEIVED = EventType("intake", "case_reply_received", 2, CaseReplyReceivedV2)
CASE_RATED = EventType("intake", "case_rated", 1, CaseRatedV1)
def _case_routed_v1_to_v2(event):
    return {**event, "version": 2, "method": "rule", "score": None, "model_version": None,
            "kind_reason": "as received"}


CASE_ROUTED_V1 = EventType("routing", "case_routed", 1, CaseRoutedV1, upcast=_case_routed_v1_to_v2)
CASE_ROUTED = EventType("routing", "case_routed", 2, CaseRoutedV2)
CASE_TRIAGE_NEEDED = EventType("routing", "case_triage_needed", 1, CaseTriageNeededV1)
CASE_KIND_CHANGED = EventType("routing", "case_kind_changed", 1, CaseKindChangedV1)
CASE_REROUTED = EventType("routing", "case_rerouted", 1, CaseReroutedV1)
CASE_ROUTING_CONFIRMED = EventType("routing", "case_routing_confirmed", 1, CaseRoutingConfirmedV1)
CASE_INFO_REQUESTED = EventType("routing", "case_info_requested", 1, CaseInfoRequestedV1)
CASE_INFO_RECEIVED = EventType("routing", "case_info_received", 1, CaseInfoReceivedV1)
CASE_ANSWERED_FROM_KB = EventType("routing", "case_answered_from_kb", 1, CaseAnsweredFromKbV1)
CASE_UNITS_ASSIGNED = EventType("routing", "case_units_assigned", 1, CaseUnitsAssignedV1)
CASE_UNIT_STATUS_CHANGED = EventType("routing", "case_unit_status_changed", 1, CaseUnitStatusChangedV1)
CASE_FORWARDED = EventType("routing", "case_forwarded", 1, CaseForwardedV1)
CASE_ANSWERED_V1 = EventType("routing", "case_answered", 1, CaseAnsweredV1,
                             upcast=lambda event: {**event, "version": 2, "documents": []})
CASE_ANSWERED = EventType("routing", "case_answered", 2, CaseAnsweredV2)
SLA_CLOCK_STARTED = EventType("sla", "sla_clock_started", 1, SlaClockStartedV1)
SLA_WARNING = EventType("sla", "sla_warning", 1, SlaWarningV1)
SLA_BREACHED = EventType("sla", "sla_breached", 1, SlaBreachedV1)
SLA_ESCALATED = EventType("sla", "sla_escalated", 1, SlaEscalatedV1)
SLA_DEADLINE_CHANGED = EventType("sla", "sla_deadline_changed", 1, SlaDeadlineChangedV1)
SLA_CLOCK_PAUSED = EventType("sla", "sla_clock_paused", 1, SlaClockPausedV1)
SLA_CLOCK_RESUMED = EventType("sla", "sla_clock_resumed", 1, SlaClockResumedV1)
SLA_CLOCK_STOPPED = EventType("sla", "sla_clock_stopped", 1, SlaClockStoppedV1)
def _notification_recorded_v2_to_v3(event):
    return {**event, "version": 3, "audience": "complainant", "role": None}


NOTIFICATION_RECORDED_V1 = EventType("notify", "notification_recorded", 1, NotificationRecordedV1,
                                     upcast=_notification_recorded_v2_to_v3)
NOTIFICATION_RECORDED_V2 = EventType("notify", "notification_recorded", 2, NotificationRecordedV2,
                                     upcast=_notification_recorded_v2_to_v3)
NOTIFICATION_RECORDED = EventType("notify", "notification_recorded", 3, NotificationRecordedV3)

REGISTRY = {(e.source, e.name, e.version): e for e in (
    CASE_RECEIVED_V1, CASE_RECEIVED_V2, CASE_RECEIVED_V3, CASE_RECEIVED_V4, CASE_RECEIVED, CASE_REOPENED,
    CASE_REPLY_RECEIVED_V1, CASE_REPLY_RECEIVED,
    CASE_RATED,
    CASE_ROUTED_V1,
    CASE_ROUTED, CASE_TRIAGE_NEEDED, CASE_KIND_CHANGED, CASE_REROUTED, CASE_ROUTING_CONFIRMED, CASE_INFO_REQUESTED, CASE_INFO_RECEIVED,
    CASE_ANSWERED_FROM_KB, CASE_UNITS_ASSIGNED, CASE_UNIT_STATUS_CHANGED, CASE_FORWARDED, CASE_ANSWERED_V1,
    CASE_ANSWERED,
    SLA_CLOCK_STARTED, SLA_WARNING, SLA_BREACHED, SLA_ESCALATED, SLA_DEADLINE_CHANGED, SLA_CLOCK_PAUSED,
    SLA_CLOCK_RESUMED, SLA_CLOCK_STOPPED, NOTIFICATION_RECORDED_V1, NOTIFICATION_RECORDED_V2,
    NOTIFICATION_RECORDED)}

# Events that may leave the site: published also on the exchange that links sites, addressed by
# their `to_site` field (no address: they stay here). Nothing else ever crosses to another site.
SITE_ADDRESSED = {(CASE_FORWARDED.source, CASE_FORWARDED.name), (CASE_ANSWERED.source, CASE_ANSWERED.name)}
SITES_EXCHANGE = "rongtuk.sites"


# Each site's case events, redacted, for the hub that watches it (services/reporting/feed.py): on
# their own exchange, keyed `<hub>.<from site>.<source>.<event>`; a hub binds `<itself>.#`, so its
# federation links pull only the feeds addressed to it, whatever else links the sites.
FEED_EXCHANGE = "rongtuk.feed"


def feed_routing_key(hub, from_site, source, name):
    return f"{hub}.{from_site}.{source}.{name}"


def site_routing_key(to_site, source, name):
    """The routing key of an event addressed to another site on the sites exchange."""
    return f"{to_site}.{source}.{name}"


def versions(source, name):
    return sorted(v for (s, n, v) in REGISTRY if (s, n) == (source, name))


def load(source, name, body):
    """Validate an incoming body against the schema of the version it declares."""
    if not isinstance(body, dict):
        raise InvalidEvent(f"{name}: body is {type(body).__name__}, not an object")
    event_type = REGISTRY.get((source, name, body.get("version")))
    if event_type is None:
        if not versions(source, name):
            raise InvalidEvent(f"no schema for {source}.{name}")
        event_type = REGISTRY[(source, name, versions(source, name)[-1])]
    return event_type.load(body)
