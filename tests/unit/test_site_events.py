"""The contract of what crosses between sites: case_forwarded, case_answered, case_received v3."""
import uuid
from datetime import datetime, timezone

import pytest

from shared import events
from shared.events import CASE_ANSWERED, CASE_ANSWERED_V1, CASE_FORWARDED, CASE_RECEIVED, CASE_RECEIVED_V2, InvalidEvent

CASE_ID = str(uuid.uuid4())
NOW = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
RECORD = {"channel": "hotline", "kind": 2, "subject": "ครูขาดสอนบ่อย", "description": "ครูประจำชั้นขาดสอนทุกวันศุกร์",
          "received_at": NOW, "category": None, "location": None, "confidential": False}


def forwarded(**overrides):
    payload = dict(tracking_number="HUB-2569-000001", to_site="KALASIN", reason="เป็นเรื่องของสำนักงานจังหวัด",
                   officer="สมหญิง", record=RECORD, complainant=None)
    payload.update(overrides)
    return CASE_FORWARDED.build(site_id="HUB", case_id=CASE_ID, occurred_at=NOW, **payload)


def test_a_forwarded_case_carries_its_record_and_no_complainant_by_default():
    body = forwarded()

    loaded = events.load("routing", "case_forwarded", body)

    assert loaded["record"]["subject"] == "ครูขาดสอนบ่อย"
    assert loaded["complainant"] is None
    assert loaded["to_site"] == "KALASIN"


def test_a_forwarded_case_refuses_identity_fields_beyond_name_and_contacts():
    with pytest.raises(InvalidEvent) as info:
        forwarded(complainant={"name": "ก", "email": None, "phone": None, "national_id": "1234567890123"})

    assert "complainant" in info.value.errors


def test_a_forwarded_case_must_name_its_destination():
    with pytest.raises(InvalidEvent) as info:
        forwarded(to_site="")

    assert "to_site" in info.value.errors


def test_an_answer_names_the_site_that_gave_it_and_where_it_goes():
    body = CASE_ANSWERED.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2569-000001", answer="ตักเตือนครูแล้ว",
        officer="ผอ.กลุ่ม", unit_id="personnel", answered_by_site="KALASIN", to_site="HUB",
        referral={"site_id": "HUB", "case_id": CASE_ID, "tracking_number": "HUB-2569-000001"},
        documents=[{"id": str(uuid.uuid4()), "filename": "หนังสือแจ้งผล.pdf", "content_type": "application/pdf",
                    "size": 1234, "sha256": "a" * 64, "site_id": "KALASIN"}])

    loaded = events.load("routing", "case_answered", body)

    assert loaded["referral"]["case_id"] == CASE_ID
    assert loaded["to_site"] == "HUB"
    assert [d["filename"] for d in loaded["documents"]] == ["หนังสือแจ้งผล.pdf"]


def test_an_answer_lists_its_documents_never_their_content():
    common = dict(site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2569-000001",
                  answer="ซ่อมแล้ว", officer="o", unit_id=None, answered_by_site="KALASIN", to_site=None,
                  referral=None)
    document = {"id": str(uuid.uuid4()), "filename": "a.pdf", "content_type": "application/pdf", "size": 3,
                "sha256": "b" * 64, "site_id": "KALASIN"}
    with pytest.raises(InvalidEvent) as info:
        CASE_ANSWERED.build(**common, documents=[{**document, "content_base64": "JVBERi0="}])
    assert "documents" in info.value.errors
    with pytest.raises(InvalidEvent):
        CASE_ANSWERED.build(**common, documents=[document] * 11)


def test_an_answer_of_version_1_is_read_as_one_without_documents():
    body = CASE_ANSWERED_V1.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2569-000001", answer="ตักเตือนครูแล้ว",
        officer="ผอ.กลุ่ม", unit_id="personnel", answered_by_site="KALASIN", to_site="HUB",
        referral={"site_id": "HUB", "case_id": CASE_ID, "tracking_number": "HUB-2569-000001"})

    loaded = events.load("routing", "case_answered", body)

    assert (loaded["version"], loaded["documents"]) == (2, [])


def test_case_received_v2_is_read_as_the_newest_without_a_referral():
    body = CASE_RECEIVED_V2.build(
        site_id="HUB", case_id=CASE_ID, tracking_number="HUB-2569-000001", channel="web", kind=1, subject="s",
        description="d", received_at=NOW, complainant_ref=None, contact_channels=[], category=None, location=None,
        confidential=False, field_check=False, linked_case_id=None, link_reason=None)

    loaded = events.load("intake", "case_received", body)

    assert loaded["version"] == 5
    assert loaded["referral"] is None


def test_case_received_v3_carries_the_referral():
    origin = {"site_id": "HUB", "case_id": CASE_ID, "tracking_number": "HUB-2569-000001"}
    body = CASE_RECEIVED.build(
        site_id="KALASIN", case_id=str(uuid.uuid4()), tracking_number="KALASIN-2569-000001", channel="referral",
        kind=2, subject="s", description="d", received_at=NOW, complainant_ref=None, contact_channels=[],
        category=None, location=None, confidential=False, field_check=False, linked_case_id=None,
        link_reason=None, referral=origin)

    assert events.load("intake", "case_received", body)["referral"] == origin


def test_only_forwards_and_answers_may_leave_the_site():
    assert events.SITE_ADDRESSED == {("routing", "case_forwarded"), ("routing", "case_answered")}
    assert events.site_routing_key("KALASIN", "routing", "case_forwarded") == "KALASIN.routing.case_forwarded"
