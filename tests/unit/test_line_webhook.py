"""services/intake/line.py: LINE Messaging API webhooks, verified and turned into complaints.

Payloads follow https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects.
"""
import base64
import hashlib
import hmac
import json
import unicodedata

import pytest

from services.intake.exceptions import LineError
from services.intake.line import complaints, verify

SECRET = "8c570fa6dd201bb328f1c1eac23a96d8"
USER = "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"
OTHER_USER = "Ub1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6"
DESTINATION = "Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"


def signed(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def text_event(text, event_id="01HZ8Q3V7X2K9M4N6P8R0T2W4Y", message_id="510123456789012345", user=USER,
               source_type="user", **extra):
    source = {"type": source_type, "userId": user}
    if source_type == "group":
        source["groupId"] = "Ca56f94637c7f4c2a9a1b2c3d4e5f6a7b"
    return {
        "type": "message",
        "message": {"type": "text", "id": message_id, "quoteToken": "q3Plxr4AgKd...", "text": text},
        "webhookEventId": event_id,
        "deliveryContext": {"isRedelivery": False},
        "timestamp": 1763694600000,
        "source": source,
        "replyToken": "b60d432864f44d079f6d8efe86cf404b",
        "mode": "active",
        **extra,
    }


def payload(*events):
    return {"destination": DESTINATION, "events": list(events)}


# --- the signature ---------------------------------------------------------------------------

BODY = json.dumps(payload(text_event("ไฟถนนดับทั้งซอย")), ensure_ascii=False).encode()


def test_a_correct_signature_is_accepted():
    assert verify(SECRET, BODY, signed(SECRET, BODY)) is True


def test_the_signature_of_an_empty_body_is_checked_too():
    assert verify(SECRET, b"", signed(SECRET, b"")) is True


def test_a_signature_made_with_another_secret_is_refused():
    assert verify(SECRET, BODY, signed("0f1e2d3c4b5a69788796a5b4c3d2e1f0", BODY)) is False


def test_a_tampered_body_is_refused():
    tampered = BODY.replace("ไฟถนนดับ".encode(), "ถนนพัง".encode())
    assert tampered != BODY
    assert verify(SECRET, tampered, signed(SECRET, BODY)) is False


@pytest.mark.parametrize("given", [None, ""])
def test_a_missing_signature_is_refused(given):
    assert verify(SECRET, BODY, given) is False


@pytest.mark.parametrize("secret", ["", None])
def test_without_a_channel_secret_nothing_is_accepted(secret):
    assert verify(secret, BODY, signed("", BODY)) is False


def test_a_hex_digest_instead_of_base64_is_refused():
    hex_digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    assert verify(SECRET, BODY, hex_digest) is False


@pytest.mark.parametrize("given", ["ÿÿÿÿ", "ลายเซ็น", "é" + signed(SECRET, BODY)[1:]])
def test_a_signature_header_with_non_ascii_characters_is_refused_not_an_error(given):
    """HTTP header values reach the service decoded as Latin-1: anyone can send bytes above 0x7F.
    A bad header is a 401, not an exception (hmac.compare_digest refuses non-ASCII str)."""
    assert verify(SECRET, BODY, given) is False


# --- complaints ------------------------------------------------------------------------------

COMPLAINT = ("ขอร้องเรียนเรื่องถนนในหมู่บ้านพฤกษา 12 ชำรุด\n"
             "เป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มไปแล้วสองคัน ขอให้เทศบาลซ่อมด่วนค่ะ")


def test_a_users_text_message_becomes_a_complaint():
    found = complaints(payload(text_event(COMPLAINT, event_id="01HZ8Q3V7X2K9M4N6P8R0T2W4Y",
                                          message_id="510123456789012345")))
    assert found == [("01HZ8Q3V7X2K9M4N6P8R0T2W4Y", {
        "channel": "line", "channel_ref": {"line_message_id": "510123456789012345"},
        "kind": None, "category": None,
        "subject": "ขอร้องเรียนเรื่องถนนในหมู่บ้านพฤกษา 12 ชำรุด",
        "description": COMPLAINT,
        "location": None, "complainant": {"line_user_id": USER},
        "confidential": False, "disputes": None, "attachments": [],
    })]


def test_only_user_text_messages_are_taken_from_a_mixed_payload():
    sticker = {"type": "message", "webhookEventId": "01HZ8Q3V7X2K9M4N6P8R0T2W50", "mode": "active",
               "timestamp": 1763694601000, "source": {"type": "user", "userId": USER},
               "replyToken": "a1", "deliveryContext": {"isRedelivery": False},
               "message": {"type": "sticker", "id": "510123456789012346", "packageId": "446",
                           "stickerId": "1988", "stickerResourceType": "STATIC"}}
    follow = {"type": "follow", "webhookEventId": "01HZ8Q3V7X2K9M4N6P8R0T2W51", "mode": "active",
              "timestamp": 1763694602000, "source": {"type": "user", "userId": OTHER_USER},
              "replyToken": "a2", "deliveryContext": {"isRedelivery": False}, "follow": {"isUnblocked": False}}
    in_a_group = text_event("ประชุมหมู่บ้านพรุ่งนี้ 9 โมงนะคะ", event_id="01HZ8Q3V7X2K9M4N6P8R0T2W52",
                            source_type="group")
    image = {"type": "message", "webhookEventId": "01HZ8Q3V7X2K9M4N6P8R0T2W53", "mode": "active",
             "timestamp": 1763694603000, "source": {"type": "user", "userId": USER},
             "replyToken": "a3", "deliveryContext": {"isRedelivery": False},
             "message": {"type": "image", "id": "510123456789012347",
                         "contentProvider": {"type": "line"}}}
    unfollow = {"type": "unfollow", "webhookEventId": "01HZ8Q3V7X2K9M4N6P8R0T2W54", "mode": "active",
                "timestamp": 1763694604000, "source": {"type": "user", "userId": OTHER_USER},
                "deliveryContext": {"isRedelivery": False}}
    second = text_event("น้ำประปาไม่ไหลมาสามวันแล้ว ซอยรามคำแหง 24", event_id="01HZ8Q3V7X2K9M4N6P8R0T2W55",
                        message_id="510123456789012348", user=OTHER_USER)
    found = complaints(payload(sticker, text_event(COMPLAINT), follow, in_a_group, image, unfollow, second))
    assert [(external_id, data["complainant"]["line_user_id"], data["subject"]) for external_id, data in found] == [
        ("01HZ8Q3V7X2K9M4N6P8R0T2W4Y", USER, "ขอร้องเรียนเรื่องถนนในหมู่บ้านพฤกษา 12 ชำรุด"),
        ("01HZ8Q3V7X2K9M4N6P8R0T2W55", OTHER_USER, "น้ำประปาไม่ไหลมาสามวันแล้ว ซอยรามคำแหง 24"),
    ]
    assert all(data["channel"] == "line" for _, data in found)


def test_a_room_message_and_a_user_without_an_id_are_ignored():
    room = text_event("สวัสดีค่ะ", source_type="room")
    no_user = text_event("ถนนพัง")
    no_user["source"] = {"type": "user"}
    assert complaints(payload(room, no_user)) == []


def test_webhook_verification_and_empty_payloads_give_no_complaints():
    assert complaints({"destination": DESTINATION, "events": []}) == []


@pytest.mark.parametrize("body", [{}, {"destination": DESTINATION}, {"events": None},
                                  {"events": {"type": "message"}}, [], "events", None])
def test_a_body_without_an_events_list_is_refused(body):
    with pytest.raises(LineError):
        complaints(body)


def test_the_message_id_is_the_external_id_when_there_is_no_webhook_event_id():
    event = text_event("ขยะไม่ได้เก็บมาหนึ่งสัปดาห์")
    del event["webhookEventId"]
    [(external_id, data)] = complaints(payload(event))
    assert external_id == "510123456789012345"
    assert data["channel_ref"] == {"line_message_id": "510123456789012345"}


def test_a_text_message_with_no_id_at_all_is_refused():
    event = text_event("ขยะไม่ได้เก็บมาหนึ่งสัปดาห์")
    del event["webhookEventId"]
    del event["message"]["id"]
    with pytest.raises(LineError):
        complaints(payload(event))


def test_the_subject_is_the_first_line_at_most_200_characters():
    long_line = "ร้องเรียนเรื่องเสียงดังจากโรงงาน" * 20
    assert len(long_line) > 200
    [(_, data)] = complaints(payload(text_event(long_line + "\nรายละเอียดเพิ่มเติม")))
    assert data["subject"] == long_line[:200]
    assert data["description"] == long_line + "\nรายละเอียดเพิ่มเติม"


def test_the_description_is_at_most_5000_characters():
    text = "ก" * 6000
    [(_, data)] = complaints(payload(text_event(text)))
    assert data["description"] == "ก" * 5000


def test_text_is_nfc_with_sara_am_composed_and_without_control_characters():
    # น + ◌ํ (nikhahit) + า is how some keyboards type "น้ำ" without the tone; ◌ํ+า must become ◌ำ
    typed = "\u0e19\u0e49\u0e4d\u0e32\u0e17\u0e48\u0e27\u0e21\x00 \u0e0b\u0e2d\u0e22\x1b[0m 5\r\nไม่มีใครมาดู\x07"
    [(_, data)] = complaints(payload(text_event(typed)))
    assert data["description"] == "น้ำท่วม ซอย[0m 5\nไม่มีใครมาดู"
    assert data["subject"] == "น้ำท่วม ซอย[0m 5"
    assert "\u0e4d\u0e32" not in data["description"]
    assert unicodedata.is_normalized("NFC", data["description"])
    assert not any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in data["description"])


def test_decomposed_input_is_composed():
    decomposed = unicodedata.normalize("NFD", "Café ถนนพัง")
    [(_, data)] = complaints(payload(text_event(decomposed)))
    assert data["description"] == unicodedata.normalize("NFC", "Café ถนนพัง")


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "\n\n"])
def test_a_message_that_is_empty_after_cleaning_is_ignored(text):
    assert complaints(payload(text_event(text))) == []
