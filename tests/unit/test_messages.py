"""services/notify/messages.py: the acknowledgment sent to a complainant."""
import pytest

from services.notify.messages import Message, acknowledgment

NUMBER = "HUB-2569-000042"


def test_acknowledgment_carries_the_tracking_number_in_subject_and_body():
    message = acknowledgment(NUMBER, "สมศรี ใจดี")

    assert isinstance(message, Message)
    assert message.subject == f"ได้รับเรื่องร้องเรียนของท่านแล้ว เลขที่ {NUMBER}"
    assert f"เลขที่รับเรื่อง {NUMBER}" in message.body
    assert f"Tracking number: {NUMBER}." in message.body


def test_acknowledgment_greets_the_complainant_by_name():
    message = acknowledgment(NUMBER, "สมศรี ใจดี")

    assert message.body.splitlines()[0] == "เรียน คุณสมศรี ใจดี"
    assert "ผู้ร้องเรียน" not in message.body.splitlines()[0]


@pytest.mark.parametrize("name", [None, ""])
def test_acknowledgment_without_a_name_uses_the_generic_greeting(name):
    message = acknowledgment(NUMBER, name)

    assert message.body.splitlines()[0] == "เรียน ผู้ร้องเรียน"
    assert "คุณ" not in message.body


def test_acknowledgment_is_bilingual_and_mentions_the_access_code():
    body = acknowledgment("CM01-2570-000007").body

    assert "รหัสติดตาม" in body
    assert "access code" in body
    assert body.count("CM01-2570-000007") == 2


def test_acknowledgment_subject_is_one_line():
    assert "\n" not in acknowledgment(NUMBER, "สมชาย").subject


def test_message_is_immutable():
    message = acknowledgment(NUMBER)

    with pytest.raises(AttributeError):
        message.subject = "อื่น"
