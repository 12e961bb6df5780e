"""SMS end to end on a running site: a hotline caller who left only a phone number hears of the case
and of its result by SMS, each once, through the gateway the site is configured with."""
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
            "channel": "hotline", "kind": 2, "subject": "ไฟฟ้าส่องสว่างดับ",
            "description": "ไฟฟ้าส่องสว่างหน้าหมู่บ้านดับมาหนึ่งสัปดาห์",
            "complainant": {"name": "นายสมปอง โทรมา", "phone": "081-234-5678"}}).json()
        number = created["tracking_number"]

        first = wait_for(lambda: gateway.received, timeout=20, message="the acknowledgment by SMS")
        assert first[0]["form"]["to"] == "+66812345678" and first[0]["form"]["sender"] == "OSS1111"
        assert number in first[0]["form"]["text"] and "ได้รับเรื่องร้องเรียนของท่านแล้ว" in first[0]["form"]["text"]
        assert "สมปอง" not in first[0]["form"]["text"]

        site.wait_until_routed(created)
        answered = requests.post(f"{site.base}/api/v1/cases/{number}/routing/answer", headers=headers, timeout=10,
                                 json={"answer": "เปลี่ยนหลอดไฟแล้ว"})
        assert answered.status_code == 200, answered.text
        wait_for(lambda: len(gateway.received) == 2, timeout=20, message="the result by SMS")
        assert gateway.received[1]["form"]["text"] == f"ผลการพิจารณาเรื่องเลขที่ {number}: เปลี่ยนหลอดไฟแล้ว"
        log = site.log_path.read_text()
        assert "812345678" not in log and "234-5678" not in log  # the number never in the site's log
    finally:
        gateway.close()
