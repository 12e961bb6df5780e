"""marshmallow fields used by the event contract and the HTTP APIs."""
import re
import unicodedata
import uuid

from marshmallow import ValidationError, fields, validate


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
    """Without invisible format characters, NFC, trimmed, and sara am composed (NFC leaves nikhahit +
    sara aa apart; keyboards and OCR produce both forms)."""
    return unicodedata.normalize("NFC", strip_format_characters(text)).strip().replace("\u0e4d\u0e32", "\u0e33")


def strip_format_characters(text):
    """The text without Unicode format characters (category Cf): bidi controls (U+202A-202E,
    U+2066-2069, U+200E/200F), zero-width characters (U+200B-200D, U+2060, U+FEFF), the soft
    hyphen, tag characters. They are invisible: a right-to-left override makes a subject read
    otherwise than it is stored, a zero-width space makes two equal texts differ. Stripped, not
    refused: Thai text pasted from a word processor often carries zero-width spaces, and a
    complaint must not be lost for them."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def control_character(text, multiline=False):
    """The first control character a text may not hold, or None."""
    allowed = ALLOWED_CONTROLS if multiline else frozenset()
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed), None)


def clean_text(text):
    """Normalised, with control characters other than newline and tab dropped."""
    return "".join(ch for ch in normalise_text(text) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


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
