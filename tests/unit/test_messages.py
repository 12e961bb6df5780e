"""services/notify/messages.py: the words sent to complainants, all of them the office's own."""
import re

import pytest
import yaml
from jinja2 import StrictUndefined

from services.notify import messages
from services.notify.messages import Message


def acknowledgment(tracking_number):
    return messages.compose("acknowledgment", {"tracking_number": tracking_number})


def kb_answer(tracking_number, answer):
    return messages.compose("kb_answer", {"tracking_number": tracking_number, "answer": answer})


def result(tracking_number, answer, answered_by=None):
    return messages.compose("result", {"tracking_number": tracking_number, "answer": answer,
                                       "answered_by": answered_by})


def routed(tracking_number, unit_name, business_days=None):
    return messages.compose("routed", {"tracking_number": tracking_number, "unit_name": unit_name,
                                       "business_days": business_days})


def progress(tracking_number):
    return messages.compose("progress", {"tracking_number": tracking_number})


def info_request(tracking_number, question):
    return messages.compose("info_request", {"tracking_number": tracking_number, "question": question})


def reopened(tracking_number):
    return messages.compose("reopened", {"tracking_number": tracking_number})

NUMBER = "HUB-2569-000042"


def test_acknowledgment_carries_the_tracking_number_in_subject_and_body():
    message = acknowledgment(NUMBER)

    assert isinstance(message, Message)
    assert message.subject == f"ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ {NUMBER}"
    assert f"เลขที่รับเรื่อง {NUMBER}" in message.body
    assert f"Tracking number: {NUMBER}." in message.body


def test_every_notice_greets_the_complainant_by_role():
    assert acknowledgment(NUMBER).body.splitlines()[0] == "เรียน ผู้ร้องเรียน"
    assert result(NUMBER, "ซ่อมถนนแล้ว").body.splitlines()[0] == "เรียน ผู้ร้องเรียน"
    assert kb_answer(NUMBER, "เปิดรับสมัครเดือนหน้า").body.splitlines()[0] == "เรียน ผู้สอบถาม"
    for message in (acknowledgment(NUMBER), result(NUMBER, "x"), kb_answer(NUMBER, "x")):
        assert "คุณ" not in message.body


@pytest.mark.parametrize("purpose", messages.PURPOSES_COMPLAINANT)
def test_no_notice_can_be_given_words_a_complainant_chose(purpose):
    """Anyone can file a case with anyone's e-mail address: a name, subject or description they typed
    would be the office's mail to a stranger. A notice's fields take nothing of the complainant's: an
    answer and a question are an officer's, a unit's name the directory's."""
    required, optional = messages.FIELDS[purpose]
    assert set(required + optional) <= {"tracking_number", "answer", "answered_by", "unit_name", "business_days",
                                        "question", "survey_url"}


@pytest.mark.parametrize("message,words", [
    (routed(NUMBER, "กองช่าง", 3), ("ส่งให้ กองช่าง ดำเนินการแล้ว", "ภายใน 3 วันทำการ")),
    (routed(NUMBER, "กองช่าง"), ("ส่งให้ กองช่าง ดำเนินการแล้ว",)),
    (progress(NUMBER), ("กำลังดำเนินการ",)),
    (info_request(NUMBER, "ไฟดวงไหน อาคารใด"), ("ขอข้อมูลเพิ่มเติม", "ไฟดวงไหน อาคารใด")),
    (reopened(NUMBER), ("เปิดพิจารณาอีกครั้ง",)),
])
def test_each_progress_notice_names_the_case_and_says_what_happened_also_in_its_sms(message, words):
    for text in (message.body, message.short):
        assert NUMBER in text and all(w in text for w in words), text
    assert NUMBER in message.subject and "\n" not in message.subject
    assert message.body.startswith("เรียน ผู้ร้องเรียน") and not message.short.startswith("เรียน")


