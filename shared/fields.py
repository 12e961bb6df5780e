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


ALLOWED_CONTROLS = frozenset("\n\t\r")


def normalise_text(text):
    """NFC, trimmed, and sara am composed (NFC leaves nikhahit + sara aa apart; keyboards and OCR
    produce both forms)."""
    return unicodedata.normalize("NFC", text).strip().replace("\u0e4d\u0e32", "\u0e33")


def control_character(text, multiline=False):
    """The first control character a text may not hold, or None."""
    allowed = ALLOWED_CONTROLS if multiline else frozenset()
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed), None)


def clean_text(text):
    """Normalised, with control characters other than newline and tab dropped."""
    return "".join(ch for ch in normalise_text(text) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


class Text(fields.String):
    """Human text: NFC-normalised (Thai typed on different keyboards compares equal), trimmed,
    and free of control characters (newlines and tabs allowed only where `multiline`)."""

    def __init__(self, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = normalise_text(super()._deserialize(value, attr, data, **kwargs))
        bad = control_character(text, self.multiline)
        if bad is not None:
            raise ValidationError(f"Contains a control character (U+{ord(bad):04X}).")
        return text
