"""marshmallow fields used by the event contract and the HTTP APIs."""
import re
import uuid

from marshmallow import ValidationError, fields, validate

from shared.thai import control_character, normalise_text


class UUIDString(fields.String):
    """A UUID kept as its canonical string, so payloads stay plain JSON values."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return str(uuid.UUID(text))
        except ValueError as exc:
            raise ValidationError("Not a valid UUID.") from exc


class StrictInteger(fields.Integer):
    """An integer that refuses booleans, floats and numeric strings."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("Not a valid integer.")
        return super()._deserialize(value, attr, data, **kwargs)


class Text(fields.String):
    """Human text: NFC-normalised (Thai typed on different keyboards compares equal), trimmed,
    without invisible format characters (bidi controls, zero-width characters: stripped), and
    free of control characters (refused; newlines and tabs allowed only where `multiline`)."""

    def __init__(self, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = normalise_text(super()._deserialize(value, attr, data, **kwargs))
        bad = control_character(text, self.multiline)
        if bad is not None:
            raise ValidationError(f"Contains a control character (U+{ord(bad):04X}).")
        return text


class FullMatch(validate.Regexp):
    """The whole value matches `pattern` (re.fullmatch): unlike "^…$", whose "$" also matches before
    a final newline ("U…\n" passed a LINE id's pattern). The OpenAPI document shows it as ^…$,
    which means the whole value there (ECMA regular expressions have no \\Z)."""

    def __init__(self, pattern, **kwargs):
        super().__init__(f"^(?:{pattern})$", **kwargs)
        self.whole = re.compile(pattern)

    def __call__(self, value):
        if self.whole.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value
