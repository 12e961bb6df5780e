"""A unit's daily digest: when it is due, what it lists (its open cases, soonest due first, named by
tracking number only) and how it reads."""
from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest

from services.notify import digest, messages
from services.routing.directory import Directory
from shared.times import BANGKOK

DIRECTORY = Directory.load(Path(__file__).resolve().parents[2] / "deploy" / "directory.yml").as_mapping()
A, B, C, D = ("0c5a1d8e-2b8f-4a4e-9f6b-3e1d7c9a2b4" + str(n) for n in range(4))
NUMBERS = {A: "HUB-2570-000101", B: "HUB-2570-000102", C: "HUB-2570-000103"}


def clock(case_id, due_at, left, state="open", target="resolution", kind=2):
    return {"case_id": case_id, "target": target, "kind": kind, "due_at": due_at, "state": state,
            "business_days_left": left}


def test_the_time_is_hh_mm_in_bangkok_or_nothing():
    assert digest.parse_at("08:00") == time(8, 0) and digest.parse_at(" 17:45 ") == time(17, 45)
    assert digest.parse_at(480) == time(8, 0)  # an unquoted 8:00 in YAML 1.1
    assert digest.parse_at("") is None and digest.parse_at(None) is None
    for wrong in ("25:00", "8am", "08:60", "0800"):
        with pytest.raises(ValueError, match="NOTIFY.digest_at"):
            digest.parse_at(wrong)


def test_the_days_digest_is_due_from_its_time_in_bangkok():
    at = time(8, 0)
    assert digest.due_day(datetime(2026, 12, 7, 0, 59, tzinfo=timezone.utc), at) is None  # 07:59 in Bangkok
    assert digest.due_day(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc), at) == date(2026, 12, 7)
    assert digest.due_day(datetime(2026, 12, 7, 7, 59, tzinfo=BANGKOK), at) is None
    assert digest.due_day(datetime(2026, 12, 7, 8, 0, tzinfo=BANGKOK), at) == date(2026, 12, 7)
    assert digest.due_day(datetime(2026, 12, 6, 17, 30, tzinfo=BANGKOK), at) == date(2026, 12, 6)
    assert digest.due_day(datetime(2026, 12, 7, 9, 0, tzinfo=BANGKOK), None) is None
    one = digest.event_for("HUB", date(2026, 12, 7))
    assert one == digest.event_for("HUB", date(2026, 12, 7)) and one["case_id"] is None
    assert one["event_id"] != digest.event_for("HUB", date(2026, 12, 8))["event_id"]
    assert one["event_id"] != digest.event_for("KALASIN", date(2026, 12, 7))["event_id"]


def test_each_listed_unit_with_open_cases_gets_them_soonest_due_first_each_once():
    workload = {"business_day": True, "units": {
        "ict-pr": [clock(B, "2026-12-09T16:30:00+07:00", 2),
                   clock(A, "2026-12-04T16:30:00+07:00", -1, state="breached"),
                   clock(A, "2026-12-10T16:30:00+07:00", 3, target="forward_answer"),  # the same case again
                   clock(C, "2026-12-07T16:30:00+07:00", 0, state="paused")],
        "projects-funds": [clock(D, "2026-12-08T16:30:00+07:00", 1)],  # a case not here: no number
        "KALASIN": [clock(C, "2026-12-08T16:30:00+07:00", 1)],  # a site, not a unit of the directory
    }}
    (notice,) = digest.notices(workload, NUMBERS, DIRECTORY)
    assert (notice.purpose, notice.audience, notice.key) == ("digest", "unit", "ict-pr")
    assert notice.contacts == (("email", "ict-pr@office.example"),)
    assert notice.notice["unit_name"] == DIRECTORY["units"]["ict-pr"]["name_th"]
    cases = notice.notice["cases"]
    assert [c["tracking_number"] for c in cases] == [NUMBERS[A], NUMBERS[C], NUMBERS[B]]
    assert [c["status"] for c in cases] == ["breached", "waiting", "in_progress"]
    assert cases[0]["due_at"] == datetime(2026, 12, 4, 16, 30, tzinfo=BANGKOK)
    assert digest.notices({"business_day": True, "units": {}}, NUMBERS, DIRECTORY) == []


def test_the_digest_reads_as_a_list_of_the_units_cases_with_what_is_late():
    workload = {"business_day": True, "units": {"ict-pr": [
        clock(A, "2026-12-04T16:30:00+07:00", -1, state="breached"), clock(B, "2026-12-09T16:30:00+07:00", 2)]}}
    (notice,) = digest.notices(workload, NUMBERS, DIRECTORY)
    message = messages.compose("digest", notice.notice, "email")
    assert "2 เรื่อง" in message.subject
    assert message.body.index(NUMBERS[A]) < message.body.index(NUMBERS[B])
    assert "เกินกำหนดแล้ว 1 เรื่อง" in message.body and "เกินกำหนด 1 วันทำการ" in message.body
    assert "เหลือ 2 วันทำการ" in message.body and "4 ธันวาคม 2569" in message.body
    assert NUMBERS[A] not in messages.compose("digest", notice.notice, "sms").short  # the count, not the list