def test_acknowledgment_is_bilingual_mentions_the_access_code_and_tells_a_stranger_to_do_nothing():
    body = acknowledgment("CM01-2570-000007").body

    assert "รหัสติดตาม" in body
    assert "access code" in body
    assert "หากท่านไม่ได้ยื่นเรื่องนี้" in body and "If you did not file this complaint" in body
    assert body.count("CM01-2570-000007") == 2


def test_acknowledgment_subject_is_one_line():
    assert "\n" not in acknowledgment(NUMBER).subject


def test_message_is_immutable():
    message = acknowledgment(NUMBER)

    with pytest.raises(AttributeError):
        message.subject = "อื่น"


# -- the templates (deploy/notify-templates) ------------------------------------------------------

ALL_PURPOSES = messages.PURPOSES_COMPLAINANT + messages.PURPOSES_OFFICER
CHANNELS = (None, "email", "line", "sms", "letter")
DUE_UTC = "2026-12-01T09:30:00+00:00"  # 16.30 in Bangkok
LATIN = re.compile(r"[A-Za-z]")


def _without_fields(text, notice):
    """The text without the values it was given (tracking numbers, a site's code, a link): what is
    left is the template's own words."""
    values = [str(v) for v in notice.values() if isinstance(v, (str, int)) and not isinstance(v, bool)]
    values += [str(case["tracking_number"]) for case in notice.get("cases") or ()]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_the_purposes_are_all_there_and_each_has_a_template_and_a_sample():
    assert messages.PURPOSES_COMPLAINANT == ("acknowledgment", "kb_answer", "result", "routed", "progress",
                                             "info_request", "reopened", "survey")
    assert messages.PURPOSES_OFFICER == ("assigned", "warning", "breach", "escalation", "digest")
    for purpose in ALL_PURPOSES:
        assert (messages.TEMPLATES / f"{purpose}.j2").is_file()
        assert set(messages.SAMPLES[purpose]) == set(sum(messages.FIELDS[purpose], ()))


def test_templates_are_plain_text_and_an_undefined_name_is_an_error():
    env = messages._environment(None, False)

    assert env.undefined is StrictUndefined
    assert not env.autoescape and env.trim_blocks and env.lstrip_blocks and env.keep_trailing_newline
    assert messages._environment(None, False) is env                 # cached per (folder, thai_digits)
    assert messages._environment(None, True) is not env


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("purpose", ALL_PURPOSES)
def test_every_purpose_renders_for_every_channel(purpose, channel):
    notice = messages.SAMPLES[purpose]
    message = messages.compose(purpose, notice, channel)

    assert message.subject and "\n" not in message.subject and message.subject == message.subject.strip()
    assert message.body.startswith("เรียน ") and message.body.endswith("\n") and not message.body.endswith("\n\n")
    assert message.short and not message.short.startswith("เรียน")
    assert messages.GREETING_COMPLAINANT not in message.short and messages.GREETING_INQUIRER not in message.short
    assert not LATIN.search(_without_fields(message.short, notice)), message.short   # no English in an SMS
    assert not LATIN.search(_without_fields(message.subject, notice)), message.subject
    if purpose != "acknowledgment":  # only the acknowledgment has English lines
        assert not LATIN.search(_without_fields(message.body, notice)), message.body
    for text in (message.subject, message.body, message.short):
        assert "None" not in text and "{" not in text
        if purpose != "digest":
            assert notice["tracking_number"] in text


@pytest.mark.parametrize("purpose", ALL_PURPOSES)
def test_every_optional_field_may_be_none(purpose):
    required, optional = messages.FIELDS[purpose]
    notice = {**messages.SAMPLES[purpose], **{key: None for key in optional}}

    for channel in CHANNELS:
        message = messages.compose(purpose, notice, channel)
        for text in (message.subject, message.body, message.short):
            assert "None" not in text


