"""services/intake/schemas.py: what POST /cases accepts."""

import pytest
from marshmallow import ValidationError

from services.intake.schemas import DESCRIPTION_MAX, SUBJECT_MAX, NewCaseSchema

VALID = {
    "channel": "web",
    "kind": 2,
    "subject": "เจ้าหน้าที่เรียกรับเงินค่าดำเนินการขอรับเงินอุดหนุนโครงการ",
    "description": (
        "เรียน ผู้อำนวยการ\n"
        "ข้าพเจ้าเป็นสมาชิกกลุ่มวิสาหกิจชุมชนบ้านหนองบัว อำเภอเมือง จังหวัดขอนแก่น\n"
        "เมื่อวันที่ 3 พฤศจิกายน 2568 เจ้าหน้าที่แจ้งว่าต้องจ่ายเงิน 5,000 บาท\n"
        "จึงจะพิจารณาคำขอรับเงินอุดหนุนโครงการให้ ขอให้ตรวจสอบด้วย"
    ),
    "complainant": {"name": "นายสมชาย ใจดี", "email": "somchai.j@example.co.th", "phone": "+66 81 234 5678"},
}


def case(**changes):
    data = {**VALID, **changes}
    return {k: v for k, v in data.items() if v is not ...}


def errors_of(data):
    with pytest.raises(ValidationError) as info:
        NewCaseSchema().load(data)
    return info.value.messages


def test_valid_thai_case_loads():
    loaded = NewCaseSchema().load(case())

    expected = {**VALID, "attachments": [], "confidential": False,
                "complainant": {**VALID["complainant"], "phone": "+66812345678"}}  # phone normalised
    assert loaded == expected


def test_loaded_text_is_nfc_and_trimmed():
    subject = "  ขอให้ซ่อมท่อประปา\u0e19\u0e49\u0e4d\u0e32รั่ว  "

    loaded = NewCaseSchema().load(case(subject=subject))

    assert loaded["subject"] == "ขอให้ซ่อมท่อประปาน้ำรั่ว"  # trimmed, sara am composed


@pytest.mark.parametrize("field", ["channel", "subject", "description"])
def test_missing_required_field_is_reported_on_that_field(field):
    messages = errors_of(case(**{field: ...}))

    assert messages == {field: ["Missing data for required field."]}


def test_every_missing_field_is_reported_at_once():
    messages = errors_of({})

    assert set(messages) == {"channel", "subject", "description"}


@pytest.mark.parametrize("kind", [..., None])
def test_a_case_may_come_with_no_kind_and_routing_reads_it_from_the_words(kind):
    assert NewCaseSchema().load(case(kind=kind)).get("kind") is None


@pytest.mark.parametrize("channel", ["telegram", "WEB", "", None, 1])
def test_unknown_channel_is_refused(channel):
    assert set(errors_of(case(channel=channel))) == {"channel"}


@pytest.mark.parametrize("channel", ["hotline", "line", "po_box", "complaint_box", "field_inspection"])
def test_known_channels_are_accepted(channel):
    assert NewCaseSchema().load(case(channel=channel))["channel"] == channel


@pytest.mark.parametrize("kind", [0, 5, -1, "2", True, False, 2.0])
def test_kind_must_be_an_integer_from_one_to_four(kind):
    assert set(errors_of(case(kind=kind))) == {"kind"}


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
def test_kinds_one_to_four_are_accepted(kind):
    assert NewCaseSchema().load(case(kind=kind))["kind"] == kind


def test_subject_of_exactly_the_maximum_length_is_accepted():
    subject = ("ร้องเรียนถนนชำรุด" * 20)[:SUBJECT_MAX]
    assert len(subject) == SUBJECT_MAX == 200

    assert NewCaseSchema().load(case(subject=subject))["subject"] == subject


def test_subject_over_200_characters_is_refused():
    subject = "ร" * (SUBJECT_MAX + 1)

    assert set(errors_of(case(subject=subject))) == {"subject"}


@pytest.mark.parametrize("subject", ["", "   ", "\u3000"])
def test_blank_subject_is_refused(subject):
    assert set(errors_of(case(subject=subject))) == {"subject"}


def test_subject_may_not_contain_a_newline():
    messages = errors_of(case(subject="ถนนชำรุด\nซ่อมด่วน"))

    assert "control character" in messages["subject"][0]


def test_description_may_span_lines_but_not_contain_other_controls():
    assert "\n" in NewCaseSchema().load(case())["description"]

    messages = errors_of(case(description="น้ำท่วมขัง\x00หน้าบ้าน"))

    assert "U+0000" in messages["description"][0]


def test_description_of_exactly_the_maximum_length_is_accepted():
    description = "ก" * DESCRIPTION_MAX

    assert len(NewCaseSchema().load(case(description=description))["description"]) == 5000


def test_description_over_5000_characters_is_refused():
    assert set(errors_of(case(description="ข" * (DESCRIPTION_MAX + 1)))) == {"description"}


def test_one_megabyte_description_is_refused():
    description = "x" * (1024 * 1024)

    messages = errors_of(case(description=description))

    assert set(messages) == {"description"}


def test_unknown_top_level_field_is_refused():
    messages = errors_of(case(priority="urgent"))

    assert messages == {"priority": ["Unknown field."]}


def test_unknown_complainant_field_is_refused():
    messages = errors_of(case(complainant={"name": "นางสาวสมศรี", "citizen_id": "1103700012345"}))

    assert messages == {"complainant": {"citizen_id": ["Unknown field."]}}


@pytest.mark.parametrize("email", ["somchai", "somchai@", "@example.co.th", "สมชาย at example"])
def test_bad_complainant_email_is_refused(email):
    messages = errors_of(case(complainant={"name": "นายสมชาย", "email": email}))

    assert set(messages) == {"complainant"}
    assert set(messages["complainant"]) == {"email"}


def test_bad_complainant_phone_is_refused():
    messages = errors_of(case(complainant={"phone": "โทร 081"}))

    assert messages == {"complainant": {"phone": [
        "A phone number has only digits, spaces, dashes and a leading +66."]}}


def test_complainant_is_optional():
    loaded = NewCaseSchema().load(case(complainant=...))

    assert "complainant" not in loaded


def test_complainant_may_be_null():
    assert NewCaseSchema().load(case(complainant=None))["complainant"] is None


def test_complainant_fields_may_be_null_or_absent():
    loaded = NewCaseSchema().load(case(complainant={"name": None, "email": None}))

    assert loaded["complainant"] == {"name": None, "email": None}
    assert NewCaseSchema().load(case(complainant={}))["complainant"] == {}


def test_complainant_name_is_text_normalised():
    loaded = NewCaseSchema().load(case(complainant={"name": "  นางสาวสมศรี  ใจดี "}))

    assert loaded["complainant"]["name"] == "นางสาวสมศรี  ใจดี"


def test_complainant_must_be_an_object():
    assert set(errors_of(case(complainant="นายสมชาย ใจดี"))) == {"complainant"}
