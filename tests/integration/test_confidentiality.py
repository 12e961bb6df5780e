"""A confidential complaint: the complainant's identity appears in no log, event or metric."""
import sqlite3

import requests

from services.intake.identity import national_id_checksum
from services import SERVICE_NAMES
from tests.helpers import reveal_with_approval, run_cli

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
    # a confidential complainant: the key's request waits for a person (the director) to approve it
    revealed = reveal_with_approval(embedded, created["tracking_number"], {"X-Api-Key": key})
    assert revealed.status_code == 200, revealed.text
    assert revealed.json()["identity"]["national_id"] == NATIONAL_ID and revealed.json()["confidential"] is True
    assert requests.post(f"{embedded.base}/api/v1/cases/{created['tracking_number']}/complainant",
                         json={"purpose": "ดูเฉย ๆ"}, timeout=10).status_code == 401

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


CANARY_ID12 = "110020034567"
CANARY = {"name": "นางสาวแคนารี ลับเฉพาะ", "national_id": CANARY_ID12 + str(national_id_checksum(CANARY_ID12)),
          "phone": "089-999-1234", "email": "canary.confidential@example.net",
          "address": "88/8 หมู่ 8 ตำบลนกขมิ้น อำเภอเมืองน่าน จังหวัดน่าน 55000"}
CANARY_LINE = "Uc0ffee0c0ffee0c0ffee0c0ffee0c0f"
CANARY_SECRETS = ["แคนารี", "ลับเฉพาะ", CANARY["national_id"], "0899991234", "899991234", "99-999-1234",
                  "canary.confidential", "นกขมิ้น", "88/8 หมู่ 8", CANARY_LINE]


def canary_leaks(text):
    return [secret for secret in CANARY_SECRETS if secret in text]


def test_a_canary_through_every_channel_and_notice_leaks_nowhere_but_to_its_own_address(start_embedded, tmp_path):
    """Confidential cases by web (e-mail), hotline (SMS), counter (a postal letter) and LINE, each
    acknowledged, routed, asked a question and answered: the complainant's name, ID, phone, e-mail,
    address and LINE id are in no log, metric, event, database row in the clear, office message or
    notice text; each address is used only to reach its owner."""
    import json as json_

    from tests.helpers import pdf_text, wait_for
    from tests.integration.test_line_channel import SECRET, FakeLineApi, sign
    from tests.service.test_notify_sms import FakeGateway
    gateway, line_api = FakeGateway(), FakeLineApi()
    try:
        site = start_embedded(SMS_URL=gateway.url, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN="t0ken",
                              LINE_API_BASE=line_api.base, LETTERS_OFFICE_NAME="ศูนย์ดำรงธรรมจังหวัดน่าน")
        key = run_cli("apikey", "create", "--name", "เจ้าหน้าที่รับเรื่อง", "--role", "officer", env=site.env)
        headers = {"X-Api-Key": key.stdout.split("key:")[1].strip()}
        misconduct = {"category": "misconduct", "subject": "เจ้าหน้าที่เรียกรับเงินเพื่อออกใบอนุญาต",
                      "description": "เจ้าหน้าที่เรียกเงินเพื่อเร่งออกใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ"}
        who = {"web": {k: CANARY[k] for k in ("name", "national_id", "email")},
               "hotline": {k: CANARY[k] for k in ("name", "phone")},
               "counter": {k: CANARY[k] for k in ("name", "address")}}
        numbers = []
        for channel, complainant in who.items():
            response = requests.post(f"{site.base}/api/v1/cases", headers=headers, timeout=10,
                                     json={**misconduct, "channel": channel, "complainant": complainant})
            assert response.status_code == 201, response.text
            numbers.append(response.json()["tracking_number"])
        body = json_.dumps({"destination": "Ub0", "events": [{
            "type": "message", "mode": "active", "timestamp": 1763700000000, "webhookEventId": "01HZCANARY0000000001",
            "source": {"type": "user", "userId": CANARY_LINE}, "replyToken": "r",
            "message": {"id": "1", "type": "text", "text": "เจ้าหน้าที่เรียกรับเงินค่าออกใบอนุญาตก่อสร้าง"}}]},
            ensure_ascii=False).encode()
        answer = requests.post(f"{site.base}/webhooks/line", data=body, timeout=10,
                               headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)})
        numbers += answer.json()["created"]
        assert len(numbers) == 4

        def page(number):
            return requests.get(f"{site.base}/api/v1/cases/{number}", headers=headers, timeout=10).json()
        for number in numbers:
            wait_for(lambda: page(number)["status"] in ("routed", "triage"), timeout=30, message="routed")
            act = f"{site.base}/api/v1/cases/{number}/routing"
            if page(number)["status"] == "triage":
                unit = requests.post(f"{act}/reroute", headers=headers, timeout=10,
                                     json={"unit_id": "ict-pr", "reason": "ตรวจสอบแล้ว"})
                assert unit.status_code == 200, unit.text
            asked = requests.post(f"{act}/request-info", headers=headers, timeout=10,
                                  json={"question": "เกิดเหตุวันที่เท่าใด"})
            assert asked.status_code == 200, asked.text
            answered = requests.post(f"{act}/answer", headers=headers, timeout=10,
                                     json={"answer": "ตั้งกรรมการสอบข้อเท็จจริงแล้ว"})
            assert answered.status_code == 200, answered.text

        data = site.data_dir

        def settled():
            results = rows_of(data / "notify.db", "SELECT status FROM deliveries WHERE purpose = 'result'")
            waiting = rows_of(data / "notify.db",
                              "SELECT id FROM deliveries WHERE status IN ('pending', 'awaiting_contact')")
            return len(results) == 4 and all(r in ("delivered", "queued") for r in results) and not waiting
        wait_for(settled, timeout=40, message="every notice sent")
        failed = rows_of(data / "notify.db", "SELECT purpose, channel, last_error FROM deliveries WHERE attempts > 1")
        assert failed == []  # each sent at its first attempt (two letters drawn at once included)

        # each address reached its owner, by its channel, and carried none of the others
        sms = [r["form"] for r in gateway.received]
        pushes = [p["body"] for p in line_api.pushes]
        assert sms and all(form["to"] == "+66899991234" for form in sms)
        assert pushes and all(push["to"] == CANARY_LINE for push in pushes)
        texts = [form["text"] for form in sms] + [m["text"] for push in pushes for m in push["messages"]]
        mails = [p.read_text(encoding="utf-8", errors="replace") for p in (data / "mail").glob("*.eml")]
        assert len(mails) >= 4  # the web complainant's, and the units' of every case
        assert canary_leaks("\n".join(texts)) == [] and canary_leaks("\n".join(mails)) == []
        # and nowhere else: no log line, metric, event, nor any database row in the clear
        everything = [site.log_path.read_text(encoding="utf-8"), site.metrics()]
        for service in SERVICE_NAMES:
            with sqlite3.connect(data / f"{service}.db") as conn:
                tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                everything += rows_of(data / f"{service}.db", f'SELECT * FROM "{table}"')
        assert any("notification_recorded" in row for row in everything)
        assert canary_leaks("\n".join(everything)) == []
        # last, as it needs poppler-utils (skipped without them, failed under CI): each letter carries its
        # own address, for the envelope, and nothing else of the complainant's
        letters = [pdf_text(p.read_bytes(), tmp_path) for p in (data / "letters").glob("*.pdf")]
        assert letters and all(canary_leaks(letter) == ["นกขมิ้น", "88/8 หมู่ 8"] for letter in letters)
    finally:
        gateway.close()
        line_api.close()
