"""SMS end to end on a running site: a hotline caller who left only a phone number hears of the case,
of the unit that has it, of an officer's question and of the result by SMS, through the gateway the
site is configured with."""
import requests

from tests.helpers import run_cli, wait_for
from tests.service.test_notify_sms import FakeGateway


def test_a_hotline_caller_with_only_a_phone_gets_the_acknowledgment_and_the_result_by_sms(start_embedded):
    gateway = FakeGateway()
    try:
        site = start_embedded(SMS_URL=gateway.url, SMS_SENDER="OSS1111")
        key = run_cli("apikey", "create", "--name", "ศูนย์ 1111", "--role", "officer", env=site.env)
        assert key.returncode == 0, key.stderr
        headers = {"X-Api-Key": key.stdout.split("key:")[1].strip()}
        created = requests.post(f"{site.base}/api/v1/cases", headers=headers, timeout=10, json={
            "channel": "hotline", "kind": 2, "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ",
            "description": "โทรไปสอบถามเรื่องเอกสารโครงการ เจ้าหน้าที่พูดจาไม่สุภาพและวางสายใส่",
            "complainant": {"name": "นายสมปอง โทรมา", "phone": "081-234-5678"}}).json()
        number = created["tracking_number"]

        first = wait_for(lambda: gateway.received, timeout=20, message="the acknowledgment by SMS")
        assert first[0]["form"]["to"] == "+66812345678" and first[0]["form"]["sender"] == "OSS1111"
        assert number in first[0]["form"]["text"] and "ได้รับเรื่องร้องเรียนของท่านแล้ว" in first[0]["form"]["text"]
        assert "สมปอง" not in first[0]["form"]["text"]

        case = site.wait_until_routed(created)

        def texts():
            return [r["form"]["text"] for r in gateway.received]
        routed = wait_for(lambda: [t for t in texts() if "ดำเนินการแล้ว" in t], timeout=20, message="the routed SMS")
        assert routed == [f"เรื่องเลขที่ {number} ส่งให้ {case['unit']['name']} ดำเนินการแล้ว "
                          "กำหนดแล้วเสร็จภายใน 3 วันทำการ"]
        asked = requests.post(f"{site.base}/api/v1/cases/{number}/routing/request-info", headers=headers,
                              timeout=10, json={"question": "ติดต่อวันและเวลาใด"})
        assert asked.status_code == 200, asked.text
        wait_for(lambda: any("ติดต่อวันและเวลาใด" in t for t in texts()), timeout=20, message="the question by SMS")
        answered = requests.post(f"{site.base}/api/v1/cases/{number}/routing/answer", headers=headers, timeout=10,
                                 json={"answer": "ตักเตือนเจ้าหน้าที่แล้ว"})
        assert answered.status_code == 200, answered.text
        wait_for(lambda: f"ผลการพิจารณาเรื่องเลขที่ {number}: ตักเตือนเจ้าหน้าที่แล้ว" in texts(), timeout=20,
                 message="the result by SMS")
        assert len(texts()) == 4 and all(number in t for t in texts())  # each once
        page = requests.get(f"{site.base}/api/v1/cases/{number}", headers=headers, timeout=10).json()
        assert {c["target"]: c for c in page["clocks"]}["first_notice"]["outcome"] == "met"
        log = site.log_path.read_text()
        assert "812345678" not in log and "234-5678" not in log  # the number never in the site's log
    finally:
        gateway.close()
