"""services/reporting/timeline.py: status progression and the one-line summaries."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.reporting.timeline import later_status, summary, summary_fields
from shared import events

BKK = timezone(timedelta(hours=7))
CASE_ID = uuid.UUID("6f1c2a3e-8b4d-4c5e-9f60-7a8b9c0d1e2f")
RECEIVED_AT = datetime(2025, 11, 3, 10, 15, tzinfo=BKK)

# personal data that exists in intake but must never reach a timeline line
COMPLAINANT_NAME = "นางสาวสมศรี ใจดี"
SUBJECT = "เจ้าหน้าที่เรียกรับเงินค่าต่อใบอนุญาต"
DESCRIPTION = "เจ้าหน้าที่ชื่อนายสมปอง เรียกเงิน 3,000 บาท โทร 081-234-5678"
COMPLAINANT_REF = "0b7e4c52-1d3f-4a6b-8c9d-2e3f4a5b6c7d"


def loaded(event_type, **payload):
    """An event as a handler receives it: built to the contract, then loaded."""
    wire = event_type.build(site_id="HUB", case_id=CASE_ID, **payload)
    return events.load(event_type.source, event_type.name, wire)


@pytest.fixture
def case_received():
    return loaded(events.CASE_RECEIVED_V1, tracking_number="HUB-2569-000042", channel="line", kind=1,
                  subject=SUBJECT, description=DESCRIPTION, received_at=RECEIVED_AT,
                  complainant_ref=COMPLAINANT_REF, contact_channels=["phone", "line"])


@pytest.fixture
def case_routed():
    return loaded(events.CASE_ROUTED_V1, tracking_number="HUB-2569-000042", kind=1, received_at=RECEIVED_AT,
                  unit_id="inspection", unit_name="กลุ่มงานตรวจสอบและติดตามผล",
                  reason="rule misconduct: keyword 'เรียกรับเงิน'")


@pytest.fixture
def sla_clock_started():
    return loaded(events.SLA_CLOCK_STARTED, clock_id=uuid.uuid4(), target="resolution", kind=1,
                  unit_id="inspection", started_at=RECEIVED_AT,
                  due_at=datetime(2025, 11, 4, 9, 30, tzinfo=timezone.utc), business_days=1)


def notification(outcome, channel="email"):
    return loaded(events.NOTIFICATION_RECORDED, notification_id=uuid.uuid4(), purpose="acknowledgment",
                  channel=channel, outcome=outcome, attempts=1, audience="complainant", role=None)


# --- later_status --------------------------------------------------------------------------

@pytest.mark.parametrize("current, candidate, expected", [
    (None, "received", "received"),
    (None, "routed", "routed"),
    ("received", "routed", "routed"),
    ("routed", "received", "routed"),
    ("received", "received", "received"),
    ("routed", "routed", "routed"),
    ("received", None, "received"),
    ("routed", None, "routed"),
    (None, None, None),
])
def test_later_status(current, candidate, expected):
    assert later_status(current, candidate) == expected


def test_status_never_goes_back_whatever_the_arrival_order():
    for order in (["received", "routed"], ["routed", "received"], ["routed", None, "received"]):
        status = None
        for candidate in order:
            status = later_status(status, candidate)
        assert status == "routed", order


def test_unknown_candidate_does_not_replace_a_known_status():
    assert later_status("routed", "archived") == "routed"
    assert later_status("received", "archived") == "received"


# --- summary -------------------------------------------------------------------------------

def assert_no_personal_data(line):
    for secret in (COMPLAINANT_NAME, SUBJECT, DESCRIPTION, COMPLAINANT_REF, "081-234-5678", "สมปอง"):
        assert secret not in line


def test_summary_of_case_received(case_received):
    line = summary("case_received", case_received)

    assert line == "รับเรื่อง เลขที่ HUB-2569-000042 ทางช่องทาง line"
    assert_no_personal_data(line)


def test_summary_of_case_routed(case_routed):
    line = summary("case_routed", case_routed)

    assert line == ("ส่งเรื่องให้ กลุ่มงานตรวจสอบและติดตามผล (rule misconduct: keyword 'เรียกรับเงิน'); "
                    "ประเภท 1 ข้อเสนอแนะ/สอบถาม (ตามที่ได้รับ)")
    assert_no_personal_data(line)


def test_summary_of_sla_clock_started_is_on_the_bangkok_clock(sla_clock_started):
    line = summary("sla_clock_started", sla_clock_started)

    assert line == "กำหนดแล้วเสร็จภายใน 1 วันทำการ: 2025-11-04 16:30 น."
    assert_no_personal_data(line)


@pytest.mark.parametrize("outcome, text", [
    ("delivered", "ส่งแล้ว"),
    ("failed", "ส่งไม่สำเร็จ จะลองใหม่"),
    ("no_contact", "ไม่มีช่องทางติดต่อ"),
])
def test_summary_of_notification_recorded(outcome, text):
    line = summary("notification_recorded", notification(outcome))

    assert line == f"แจ้งผู้ร้องว่าได้รับเรื่อง (email): {text}"
    assert_no_personal_data(line)


def test_summary_of_notification_without_channel():
    line = summary("notification_recorded", notification("no_contact", channel=None))

    assert line == "แจ้งผู้ร้องว่าได้รับเรื่อง (-): ไม่มีช่องทางติดต่อ"


def test_summary_of_case_indexed_and_unknown_events():
    assert summary("case_indexed", {}) == "บันทึกเข้าระบบรายงานแล้ว"
    assert summary("case_closed", {"note": COMPLAINANT_NAME}) == "case_closed"


# --- summary_fields ------------------------------------------------------------------------

def test_summary_fields_of_case_received(case_received):
    assert summary_fields("case_received", case_received) == {
        "tracking_number": "HUB-2569-000042",
        "kind": 1,
        "channel": "line",
        "received_at": RECEIVED_AT,
    }


def test_summary_fields_of_case_routed(case_routed):
    assert summary_fields("case_routed", case_routed) == {
        "tracking_number": "HUB-2569-000042",
        "kind": 1,
        "unit_id": "inspection",
        "received_at": RECEIVED_AT,
    }


def test_summary_fields_of_sla_clock_started(sla_clock_started):
    assert summary_fields("sla_clock_started", sla_clock_started) == {
        "due_at": datetime(2025, 11, 4, 16, 30, tzinfo=BKK),
        "unit_id": "inspection",
    }


def test_summary_fields_ignore_a_clock_for_another_target(sla_clock_started):
    other = {**sla_clock_started, "target": "acknowledgment"}

    assert summary_fields("sla_clock_started", other) == {}


def test_summary_fields_of_notification_and_unknown_events():
    assert summary_fields("notification_recorded", notification("delivered")) == {}
    assert summary_fields("case_indexed", {}) == {}


def test_summary_fields_never_carry_personal_data(case_received, case_routed, sla_clock_started):
    for event_type, event in [("case_received", case_received), ("case_routed", case_routed),
                              ("sla_clock_started", sla_clock_started)]:
        fields = summary_fields(event_type, event)
        assert not {"subject", "description", "complainant_ref", "contact_channels"} & set(fields)


def test_a_rating_on_the_timeline_says_the_score_and_never_the_comment():
    event = loaded(events.CASE_RATED, tracking_number="HUB-2570-000001", score=4)
    assert summary("case_rated", event) == "ผู้ร้องประเมินความพึงพอใจ 4 จาก 5 คะแนน"