def test_the_acknowledgment_shows_its_english_lines_only_when_asked_and_never_in_a_letter():
    with_english = messages.compose("acknowledgment", {"tracking_number": NUMBER})
    thai_only = messages.compose("acknowledgment", {"tracking_number": NUMBER}, english=False)
    letter = messages.compose("acknowledgment", {"tracking_number": NUMBER}, "letter")

    assert "Tracking number" in with_english.body
    assert with_english.body.startswith(thai_only.body.rstrip("\n"))
    assert thai_only.body.endswith("หากท่านไม่ได้ยื่นเรื่องนี้ ท่านไม่ต้องดำเนินการใด ๆ\n")
    assert not LATIN.search(thai_only.body.replace(NUMBER, ""))
    assert letter.body == thai_only.body


def test_the_complainants_notices_keep_todays_words_exactly():
    assert routed(NUMBER, "กองช่าง", 3) == Message(
        subject=f"เรื่องของท่านเลขที่ {NUMBER} ถึงหน่วยงานที่รับผิดชอบแล้ว",
        body=(f"เรียน ผู้ร้องเรียน\n\nเรื่องของท่าน เลขที่ {NUMBER} ได้ส่งให้ กองช่าง ดำเนินการแล้ว "
              "กำหนดแล้วเสร็จภายใน 3 วันทำการ\nท่านติดตามความคืบหน้าได้ด้วยเลขที่รับเรื่องนี้และรหัสติดตาม\n"),
        short=f"เรื่องเลขที่ {NUMBER} ส่งให้ กองช่าง ดำเนินการแล้ว กำหนดแล้วเสร็จภายใน 3 วันทำการ")
    assert result(NUMBER, "ซ่อมแล้ว", "CM01") == Message(
        subject=f"แจ้งผลการพิจารณาเรื่องร้องเรียน เลขที่ {NUMBER}",
        body=(f"เรียน ผู้ร้องเรียน\n\nผลการพิจารณาเรื่องของท่าน เลขที่ {NUMBER} (ผลการพิจารณาจาก CM01):\n\n"
              "ซ่อมแล้ว\n\nหากท่านไม่เห็นด้วยกับผลการพิจารณา ท่านโต้แย้งได้ภายใน 90 วัน "
              "โดยอ้างเลขที่รับเรื่องและรหัสติดตาม\n"),
        short=f"ผลการพิจารณาเรื่องเลขที่ {NUMBER} (ผลการพิจารณาจาก CM01): ซ่อมแล้ว")
    assert kb_answer(NUMBER, "คำตอบ") == messages.compose(
        "kb_answer", {"tracking_number": NUMBER, "answer": "คำตอบ"}, "email")


def test_the_survey_asks_how_satisfied_with_the_link():
    url = "https://office.example/s/1"
    message = messages.compose("survey", {"tracking_number": NUMBER, "survey_url": url})

    assert "พึงพอใจ" in message.subject and NUMBER in message.subject
    assert url in message.body and url in message.short and "พึงพอใจ" in message.short


# -- the office's notices -------------------------------------------------------------------------

COMPLAINANTS_WORDS = {"name": "สมชาย ใจดี", "complainant_name": "สมชาย ใจดี", "email": "somchai@example.com",
                      "phone": "0812345678", "subject": "ไฟดับหน้าบ้านนายสมชาย",
                      "description": "แจ้งคืนเงินที่ https://refund.example"}


@pytest.mark.parametrize("purpose", messages.PURPOSES_OFFICER)
def test_officer_notices_name_the_case_and_never_carry_a_field_they_were_not_given(purpose):
    notice = {**messages.SAMPLES[purpose], **COMPLAINANTS_WORDS}
    if purpose == "digest":
        notice["cases"] = [{**case, **COMPLAINANTS_WORDS} for case in notice["cases"]]

    for channel in CHANNELS:
        message = messages.compose(purpose, notice, channel)
        for text in (message.subject, message.body, message.short):
            for words in COMPLAINANTS_WORDS.values():
                assert words not in text
            assert "สมชาย" not in text and "refund" not in text
        numbers = [c["tracking_number"] for c in notice["cases"]] if purpose == "digest" \
            else [notice["tracking_number"]]
        for number in numbers:
            assert number in message.body
            if purpose != "digest":
                assert number in message.subject and number in message.short


