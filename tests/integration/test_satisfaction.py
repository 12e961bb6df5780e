"""Satisfaction on a running site: after the result the complainant is sent the survey link (with the
tracking number, never the access code); they rate the handling once, with their access code, and
only once it is answered; the case page shows it; the indicators count it."""
import email
import email.policy

import requests

from services.reporting.periods import period_of
from shared.times import utcnow
from tests.helpers import wait_for
from tests.integration.test_reports_api import officer_key

SURVEY = "https://office.example/track?case={tracking_number}"


def rate(site, number, code, score, comment=None):
    body = {"access_code": code, "score": score}
    if comment is not None:
        body["comment"] = comment
    return requests.post(f"{site.base}/api/v1/cases/{number}/rating", json=body, timeout=10)


def test_the_complainant_is_asked_rates_once_and_the_indicators_count_it(start_embedded):
    site = start_embedded(NOTIFY_SURVEY_URL=SURVEY)
    key = officer_key(site)
    cases = [site.post_case({"channel": "web", "kind": 2, "subject": f"ไฟถนนดับ จุดที่ {n}",
                             "description": f"ไฟถนนหน้าวัดดับมาหนึ่งสัปดาห์ เสาต้นที่ {n}",
                             "complainant": {"email": f"rater{n}@example.org"}}).json() for n in (1, 2, 3)]
    for created in cases:
        site.wait_until_routed(created)
    first, second, third = cases
    number, code = first["tracking_number"], first["access_code"]

    early = rate(site, number, code, 5)
    assert early.status_code == 409 and "not answered yet" in early.json()["message"]
    for created in (first, second):
        answered = requests.post(f"{site.base}/api/v1/cases/{created['tracking_number']}/routing/answer",
                                 headers={"X-Api-Key": key}, json={"answer": "เปลี่ยนหลอดไฟแล้ว"}, timeout=10)
        assert answered.status_code == 200, answered.text

    def survey_mail():
        for path in (site.data_dir / "mail").glob("*.eml"):
            mail = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if "ประเมินความพึงพอใจ" in str(mail["Subject"]) and number in str(mail["Subject"]):
                return mail
        return None
    mail = wait_for(survey_mail, timeout=20, message="the survey mailed after the result")
    text = mail.get_content()
    assert SURVEY.format(tracking_number=number) in text and code not in text

    assert rate(site, number, "WRONGCODE1", 4).status_code == 404
    assert rate(site, number, code, 6).status_code == 400
    assert rate(site, number, code, "5").status_code == 400
    done = rate(site, number, code, 4, "เจ้าหน้าที่มาซ่อมเร็วดีครับ")
    assert done.status_code == 201, done.text
    assert done.json()["score"] == 4 and done.json()["tracking_number"] == number
    again = rate(site, number, code, 1)
    assert again.status_code == 409 and "rated already" in again.json()["message"]
    assert rate(site, second["tracking_number"], second["access_code"], 2).status_code == 201
    assert rate(site, third["tracking_number"], third["access_code"], 5).status_code == 409  # not answered

    page = requests.get(f"{site.base}/api/v1/cases/{number}", headers={"X-Access-Code": code}, timeout=10).json()
    assert page["rating"]["score"] == 4 and page["rating"]["comment"] == "เจ้าหน้าที่มาซ่อมเร็วดีครับ"
    now = period_of(utcnow())

    def counted():
        body = requests.get(f"{site.base}/api/v1/reports/indicators", headers={"X-Api-Key": key}, timeout=10,
                            params={"fiscal_year": now.fiscal_year, "half": now.half}).json()
        return body["satisfaction"] if body["satisfaction"]["rated"] == 2 else None
    satisfaction = wait_for(counted, timeout=20, message="the ratings in the figures")
    assert satisfaction == {"rated": 2, "average": 3.0,
                            "by_score": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0},
                            "satisfied": {"numerator": 1, "denominator": 2, "percent": 50.0}}
    timeline = [e["summary"] for e in page["timeline"] or []]
    wait_for(lambda: any("ประเมินความพึงพอใจ 4 จาก 5" in e["summary"] for e in requests.get(
        f"{site.base}/api/v1/cases/{number}", headers={"X-Access-Code": code}, timeout=10).json()["timeline"]),
        timeout=20, message="the rating on the timeline")
    assert "เจ้าหน้าที่มาซ่อมเร็วดีครับ" not in "\n".join(timeline)  # the comment stays off the timeline
    assert "เจ้าหน้าที่มาซ่อมเร็วดีครับ" not in site.log_path.read_text(encoding="utf-8")
