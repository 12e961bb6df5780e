"""What the intake API accepts and returns (also the source of the OpenAPI document)."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from services.intake import identity
from services.intake.exceptions import InvalidIdentifier
from shared.events import CHANNELS, KINDS
from shared.fields import FullMatch, StrictInteger, Text
from shared.files import FileSchema

SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000


class NationalId(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return identity.normalise_national_id(super()._deserialize(value, attr, data, **kwargs))
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc)) from exc


class Phone(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return identity.normalise_phone(super()._deserialize(value, attr, data, **kwargs))
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc)) from exc


NOTIFY_BY = {"email": "email", "line": "line_user_id", "sms": "phone", "letter": "address"}  # channel: its address


class ComplainantSchema(Schema):
    class Meta:
        unknown = RAISE

    name = Text(validate=validate.Length(max=200), allow_none=True, metadata={"example": "สมหญิง ใจดี"})
    national_id = NationalId(allow_none=True, metadata={"description": "13 digits, checksum validated"})
    phone = Phone(allow_none=True, metadata={"description": "Thai mobile or landline; stored as +66..."})
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)
    address = Text(multiline=True, validate=validate.Length(max=500), allow_none=True)
    line_user_id = fields.String(validate=FullMatch(r"U[0-9a-f]{32}"), allow_none=True)
    notify_by = fields.String(validate=validate.OneOf(NOTIFY_BY), allow_none=True, metadata={
        "description": "the channel the complainant wants to be told on (its address given too); without "
                       "it, the like of the channel the case came by, then the office's order"})

    @validates_schema
    def an_address_for_the_chosen_channel(self, data, **kwargs):
        chosen = data.get("notify_by")
        if chosen and not data.get(NOTIFY_BY[chosen]):
            raise ValidationError(f"give the {NOTIFY_BY[chosen]} to be told by {chosen}", "notify_by")


class LocationSchema(Schema):
    class Meta:
        unknown = RAISE

    province = Text(validate=validate.Length(max=100), allow_none=True)
    district = Text(validate=validate.Length(max=100), allow_none=True)
    subdistrict = Text(validate=validate.Length(max=100), allow_none=True)
    latitude = fields.Float(validate=validate.Range(min=5.0, max=21.0), allow_none=True, allow_nan=False)
    longitude = fields.Float(validate=validate.Range(min=97.0, max=106.0), allow_none=True, allow_nan=False)
    address = Text(multiline=True, validate=validate.Length(max=500), allow_none=True)

    @validates_schema
    def both_coordinates(self, data, **kwargs):
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("Give both latitude and longitude, or neither.", "latitude")


class DisputeSchema(Schema):
    class Meta:
        unknown = RAISE

    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    access_code = fields.String(required=True, validate=validate.Length(min=1, max=20))


class AnswerSchema(Schema):
    """POST /api/v1/cases/{tracking_number}/routing/answer (routing checks it; this documents it)."""
    answer = fields.String(required=True, metadata={"description": "at most 5000 characters"})
    unit_id = fields.String(metadata={"description": "the unit on the case that answers (default: its lead)"})
    documents = fields.List(fields.Nested(FileSchema), validate=validate.Length(max=10),
                            metadata={"description": "result documents, with the rules of attachments"})


class NewCaseSchema(Schema):
    class Meta:
        unknown = RAISE

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    channel_ref = fields.Dict(keys=Text(validate=validate.Length(min=1, max=40)),
                              values=Text(validate=validate.Length(max=200)), allow_none=True,
                              metadata={"description": "the channel's own reference, at most 10 entries, e.g. "
                                                       "{\"letter_number\": \"นร 0105/123\", \"letter_date\": \"2026-11-20\"}"})
    kind = StrictInteger(validate=validate.OneOf(KINDS), allow_none=True,
                         metadata={"description": "1 suggestion/inquiry, 2 minor complaint, 3 major complaint, "
                                                  "4 lawsuit/media; defaults to the category's kind; with "
                                                  "neither, routing reads it from the words"})
    category = fields.String(validate=validate.Length(max=64), allow_none=True,
                             metadata={"description": "a subject code of the site's catalogue"})
    subject = Text(required=True, validate=validate.Length(min=1, max=SUBJECT_MAX))
    description = Text(multiline=True, required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    location = fields.Nested(LocationSchema, allow_none=True)
    complainant = fields.Nested(ComplainantSchema, allow_none=True)
    confidential = fields.Boolean(load_default=False, metadata={"description": "protect my identity"})
    disputes = fields.Nested(DisputeSchema, allow_none=True,
                             metadata={"description": "the earlier case whose result this complaint disputes"})
    attachments = fields.List(fields.Nested(FileSchema), validate=validate.Length(max=10), load_default=list)

    @validates("channel_ref")
    def few_references(self, value, **kwargs):
        if value and len(value) > 10:
            raise ValidationError("At most 10 entries.")


class CreatedSchema(Schema):
    case_id = fields.String()
    tracking_number = fields.String(metadata={"example": "HUB-2570-000001"})
    access_code = fields.String(metadata={"description": "shown once; needed to follow the case"})
    status = fields.String()
    received_at = fields.String()
    reopened = fields.Boolean()
    linked_to = fields.String(allow_none=True)


class ErrorSchema(Schema):
    error = fields.String(required=True)
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.Raw())


class UnitSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)


class TimelineEntrySchema(Schema):
    at = fields.String(required=True, metadata={"description": "ISO-8601, +07:00"})
    service = fields.String(required=True)
    event = fields.String(required=True)
    summary = fields.String(required=True, metadata={"description": "in Thai"})


class ClockStepSchema(Schema):
    step = fields.String(required=True)
    role = fields.String(allow_none=True)
    at = fields.String(required=True)


class ClockSchema(Schema):
    target = fields.String(required=True)
    generation = fields.Integer(required=True)
    state = fields.String(required=True)
    started_at = fields.String(required=True)
    due_at = fields.String(required=True)
    business_days = fields.Integer(allow_none=True)
    paused_business_days = fields.Integer(required=True)
    outcome = fields.String(allow_none=True)
    time_left_seconds = fields.Integer(required=True)
    time_left = fields.String(required=True)
    steps = fields.List(fields.Nested(ClockStepSchema), required=True)


class ResultDocumentSchema(Schema):
    id = fields.String(required=True, metadata={"description": "GET /api/v1/cases/{tracking_number}/documents/{id}"})
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "bytes"})
    site_id = fields.String(required=True, metadata={"description": "the site that keeps the file"})


class ResultSchema(Schema):
    answer = fields.String(required=True)
    answered_at = fields.String(required=True)
    by_site = fields.String(required=True, metadata={"description": "the site that gave the answer"})
    documents = fields.List(fields.Nested(ResultDocumentSchema), required=True,
                            metadata={"description": "the documents the result came with"})


class ReplySchema(Schema):
    id = fields.String(required=True)
    channel = fields.String(required=True, metadata={"description": "how it came: email"})
    text = fields.String(required=True, metadata={"description": "what the complainant wrote, without the "
                                                                 "notice they quoted"})
    answers_request = fields.Boolean(required=True, metadata={
        "description": "true when the case was waiting for the complainant's answer"})
    received_at = fields.String(required=True)


class RatingSchema(Schema):
    score = fields.Integer(required=True, metadata={"description": "1 (not at all satisfied) to 5 (very)"})
    comment = fields.String(allow_none=True, metadata={"description": "what the complainant added"})
    rated_at = fields.String(required=True)


class RateRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    access_code = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                metadata={"description": "the code given when the complaint was recorded"})
    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5),
                           metadata={"description": "how satisfied: 1 (not at all) to 5 (very)"})
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000),
                            metadata={"description": "anything to add; seen by the office, never published"})


class RatedSchema(Schema):
    tracking_number = fields.String(required=True)
    score = fields.Integer(required=True)
    rated_at = fields.String(required=True)


class CaseViewSchema(Schema):
    tracking_number = fields.String(required=True)
    status = fields.String(required=True)
    channel = fields.String(required=True)
    kind = fields.Integer(required=True)
    category = fields.String(allow_none=True)
    subject = fields.String(required=True)
    received_at = fields.String(required=True)
    unit = fields.Nested(UnitSchema, allow_none=True)
    deadline = fields.String(allow_none=True)
    field_check = fields.Boolean(required=True)
    result = fields.Nested(ResultSchema, allow_none=True,
                           metadata={"description": "the answer, once the case is answered"})
    clocks = fields.List(fields.Nested(ClockSchema), allow_none=True,
                         metadata={"description": "null when the SLA service did not answer in time"})
    timeline = fields.List(fields.Nested(TimelineEntrySchema), allow_none=True,
                           metadata={"description": "null when the reporting service did not answer in time"})
    replies = fields.List(fields.Nested(ReplySchema), required=True,
                          metadata={"description": "what the complainant wrote back about the case, oldest first"})
    rating = fields.Nested(RatingSchema, allow_none=True,
                           metadata={"description": "how satisfied the complainant said they are, once answered"})


class LoginSchema(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024),
                             metadata={"description": "never logged, never stored"})


class LookupSchema(Schema):
    class Meta:
        unknown = RAISE

    access_code = fields.String(load_default="", validate=validate.Length(max=20),
                                metadata={"description": "the code given when the complaint was recorded; "
                                                         "required without an officer's X-Api-Key"})


class RevealRequestSchema(Schema):
    reason = fields.String(required=True, metadata={"description": "why the identity is needed, in a few words "
                                                                   "(at least 15 letters); on the audit log"})
    purpose = fields.String(metadata={"description": "the reason's earlier name, still read"})


class SessionSchema(Schema):
    token = fields.String(required=True, metadata={"description": "send as Authorization: Bearer <token>"})
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_at = fields.String(required=True, metadata={"description": "the absolute end, however busy"})
    idle_expires_at = fields.String(required=True, metadata={"description": "the end if unused until then"})
    idle_timeout = fields.Integer(required=True, metadata={"description": "seconds unused that end it"})
    officer = fields.Dict(required=True, metadata={"description": "username, role, units, site_id"})


class IdentityRequestSchema(Schema):
    id = fields.String(required=True)
    tracking_number = fields.String(required=True)
    requested_by = fields.String(required=True)
    reason = fields.String(required=True)
    requested_at = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["waiting", "approved", "refused"]))
    decided_by = fields.String(allow_none=True)
    decided_at = fields.String(allow_none=True)


class RevealedSchema(Schema):
    identity = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    confidential = fields.Boolean(required=True)
