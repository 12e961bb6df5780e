"""services/notify/messages.py: the words sent to complainants, all of them the office's own."""
import inspect

import pytest

from services.notify import messages
from services.notify.messages import Message, acknowledgment, kb_answer, result

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


@pytest.mark.parametrize("compose", [messages.acknowledgment, messages.kb_answer, messages.result, messages.routed,
                                     messages.progress, messages.info_request, messages.reopened])
def test_no_notice_can_be_given_words_a_complainant_chose(compose):
    """Anyone can file a case with anyone's e-mail address: a name, subject or description they typed
    would be the office's mail to a stranger. The composers take nothing of the complainant's: an
    answer and a question are an officer's, a unit's name the directory's."""
    parameters = set(inspect.signature(compose).parameters)
    assert parameters <= {"tracking_number", "answer", "answered_by", "unit_name", "business_days", "question"}


@pytest.mark.parametrize("message,words", [
    (messages.routed(NUMBER, "กองช่าง", 3), ("ส่งให้ กองช่าง ดำเนินการแล้ว", "ภายใน 3 วันทำการ")),
    (messages.routed(NUMBER, "กองช่าง"), ("ส่งให้ กองช่าง ดำเนินการแล้ว",)),
    (messages.progress(NUMBER), ("กำลังดำเนินการ",)),
    (messages.info_request(NUMBER, "ไฟดวงไหน อาคารใด"), ("ขอข้อมูลเพิ่มเติม", "ไฟดวงไหน อาคารใด")),
    (messages.reopened(NUMBER), ("เปิดพิจารณาอีกครั้ง",)),
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
