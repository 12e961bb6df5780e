"""Who at the office hears of a case, and when (services/notify/office.py), from the directory's
plain form as routing gives it."""
from datetime import datetime, timezone

import pytest

from services.notify import office
from services.routing.directory import Directory, DirectoryError
from shared.times import BANGKOK

DIRECTORY = Directory.from_mapping({
    "triage_unit": "admin",
    "roles": {"office_director": {"title": "ผู้อำนวยการสำนักงาน", "contacts": ["director@office.example"]},
              "complaint_committee": "คณะกรรมการบริหารจัดการข้อร้องเรียน"},
    "units": {
        "admin": {"name_th": "กลุ่มอำนวยการ", "contacts": ["admin@office.example", "sms:081-234-5678"],
                  "roles": {"unit_head": {"title": "ผู้อำนวยการกลุ่มอำนวยการ",
                                          "contacts": ["line:U" + "a" * 32]}}},
        "audit": {"name_th": "หน่วยตรวจสอบภายใน", "parent": "admin", "contacts": [{"email": "audit@office.example"}]},
        "planning": {"name_th": "กลุ่มนโยบายและแผน",
                     "roles": {"unit_head": {"title": "หัวหน้ากลุ่มนโยบายและแผน",
                                             "contacts": ["head.planning@office.example"]}}},
    },
}).as_mapping()


def test_a_unit_is_reached_on_its_own_contacts_with_phones_made_international():
    assert office.unit_contacts(DIRECTORY, "admin") == [("email", "admin@office.example"), ("sms", "+66812345678")]
    assert office.unit_contacts(DIRECTORY, "audit") == [("email", "audit@office.example")]
    assert office.unit_contacts(DIRECTORY, "gone") == []
    assert office.unit_name(DIRECTORY, "audit") == "หน่วยตรวจสอบภายใน"
    assert office.unit_name(DIRECTORY, "KALASIN") == "KALASIN"  # a forwarded case's clock names a site


def test_a_role_is_held_by_the_unit_then_the_units_above_it_then_the_site():
    assert office.role_holder(DIRECTORY, "planning", "unit_head") == (
        "หัวหน้ากลุ่มนโยบายและแผน", [("email", "head.planning@office.example")])
    # audit names no head: the unit above it (admin) does
    assert office.role_holder(DIRECTORY, "audit", "unit_head") == ("ผู้อำนวยการกลุ่มอำนวยการ", [("line", "U" + "a" * 32)])
    assert office.role_holder(DIRECTORY, "audit", "office_director") == (
        "ผู้อำนวยการสำนักงาน", [("email", "director@office.example")])
    # a title with no contacts: known, reached by nobody
    assert office.role_holder(DIRECTORY, "planning", "complaint_committee") == ("คณะกรรมการบริหารจัดการข้อร้องเรียน", [])
    assert office.role_holder(DIRECTORY, "planning", "minister") == (None, [])


def test_only_configured_channels_reach_anyone():
    contacts = office.unit_contacts(DIRECTORY, "admin")
    assert office.reachable(contacts, ("email", "line")) == [("email", "admin@office.example")]
    assert office.reachable(contacts, ("line",)) == []


@pytest.mark.parametrize("bad", [
    {"contacts": ["not an address"]}, {"contacts": "admin@office.example"}, {"contacts": ["line:someone"]},
    {"roles": {"unit_head": {"contacts": ["a@office.example"]}}}, {"roles": {"Unit Head": "x"}},
    {"roles": {"unit_head": {"title": "x", "phone": "1"}}},
])
def test_a_directory_with_a_contact_or_role_misshapen_is_refused(bad):
    with pytest.raises(DirectoryError):
        Directory.from_mapping({"triage_unit": "a", "units": {"a": {"name_th": "ก", **bad}}})


def at(hour, minute=0):  # Bangkok time, 1 December 2026
    return datetime(2026, 12, 1, hour, minute, tzinfo=BANGKOK)


def test_quiet_hours_hold_back_what_is_not_urgent_until_they_end():
    quiet = office.parse_quiet_hours("20:00-07:00")
    assert office.quiet_until(at(12), quiet, "warning") is None
    held = office.quiet_until(at(22, 30), quiet, "assigned")
    assert held.isoformat() == "2026-12-02T07:00:00+07:00"
    assert office.quiet_until(at(3), quiet, "warning").isoformat() == "2026-12-01T07:00:00+07:00"
    assert office.quiet_until(at(3), quiet, "breach") is None and office.quiet_until(at(3), quiet, "escalation") is None
    assert office.quiet_until(at(3), None, "warning") is None
    daytime = office.parse_quiet_hours("12:00-13:00")
    assert office.quiet_until(at(12, 30), daytime, "warning").isoformat() == "2026-12-01T13:00:00+07:00"
    assert office.quiet_until(at(13), daytime, "warning") is None


@pytest.mark.parametrize("value", ["20-07", "25:00-07:00", "20:00", "07:00-07:00"])
def test_quiet_hours_misshapen_are_refused(value):
    with pytest.raises(ValueError):
        office.parse_quiet_hours(value)


def test_an_escalation_names_the_role_and_its_title_never_the_complainant():
    event = {"event_id": "e", "case_id": "c", "unit_id": "audit", "target": "resolution", "role": "unit_head",
             "step": 1, "due_at": datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc), "kind": 2}
    notice = office.to_role(event, DIRECTORY, "HUB-2570-000001")
    assert (notice.audience, notice.role, notice.contacts) == ("role", "unit_head", (("line", "U" + "a" * 32),))
    assert notice.notice == {"tracking_number": "HUB-2570-000001", "unit_name": "หน่วยตรวจสอบภายใน",
                             "target": "resolution", "due_at": event["due_at"], "role": "unit_head",
                             "role_title": "ผู้อำนวยการกลุ่มอำนวยการ", "step": 1}