def test_an_office_template_cannot_reach_a_field_its_purpose_does_not_have(tmp_path):
    (tmp_path / "warning.j2").write_text(
        "{% block subject %}{{ tracking_number }} {{ name }}{% endblock %}"
        "{% block body %}x{% endblock %}{% block short %}x{% endblock %}", encoding="utf-8")

    with pytest.raises(ValueError, match="'name' is undefined"):
        messages.compose("warning", {**messages.SAMPLES["warning"], "name": "สมชาย"}, folder=tmp_path)


def test_officer_notices_say_what_is_due_and_when():
    warning = messages.compose("warning", {**messages.SAMPLES["warning"], "due_at": DUE_UTC})
    breach = messages.compose("breach", {**messages.SAMPLES["breach"], "target": "first_notice"})
    escalation = messages.compose("escalation", {**messages.SAMPLES["escalation"], "step": 2})
    anonymous = messages.compose("escalation", {**messages.SAMPLES["escalation"], "role_title": None})
    assigned = messages.compose("assigned", messages.SAMPLES["assigned"])

    assert warning.subject == "แจ้งเตือน: เรื่องร้องเรียนเลขที่ HUB-2570-000123 ใกล้ครบกำหนดแล้วเสร็จ"
    assert "1 ธันวาคม 2569 เวลา 16.30 น." in warning.body and "1 ธันวาคม 2569 เวลา 16.30 น." in warning.short
    assert "เกินกำหนดแจ้งความคืบหน้าแก่ผู้ร้องเรียนแล้ว" in breach.subject
    assert escalation.body.startswith("เรียน หัวหน้ากลุ่มงานตรวจสอบและติดตามผล\n")
    assert "ครั้งที่ 2" in escalation.subject and "โปรดพิจารณาสั่งการ" in escalation.body
    assert anonymous.body.startswith("เรียน ผู้บังคับบัญชา\n") and "unit_head" not in anonymous.body
    assert "ประเภทที่ 2 ข้อร้องเรียนเรื่องเล็กน้อย" in assigned.body and "15 วันทำการ" in assigned.body


def test_the_digest_counts_its_cases_in_the_order_given():
    cases = messages.SAMPLES["digest"]["cases"]
    message = messages.compose("digest", {"unit_name": "กองช่าง", "cases": list(reversed(cases))})

    assert message.subject == "รายงานเรื่องค้างประจำวัน กองช่าง จำนวน 3 เรื่อง"
    positions = [message.body.index(c["tracking_number"]) for c in reversed(cases)]
    assert positions == sorted(positions)
    assert "เกินกำหนด 2 วันทำการ" in message.body and "เหลือ 5 วันทำการ" in message.body
    assert "ครบกำหนดวันนี้" in message.body and "เกินกำหนดแล้ว 1 เรื่อง" in message.short
    empty = messages.compose("digest", {"unit_name": "กองช่าง", "cases": []})
    assert "จำนวน 0 เรื่อง" in empty.subject and "ไม่มีเรื่องค้าง" in empty.body


# -- Thai digits and dates ------------------------------------------------------------------------

def test_thai_digits_write_the_due_date_in_thai_digits_and_keep_the_tracking_number():
    notice = {**messages.SAMPLES["warning"], "due_at": DUE_UTC}
    arabic = messages.compose("warning", notice)
    thai = messages.compose("warning", notice, thai_digits=True)

    assert "1 ธันวาคม 2569 เวลา 16.30 น." in arabic.body
    assert "๑ ธันวาคม ๒๕๖๙ เวลา ๑๖.๓๐ น." in thai.body and "๑ ธันวาคม ๒๕๖๙ เวลา ๑๖.๓๐ น." in thai.short
    assert "HUB-2570-000123" in thai.subject and "HUB-2570-000123" in thai.short
    assert "๙๐ วัน" in messages.compose("result", messages.SAMPLES["result"], thai_digits=True).body
    digest = messages.compose("digest", messages.SAMPLES["digest"], thai_digits=True)
    assert "จำนวน ๓ เรื่อง" in digest.subject and "HUB-2570-000098" in digest.body


