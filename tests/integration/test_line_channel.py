"""The LINE channel end to end: signed webhooks become cases, the answer goes back by push."""
import base64
import hashlib
import hmac
import json

import pytest
import requests

from tests.helpers import StubHttp, count_rows, wait_for

SECRET = "line-channel-secret-for-tests"
USER = "U4af4980629a1b2c3d4e5f60718293a4b"


class FakeLineApi(StubHttp):
    """Stands in for api.line.me: keeps every push message it is sent, answers 200."""

    @property
    def pushes(self):
        return [{"path": r["path"], "auth": r["headers"].get("Authorization"), "body": json.loads(r["body"])}
                for r in self.requests]


@pytest.fixture
def line_site(start_embedded):
    api_server = FakeLineApi()
    site = start_embedded(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN="token-abc",
                          LINE_API_BASE=api_server.base)
    site.line_api = api_server
    yield site
    api_server.close()


def webhook(text, event_id="01HZX3V7Q8K9M2N4P6R8T0W2Y4"):
    return json.dumps({"destination": "Ub0000000000000000000000000000000", "events": [
        {"type": "message", "mode": "active", "timestamp": 1763700000000, "webhookEventId": event_id,
         "deliveryContext": {"isRedelivery": False}, "replyToken": "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA",
         "source": {"type": "user", "userId": USER},
         "message": {"id": "444573844083572737", "type": "text", "quoteToken": "q3Plxr4AgKd", "text": text}},
        {"type": "follow", "mode": "active", "timestamp": 1763700000001, "webhookEventId": "01HZX3V7Q8K9M2N4P6R8T0W2Y5",
         "source": {"type": "user", "userId": USER}, "replyToken": "x"},
    ]}, ensure_ascii=False).encode()


def sign(body, secret=SECRET):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def send(site, body, signature):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Line-Signature"] = signature
    return requests.post(f"{site.base}/webhooks/line", data=body, headers=headers, timeout=10)


def cases_recorded(site):
    return count_rows({"DATA_DIR": str(site.data_dir), "DATABASE_URL": None}, "intake", "cases")


def test_a_signed_message_becomes_a_case_and_is_answered_by_push(line_site):
    body = webhook("ไฟถนนหน้าวัดดับมาหนึ่งสัปดาห์\nซอยเพชรเกษม 48 แยก 3")
    response = send(line_site, body, sign(body))
    assert response.status_code == 200
    [tracking_number] = response.json()["created"]
    assert cases_recorded(line_site) == 1

    push = wait_for(lambda: line_site.line_api.pushes, message="the acknowledgment pushed to LINE")[0]
    assert push["path"] == "/v2/bot/message/push" and push["auth"] == "Bearer token-abc"
    assert push["body"]["to"] == USER and tracking_number in push["body"]["messages"][0]["text"]

    # LINE delivers again (redelivery): still one case
    again = send(line_site, body, sign(body))
    assert again.status_code == 200 and again.json() == {"created": []}
    assert cases_recorded(line_site) == 1


@pytest.mark.parametrize("signature", [sign(b"another body"), sign(webhook("x"), "wrong-secret"), "", None])
def test_a_wrongly_signed_webhook_gets_401_and_changes_nothing(line_site, signature):
    body = webhook("ถนนพังมาก")
    response = send(line_site, body, signature)
    assert response.status_code == 401
    assert cases_recorded(line_site) == 0
    assert line_site.line_api.pushes == []


def test_without_a_channel_secret_the_webhook_is_off(embedded):
    body = webhook("ทดสอบ")
    assert send(embedded, body, sign(body)).status_code == 404


def test_the_complainants_line_answer_to_an_officers_question_resumes_the_case(line_site):
    from tests.helpers import run_cli
    key = run_cli("apikey", "create", "--name", "ศูนย์ 1111", "--role", "officer", env=line_site.env)
    assert key.returncode == 0, key.stderr
    headers = {"X-Api-Key": key.stdout.split("key:")[1].strip()}
    body = webhook("ไฟถนนหน้าวัดดับมาหนึ่งสัปดาห์ ซอยเพชรเกษม 48")
    [number] = send(line_site, body, sign(body)).json()["created"]

    def page():
        return requests.get(f"{line_site.base}/api/v1/cases/{number}", headers=headers, timeout=10).json()
    wait_for(lambda: page()["status"] == "routed", timeout=20, message="the case routed")
    asked = requests.post(f"{line_site.base}/api/v1/cases/{number}/routing/request-info", headers=headers,
                          timeout=10, json={"question": "เสาไฟต้นไหน หน้าบ้านเลขที่เท่าไร"})
    assert asked.status_code == 200, asked.text
    wait_for(lambda: any("เสาไฟต้นไหน" in p["body"]["messages"][0]["text"] for p in line_site.line_api.pushes),
             timeout=20, message="the question pushed to LINE")

    answer = webhook("ต้นที่สามหน้าบ้านเลขที่ 99 ครับ", event_id="01HZX3V7Q8K9M2N4P6R8T0W2Z9")
    assert send(line_site, answer, sign(answer)).json() == {"created": []}  # their answer, not a new case
    assert cases_recorded(line_site) == 1

    def resumed():
        seen = page()
        said = [e["summary"] for e in seen["timeline"] or []]
        replied = any(summary.startswith("ผู้ร้องตอบกลับทาง LINE") for summary in said)
        return seen if "ได้รับข้อมูลเพิ่มเติมจากผู้ร้องแล้ว" in said and replied and seen["replies"] else None
    case = wait_for(resumed, timeout=20, message="the answer taken as the information received")
    assert [r["text"] for r in case["replies"]] == ["ต้นที่สามหน้าบ้านเลขที่ 99 ครับ"]
    assert all(c["state"] != "paused" for c in case["clocks"])
