"""marshmallow fields used by the event contract and the HTTP APIs."""
import unicodedata
import uuid

from marshmallow import ValidationError, fields


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
    and free of control characters (newlines and tabs allowed only where `multiline`)."""

    def __init__(self, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = unicodedata.normalize("NFC", super()._deserialize(value, attr, data, **kwargs)).strip()
        # NFC leaves nikhahit + sara aa apart; Thai keyboards and OCR produce both forms of sara am
        text = text.replace("\u0e4d\u0e32", "\u0e33")
        allowed = {"\n", "\t", "\r"} if self.multiline else set()
        for ch in text:
            if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed:
                raise ValidationError(f"Contains a control character (U+{ord(ch):04X}).")
        return text