def test_dates_and_kinds_as_thai_writes_them():
    from datetime import date, datetime, timezone

    assert messages.thai_date(date(2026, 12, 1)) == "1 ธันวาคม 2569"
    assert messages.thai_date(datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc), thai=True) == "๑ ธันวาคม ๒๕๖๙"
    assert messages.thai_datetime("2026-12-01T01:05:00Z") == "1 ธันวาคม 2569 เวลา 08.05 น."
    assert messages.thai_datetime(None) == ""
    assert messages.kind_th(3) == "ข้อร้องเรียนเรื่องใหญ่" and messages.kind_th("1") == "ข้อเสนอแนะ/สอบถาม"
    assert messages.kind_th(None) == ""
    assert messages.digits("เลข 2569", True) == "เลข ๒๕๖๙" and messages.digits(15) == "15"


# -- an office's own templates --------------------------------------------------------------------

def _blocks(subject, body, short):
    return (f"{{% block subject %}}\n{subject}\n{{% endblock %}}\n{{% block body %}}\n{body}\n{{% endblock %}}\n"
            f"{{% block short %}}\n{short}\n{{% endblock %}}\n")


def test_an_offices_result_template_replaces_the_shipped_one_on_every_channel(tmp_path):
    (tmp_path / "result.j2").write_text(_blocks(
        "ผลเรื่อง {{ tracking_number }}", "{{ GREETING_COMPLAINANT }}\n\nเทศบาลแจ้งผล: {{ answer }}",
        "ผล {{ tracking_number }}: {{ answer }}"), encoding="utf-8")
    notice = {"tracking_number": NUMBER, "answer": "ซ่อมแล้ว"}

    for channel in CHANNELS:
        message = messages.compose("result", notice, channel, folder=tmp_path)
        assert message.subject == f"ผลเรื่อง {NUMBER}"
        assert message.body == "เรียน ผู้ร้องเรียน\n\nเทศบาลแจ้งผล: ซ่อมแล้ว\n"
        assert message.short == f"ผล {NUMBER}: ซ่อมแล้ว"
    assert messages.compose("routed", messages.SAMPLES["routed"], folder=tmp_path) == \
        messages.compose("routed", messages.SAMPLES["routed"])         # the others stay the shipped ones


def test_an_offices_template_comes_before_a_shipped_channels_own(tmp_path):
    (tmp_path / "acknowledgment.j2").write_text(
        _blocks("รับเรื่อง {{ tracking_number }}", "เรียน ผู้ร้องเรียน\n\nรับแล้ว", "รับแล้ว"), encoding="utf-8")

    assert messages.compose("acknowledgment", {"tracking_number": NUMBER}, "letter", folder=tmp_path).body == \
        "เรียน ผู้ร้องเรียน\n\nรับแล้ว\n"


def test_an_offices_routed_sms_template_changes_the_sms_alone(tmp_path):
    (tmp_path / "routed.sms.j2").write_text(
        '{% extends "routed.j2" %}\n{% block short %}\nเรื่อง {{ tracking_number }} อยู่ที่ {{ unit_name }}'
        '{{ m.within(business_days) }}\n{% endblock %}\n', encoding="utf-8")
    notice = messages.SAMPLES["routed"]
    shipped = messages.compose("routed", notice, "sms")

    sms = messages.compose("routed", notice, "sms", folder=tmp_path)
    assert sms.short == "เรื่อง HUB-2570-000123 อยู่ที่ กลุ่มงานตรวจสอบและติดตามผล กำหนดแล้วเสร็จภายใน 15 วันทำการ"
    assert (sms.subject, sms.body) == (shipped.subject, shipped.body)    # the rest from routed.j2
    for channel in ("email", "line", "letter", None):
        assert messages.compose("routed", notice, channel, folder=tmp_path) == \
            messages.compose("routed", notice, channel)


