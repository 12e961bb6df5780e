"""Thai text, made comparable: one place for how Rongtuk normalises what people type.

Thai typed on different keyboards, pasted from word processors or read by OCR comes in several
Unicode forms of the same words: decomposed vowels, sara am as nikhahit + sara aa (NFC leaves the
two apart), invisible zero-width and bidi characters. Everything that keeps, compares or matches
text goes through here, so two equal texts are equal everywhere.
"""
import unicodedata

SARA_AM_DECOMPOSED = "\u0e4d\u0e32"  # nikhahit + sara aa, as keyboards and OCR often produce it
SARA_AM = "\u0e33"
ALLOWED_CONTROLS = frozenset("\n\t\r")


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


def normalise_text(text):
    """Without invisible format characters, NFC, trimmed, and sara am composed (NFC leaves nikhahit +
    sara aa apart; keyboards and OCR produce both forms)."""
    return unicodedata.normalize("NFC", strip_format_characters(text)).strip().replace(SARA_AM_DECOMPOSED, SARA_AM)


def control_character(text, multiline=False):
    """The first control character a text may not hold, or None."""
    allowed = ALLOWED_CONTROLS if multiline else frozenset()
    return next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed), None)


def clean_text(text):
    """Normalised, with control characters other than newline and tab dropped."""
    return "".join(ch for ch in normalise_text(text) if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


def folded(text):
    """The text as matching reads it: normalised, lower-cased (for the English in Thai complaints),
    runs of white space made one space."""
    return " ".join(normalise_text(text or "").casefold().split())


def squashed(text):
    """Folded, without any white space (Thai is written without spaces between words, and people put
    them in at random): for comparing texts letter by letter."""
    return "".join(folded(text).split())
