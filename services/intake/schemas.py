"""What the intake API accepts and returns."""
from marshmallow import RAISE, Schema, fields, validate

from shared.events import CHANNELS, KINDS
from shared.fields import StrictInteger, Text

SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000


class ComplainantSchema(Schema):
    class Meta:
        unknown = RAISE

    name = Text(validate=validate.Length(max=200), allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)
    phone = fields.String(validate=[validate.Length(max=32), validate.Regexp(r"^\+?[0-9 ()-]{6,32}$",
                          error="Not a valid phone number.")], allow_none=True)


class NewCaseSchema(Schema):
    class Meta:
        unknown = RAISE

    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    kind = StrictInteger(required=True, validate=validate.OneOf(KINDS))
    subject = Text(required=True, validate=validate.Length(min=1, max=SUBJECT_MAX))
    description = Text(multiline=True, required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    complainant = fields.Nested(ComplainantSchema, allow_none=True)