@pytest.mark.parametrize("name,text,says", [
    ("progress.j2", _blocks("{{ tracking_number }}", "{{ complainant_name }}", "x"), "'complainant_name' is undefined"),
    ("progress.j2", "{% block subject %}{{ tracking_number }\n", "line 1"),
    ("progress.j2", "{% block subject %}{{ tracking_number }}{% endblock %}\n", "no block body, short"),
    ("progress.email.j2", '{% extends "nowhere.j2" %}', "nowhere.j2"),
    ("progress.email.j2", _blocks("{{ tracking_number|thai_date }}", "x", "x"), "progress.email.j2"),
])
def test_a_template_that_fails_is_a_value_error_naming_the_purpose_and_template(tmp_path, name, text, says):
    (tmp_path / name).write_text(text, encoding="utf-8")

    with pytest.raises(ValueError) as error:
        messages.compose("progress", {"tracking_number": NUMBER}, "email", folder=tmp_path)
    assert "notice progress" in str(error.value) and name in str(error.value) and says in str(error.value)


def test_an_unknown_purpose_or_a_missing_field_is_a_value_error():
    with pytest.raises(ValueError, match="no notice 'thanks'.*acknowledgment"):
        messages.compose("thanks", {"tracking_number": NUMBER})
    with pytest.raises(ValueError, match="notice routed: missing unit_name"):
        messages.compose("routed", {"tracking_number": NUMBER})
    with pytest.raises(ValueError, match="due_at 'tomorrow'"):
        messages.compose("warning", {**messages.SAMPLES["warning"], "due_at": "tomorrow"})


# -- rongtuk notify preview -----------------------------------------------------------------------

def _preview(tmp_path, *arguments, templates=None):
    from click.testing import CliRunner

    from services.cli import main
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"NOTIFY": {"templates": str(templates) if templates else None}}),
                      encoding="utf-8")
    return CliRunner().invoke(main, ["--config", str(config), "notify", "preview", *arguments])


def test_preview_prints_the_subject_with_the_case_given_then_the_body(tmp_path):
    result = _preview(tmp_path, "warning", "--case", "CM01-2570-000007")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "แจ้งเตือน: เรื่องร้องเรียนเลขที่ CM01-2570-000007 ใกล้ครบกำหนดแล้วเสร็จ"
    assert lines[1] == "" and lines[2].startswith("เรียน ")


def test_preview_of_an_sms_prints_its_short_text_with_the_fields_set(tmp_path):
    result = _preview(tmp_path, "routed", "--channel", "sms", "--case", "CM01-2570-000007",
                      "--set", "unit_name=กองช่าง", "--set", "business_days=7", "--thai-digits")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2] == "เรื่องเลขที่ CM01-2570-000007 ส่งให้ กองช่าง ดำเนินการแล้ว " \
                                            "กำหนดแล้วเสร็จภายใน ๗ วันทำการ"


def test_preview_uses_the_templates_the_config_names(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "progress.j2").write_text(_blocks("คืบหน้า {{ tracking_number }}", "เรียน ผู้ร้องเรียน", "x"),
                                        encoding="utf-8")

    result = _preview(tmp_path, "progress", "--case", "CM01-2570-000007", templates=office)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "คืบหน้า CM01-2570-000007"


def test_preview_of_an_unknown_purpose_fails_with_the_list_of_purposes(tmp_path):
    result = _preview(tmp_path, "thanks")

    assert result.exit_code != 0
    assert "thanks" in result.output and all(p in result.output for p in ALL_PURPOSES)
    unknown_field = _preview(tmp_path, "progress", "--set", "name=สมชาย")
    assert unknown_field.exit_code != 0 and "tracking_number" in unknown_field.output
