"""The kind routing reads from the words is the case's kind everywhere, and an officer may change it.

On a running embedded site (`rongtuk run`): a complaint filed as kind 2 that says the complainant
will sue in the administrative court shows kind 4 and a 30-business-day deadline; an officer's
change-kind back to 2 shows kind 2 and the 3-business-day deadline from receipt, with who and why on
the timeline. A case that comes with no kind at all gets one from its words."""
from datetime import datetime

import requests

from services.sla.calendar import BusinessCalendar
from tests.helpers import run_cli, wait_for

SUES = {"channel": "web", "kind": 2, "subject": "ถนนหน้าบ้านไม่มีใครมาซ่อม",
        "description": "แจ้งไปสามครั้งแล้ว ถ้ายังไม่ซ่อมภายในเดือนนี้ ชาวบ้านจะฟ้องศาลปกครอง"}


def officer_key(site):
    made = run_cli("apikey", "create", "--name", "นางสาวเพ็ญ (ศูนย์รับเรื่อง)", "--role", "officer", env=site.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def business_deadline(received_at, days):
    return BusinessCalendar().deadline(datetime.fromisoformat(received_at), days).isoformat()


def resolution(case):
    [clock] = [c for c in case["clocks"] or [] if c["target"] == "resolution" and c["state"] != "met"]
    return clock


def test_the_kind_routing_reads_is_the_kind_everywhere_and_an_officer_changes_it_back(embedded):
    created = embedded.post_case(SUES).json()
    track = created["tracking_number"], created["access_code"]

    def raised():
        case = embedded.get_case(*track).json()
        clocks = [c for c in case["clocks"] or [] if c["target"] == "resolution"]
        return case if case["kind"] == 4 and clocks and case["deadline"] == clocks[0]["due_at"] else None

    case = wait_for(raised, message="the case raised to kind 4 with its deadline")
    received_at = case["received_at"]
    assert resolution(case)["business_days"] == 30
    assert case["deadline"] == business_deadline(received_at, 30)
    routed = next(e for e in case["timeline"] if e["event"] == "case_routed")
    assert "ประเภท 4" in routed["summary"] and "signal lawsuit" in routed["summary"]

    url = f"{embedded.base}/api/v1/cases/{created['tracking_number']}/routing/change-kind"
    key = {"X-Api-Key": officer_key(embedded)}
    refused = requests.post(url, json={"kind": 7, "reason": "x"}, headers=key, timeout=10)
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"kind"}
    assert requests.post(url, json={"kind": 2, "reason": "x"}, timeout=10).status_code == 401  # no one: log in
    changed = requests.post(url, json={"kind": 2, "reason": "ผู้ร้องยังไม่ได้ยื่นฟ้อง"}, headers=key, timeout=10)
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"case_id": created["case_id"], "kind": 2, "previous_kind": 4}
    again = requests.post(url, json={"kind": 2, "reason": "ซ้ำ"}, headers=key, timeout=10)
    assert again.status_code == 409 and "already kind 2" in again.json()["message"]

    def lowered():
        case = embedded.get_case(*track).json()
        events = [e["event"] for e in case["timeline"]]
        return case if case["kind"] == 2 and "sla_deadline_changed" in events and "case_kind_changed" in events \
            and case["deadline"] == business_deadline(received_at, 3) else None

    case = wait_for(lowered, message="kind 2 with the 3-business-day deadline from receipt")
    assert resolution(case)["business_days"] == 3 and resolution(case)["due_at"] == case["deadline"]
    [entry] = [e for e in case["timeline"] if e["event"] == "case_kind_changed"]
    assert "นางสาวเพ็ญ (ศูนย์รับเรื่อง)" in entry["summary"] and "ผู้ร้องยังไม่ได้ยื่นฟ้อง" in entry["summary"]
    assert "ประเภท 4" in entry["summary"] and "ประเภท 2" in entry["summary"]


def test_a_case_that_comes_with_no_kind_gets_the_kind_its_words_say(embedded):
    created = embedded.post_case({"channel": "web", "subject": "สอบถามเรื่องวาระการประชุม",
                                  "description": "ขอทราบวาระการประชุมคณะกรรมการกองทุนหมู่บ้านครั้งหน้า"}).json()
    case = embedded.wait_until_routed(created)
    assert case["kind"] == 1
    assert resolution(case)["business_days"] == 1
    complaint = embedded.post_case({"channel": "web", "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ",
                                    "description": "ไปติดต่อที่สำนักงาน เจ้าหน้าที่ตะคอกใส่และไม่ยอมรับเรื่อง"}).json()
    case = wait_for(lambda: (c := embedded.get_case(complaint["tracking_number"], complaint["access_code"]).json())
                    and c["kind"] == 2 and c["clocks"] and c, message="the complaint routed as kind 2")
    assert resolution(case)["business_days"] == 3
