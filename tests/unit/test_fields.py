"""shared/fields.py: Text, StrictInteger and UUIDString."""
import unicodedata
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from shared.fields import StrictInteger, Text, UUIDString

# --- Text ----------------------------------------------------------------------------------

SARA_AM_DECOMPOSED = "\u0e19\u0e49\u0e4d\u0e32"   # น ้ ํ า  (nikhahit + sara aa, as some keyboards type it)
SARA_AM_COMPOSED = "\u0e19\u0e49\u0e33"           # น ้ ำ  "น้ำ" (water)


def test_text_composes_a_decomposed_sara_am_which_nfc_leaves_apart():
    value = f"น{SARA_AM_DECOMPOSED}ท่วมถนนหน้าโรงเรียน"
    assert unicodedata.normalize("NFC", value) != f"น{SARA_AM_COMPOSED}ท่วมถนนหน้าโรงเรียน"

    assert Text().deserialize(value) == f"น{SARA_AM_COMPOSED}ท่วมถนนหน้าโรงเรียน"


def test_text_output_is_the_nfc_form_of_composed_sara_am():
    value = f"{SARA_AM_COMPOSED}ประปาไม่ไหล"

    assert Text().deserialize(value) == unicodedata.normalize("NFC", value)
    assert Text().deserialize(value) == value


def test_text_makes_thai_typed_with_marks_in_either_order_equal():
    # ปู่ (grandfather): sara uu and mai ek typed in either order
    vowel_first = "\u0e1b\u0e39\u0e48"
    tone_first = "\u0e1b\u0e48\u0e39"
    assert vowel_first != tone_first

    field = Text()

    assert field.deserialize(f"คุณ{tone_first}ร้องเรียน") == field.deserialize(f"คุณ{vowel_first}ร้องเรียน")
    assert field.deserialize(tone_first) == unicodedata.normalize("NFC", tone_first)


def test_text_composes_latin_accents():
    assert Text().deserialize("Cafe\u0301 หน้าอำเภอ") == "Caf\u00e9 หน้าอำเภอ"


def test_text_strips_surrounding_whitespace():
    assert Text().deserialize("  \u3000ถนนชำรุดหน้าบ้านเลขที่ 12  ") == "ถนนชำรุดหน้าบ้านเลขที่ 12"
    assert Text(multiline=True).deserialize("\n\tไฟฟ้าดับทั้งซอย\n") == "ไฟฟ้าดับทั้งซอย"


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t", "\r"])
def test_single_line_text_refuses_control_characters_inside(control):
    with pytest.raises(ValidationError, match="control character"):
        Text().deserialize(f"ไฟฟ้า{control}ดับ")


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x08", "\x1b", "\x7f"])
def test_multiline_text_still_refuses_other_control_characters(control):
    with pytest.raises(ValidationError, match=f"U\\+{ord(control):04X}"):
        Text(multiline=True).deserialize(f"บรรทัดแรก\nบรรทัด{control}ที่สอง")


def test_multiline_text_allows_newlines_and_tabs():
    value = "เรียน ผู้อำนวยการ\n\tขอร้องเรียนเรื่องน้ำประปาไม่ไหล\r\nมาสามวันแล้ว"

    assert Text(multiline=True).deserialize(value) == value


def test_text_refuses_a_lone_surrogate():
    with pytest.raises(ValidationError, match="control character"):
        Text().deserialize("ข้อความ\ud800เสีย")


def test_text_refuses_non_strings():
    with pytest.raises(ValidationError):
        Text().deserialize(123)


@given(st.text())
def test_text_result_is_nfc_stripped_and_free_of_control_characters(value):
    try:
        result = Text().deserialize(value)
    except ValidationError:
        return
    assert result == unicodedata.normalize("NFC", result)
    assert result == result.strip()
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") for ch in result)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf"))))
def test_text_accepts_any_text_without_control_characters(value):
    assert Text().deserialize(value) == unicodedata.normalize("NFC", value).strip()


@pytest.mark.parametrize("invisible", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c",
                                       "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\U000e0041"])
def test_text_strips_bidi_controls_and_zero_width_characters(invisible):
    assert Text().deserialize(f"{invisible}ไฟถนน{invisible}ดับ{invisible}") == "ไฟถนนดับ"
    assert Text(multiline=True).deserialize(f"บรรทัดแรก{invisible}\nบรรทัดสอง") == "บรรทัดแรก\nบรรทัดสอง"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))))
def test_text_never_keeps_a_format_character(value):
    assert all(unicodedata.category(ch) != "Cf" for ch in Text().deserialize(value))


# --- StrictInteger -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [True, False, "3", 3.0, 3.5, None, [3]])
def test_strict_integer_refuses_bools_strings_and_floats(value):
    with pytest.raises(ValidationError):
        StrictInteger().deserialize(value)


@pytest.mark.parametrize("value", [0, 3, -7, 10**12])
def test_strict_integer_accepts_integers(value):
    result = StrictInteger().deserialize(value)

    assert result == value
    assert type(result) is int


def test_strict_integer_bool_error_message():
    with pytest.raises(ValidationError) as info:
        StrictInteger().deserialize(True)

    assert info.value.messages == ["Not a valid integer."]


# --- UUIDString ----------------------------------------------------------------------------

CANONICAL = "6f1c2a3e-8b4d-4c5e-9f60-7a8b9c0d1e2f"


@pytest.mark.parametrize("value", [
    CANONICAL,
    CANONICAL.upper(),
    CANONICAL.replace("-", ""),
    "{" + CANONICAL + "}",
    "urn:uuid:" + CANONICAL,
])
def test_uuid_string_canonicalises(value):
    result = UUIDString().deserialize(value)

    assert result == CANONICAL
    assert isinstance(result, str)


@pytest.mark.parametrize("value", ["", "not-a-uuid", CANONICAL[:-1], CANONICAL + "0", "เลขที่เรื่อง"])
def test_uuid_string_refuses_what_is_not_a_uuid(value):
    with pytest.raises(ValidationError, match="Not a valid UUID"):
        UUIDString().deserialize(value)


def test_uuid_string_refuses_non_strings():
    with pytest.raises(ValidationError):
        UUIDString().deserialize(12345)


def test_uuid_string_serialises_a_uuid_as_its_string():
    value = uuid.UUID(CANONICAL)

    assert UUIDString().serialize("ref", {"ref": value}) == CANONICAL


@given(st.uuids())
def test_uuid_string_round_trips_any_uuid(value):
    assert UUIDString().deserialize(str(value).upper()) == str(value)
