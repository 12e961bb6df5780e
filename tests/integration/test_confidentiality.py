"""A confidential complaint: the complainant's identity appears in no log, event or metric."""
import sqlite3

import requests

from services.intake.identity import national_id_checksum
from services import SERVICE_NAMES
from tests.helpers import run_cli

ID12 = "310050123456"
NATIONAL_ID = ID12 + str(national_id_checksum(ID12))
COMPLAINANT = {"name": "นางสาวมาลี ศรีสุขสวัสดิ์", "national_id": NATIONAL_ID, "phone": "089-765-4321",
               "email": "malee.srisuk@example.org", "address": "99/9 หมู่ 4 ตำบลบ้านใหม่ อำเภอเมือง จังหวัดอุดรธานี"}
SECRETS = ["มาลี", "ศรีสุขสวัสดิ์", NATIONAL_ID, "0897654321", "+66897654321", "89-765-4321", "897654321",
           "malee.srisuk", "example.org", "บ้านใหม่"]


def rows_of(database, query):
    with sqlite3.connect(database) as conn:
        return [" ".join(str(v) for v in row) for row in conn.execute(query)]


def leaks(text):
    return [secret for secret in SECRETS if secret in text]


def test_identity_stays_out_of_logs_events_metrics_and_the_public_page(embedded):
    response = embedded.post_case({
        "channel": "hotline", "category": "misconduct", "subject": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต",
        "description": "เจ้าหน้าที่ฝ่ายโยธาเรียกเงิน 3,000 บาทเพื่อเร่งออกใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ",
        "complainant": COMPLAINANT})
    assert response.status_code == 201
    created = response.json()
    case = embedded.wait_until_routed(created)
    assert case["kind"] == 3  # the category's kind

    officer = run_cli("apikey", "create", "--name", "นิติกร ศูนย์ดำรงธรรม", "--role", "officer", env=embedded.env)
    key = officer.stdout.split("key:")[1].strip()
    revealed = requests.post(f"{embedded.base}/api/v1/cases/{created['tracking_number']}/complainant",
                             json={"purpose": "สอบข้อเท็จจริงตามคำสั่งที่ 12/2569"}, headers={"X-Api-Key": key},
                             timeout=10)
    assert revealed.status_code == 200
    assert revealed.json()["identity"]["national_id"] == NATIONAL_ID and revealed.json()["confidential"] is True
    assert requests.post(f"{embedded.base}/api/v1/cases/{created['tracking_number']}/complainant",
                         json={"purpose": "ดูเฉย ๆ"}, timeout=10).status_code == 403

    data = embedded.data_dir
    events = []
    for service in SERVICE_NAMES:
        events += rows_of(data / f"{service}.db", "SELECT event_type, body FROM outbox")
    events += rows_of(data / "reporting.db", "SELECT event_type, summary FROM case_events")
    assert any("case_received" in e for e in events) and any("notification_recorded" in e for e in events)
    logs = embedded.log_path.read_text(encoding="utf-8")
    metrics = embedded.metrics()
    public = requests.get(f"{embedded.base}/api/v1/cases/{created['tracking_number']}",
                          params={"access_code": created["access_code"]}, timeout=10).text

    assert leaks("\n".join(events)) == []
    assert leaks(logs) == []
    assert leaks(metrics) == []
    assert leaks(public) == []
    # sealed at rest too: intake's database holds no identity in the clear
    assert leaks("\n".join(rows_of(data / "intake.db", "SELECT * FROM complainants"))) == []
    # ... nor notify's delivery log: the address it wrote to is sealed (tests/integration/test_data_at_rest.py
    # reads every file under the data folder), and the scan does find what is there once unsealed
    assert leaks("\n".join(rows_of(data / "notify.db", "SELECT * FROM deliveries"))) == []
    from services.notify.recipients import Recipients
    key = (data.parent / "keys" / "seal.key").read_text().strip()
    sealed = rows_of(data / "notify.db", "SELECT sealed FROM deliveries WHERE sealed IS NOT NULL")
    assert "malee.srisuk" in "\n".join(Recipients(key).unseal(token)["recipient"] for token in sealed)
    access = rows_of(data / "intake.db", "SELECT requested_by, purpose FROM identity_access_log")
    assert any("นิติกร ศูนย์ดำรงธรรม" in row and "12/2569" in row for row in access)
    assert any(row.startswith("notify") for row in access)
