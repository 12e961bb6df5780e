"""Officers on a running site (`rongtuk run`), as an office meets it: accounts made with `rongtuk user`,
logins, a unit officer kept to their unit's cases, a confidential complainant shown only after a second
person approves, and `rongtuk audit` showing who asked, who approved, why and when."""
import csv
import io
import json
import subprocess
import sys

import requests

from shared.config import PROJECT_ROOT
from tests.helpers import run_cli

PASSWORDS = {"malee": "lantern-orchid-viaduct-42", "prasit": "granite-meadow-pelican-77",
             "wichai": "copper-fjord-almanac-35", "somsri": "velvet-quarry-tundra-68"}
REASON = "โทรสอบถามข้อเท็จจริงเพิ่มเติมกับผู้ร้องเรียน"


def user_create(site, username, role, *units):
    made = subprocess.run([sys.executable, "-m", "services.cli", "user", "create", username, "--role", role,
                           *[f"--unit={u}" for u in units], "--password-stdin"], input=PASSWORDS[username] + "\n",
                          cwd=PROJECT_ROOT, env=site.env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr


def log_in(site, username):
    answer = requests.post(f"{site.base}/api/v1/session", json={"username": username, "password": PASSWORDS[username]},
                           timeout=10)
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_a_unit_officer_works_only_their_units_cases_and_a_confidential_identity_needs_a_second_person(embedded):
    site = embedded
    user_create(site, "malee", "unit_officer", "inspection")
    user_create(site, "prasit", "unit_officer", "ict-pr")
    user_create(site, "wichai", "unit_head", "inspection")
    user_create(site, "somsri", "intake_officer")
    malee, prasit, wichai, somsri = (log_in(site, name) for name in ("malee", "prasit", "wichai", "somsri"))

    recorded = requests.post(f"{site.base}/api/v1/cases", headers=somsri, timeout=10, json={
        "channel": "hotline", "category": "misconduct", "subject": "เจ้าหน้าที่เรียกรับเงิน",
        "description": "เจ้าหน้าที่เรียกเงิน 3,000 บาทเพื่อเร่งออกใบอนุญาต ขอให้ตรวจสอบ",
        "complainant": {"name": "นางสาวพรทิพย์ ใจกล้า", "phone": "089-555-0123"}})
    assert recorded.status_code == 201, recorded.text
    number = recorded.json()["tracking_number"]
    case = site.wait_until_routed(recorded.json())
    assert case["unit"]["id"] == "inspection"  # misconduct: the inspection unit's
    url = f"{site.base}/api/v1/cases/{number}"

    # another unit's officer may not read, reroute, answer or see who complained
    assert requests.get(url, headers=prasit, timeout=10).status_code == 403
    assert requests.post(f"{url}/routing/reroute", headers=prasit, timeout=10,
                         json={"unit_id": "ict-pr", "reason": "ขอรับไปดำเนินการเอง"}).status_code == 403
    assert requests.post(f"{url}/routing/answer", headers=prasit, timeout=10,
                         json={"answer": "ดำเนินการแล้ว"}).status_code == 403
    assert requests.post(f"{url}/complainant", headers=prasit, timeout=10, json={"reason": REASON}).status_code == 403
    assert requests.get(url, headers=malee, timeout=10).json()["unit"]["id"] == "inspection"  # nothing changed

    # the case's own unit officer asks; it waits for a second person; they cannot approve it themselves
    assert requests.post(f"{url}/complainant", headers=malee, timeout=10, json={"reason": "ดู"}).status_code == 400
    asked = requests.post(f"{url}/complainant", headers=malee, timeout=10, json={"reason": REASON})
    assert asked.status_code == 202 and "identity" not in asked.json() and "พรทิพย์" not in asked.text
    request_id = asked.json()["request"]["id"]
    assert requests.get(f"{site.base}/api/v1/identity-requests", headers=malee, timeout=10).json()["requests"] == []
    assert requests.post(f"{site.base}/api/v1/identity-requests/{request_id}/approve", headers=malee,
                         timeout=10, json={}).status_code == 403
    assert requests.post(f"{site.base}/api/v1/identity-requests/{request_id}/approve", headers=prasit,
                         timeout=10, json={}).status_code == 403
    again = requests.post(f"{url}/complainant", headers=malee, timeout=10, json={"reason": REASON})
    assert again.status_code == 202 and again.json()["request"]["id"] == request_id  # the same request

    # the unit's head sees it waiting and approves; then the officer who asked sees who complained
    waiting = requests.get(f"{site.base}/api/v1/identity-requests", headers=wichai, timeout=10).json()["requests"]
    assert [(r["id"], r["tracking_number"], r["requested_by"], r["reason"]) for r in waiting] == [
        (request_id, number, "malee", REASON)]
    approved = requests.post(f"{site.base}/api/v1/identity-requests/{request_id}/approve", headers=wichai,
                             timeout=10, json={"note": "อนุมัติเพื่อสอบข้อเท็จจริง"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    shown = requests.post(f"{url}/complainant", headers=malee, timeout=10, json={"reason": REASON})
    assert shown.status_code == 200 and shown.json()["identity"]["name"] == "นางสาวพรทิพย์ ใจกล้า"

    # the audit log: who asked, who approved, why and when; and the refusals
    listed = run_cli("audit", "--case", number, "--format", "jsonl", env=site.env)
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    story = [(r["actor"], r["action"], r["outcome"]) for r in rows
             if r["action"] in ("reveal_identity", "approve_reveal")]
    assert story == [("prasit", "reveal_identity", "denied"), ("malee", "reveal_identity", "requested"),
                     ("malee", "approve_reveal", "denied"), ("prasit", "approve_reveal", "denied"),
                     ("wichai", "approve_reveal", "approved"), ("malee", "reveal_identity", "viewed")]
    requested = next(r for r in rows if r["outcome"] == "requested")
    approval = next(r for r in rows if r["outcome"] == "approved")
    assert requested["reason"] == REASON and requested["at"].endswith("+07:00")
    assert approval["detail"]["requested_by"] == "malee" and approval["detail"]["request_reason"] == REASON
    assert approval["reason"] == "อนุมัติเพื่อสอบข้อเท็จจริง" and approval["at"] >= requested["at"]
    assert {("prasit", "reroute", "denied"), ("prasit", "answer", "denied"), ("prasit", "read_case", "denied"),
            ("somsri", "record_case", "allowed")} <= {(r["actor"], r["action"], r["outcome"]) for r in rows}
    # neither the name nor the phone in any form (not "089" alone: a case's random id may hold those digits)
    assert not [line for line in listed.stdout.splitlines()
                if any(secret in line for secret in ("พรทิพย์", "089-555-0123", "0895550123", "555-0123", "5550123"))]

    exported = site.data_dir.parent / "audit.csv"
    assert run_cli("audit", "--actor", "malee", "--format", "csv", "--output", str(exported),
                   env=site.env).returncode == 0
    table = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert {row["actor"] for row in table} == {"malee"} and {row["action"] for row in table} >= {"login", "read_case"}
