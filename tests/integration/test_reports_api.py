"""GET /api/v1/reports/indicators on a running site: officers only, the period's figures from the
cases the site really handled, and a clear 400 for what it cannot read."""
import base64

import requests

from services.reporting.periods import period_of
from shared.times import utcnow
from tests.helpers import pdf_text, run_cli, thai_case, wait_for
from tests.samples import png_1x1, small_pdf


def sent(filename, content_type, data):
    return {"filename": filename, "content_type": content_type, "content_base64": base64.b64encode(data).decode()}


def officer_key(site):
    made = run_cli("apikey", "create", "--name", "นิติกร ศูนย์ดำรงธรรม", "--role", "officer", env=site.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def test_officers_read_the_indicators_and_the_reports_and_wrong_questions_get_400(start_embedded, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    site = start_embedded(REPORT_OFFICE="สำนักงานจังหวัดกาฬสินธุ์", REPORT_TO="ผู้ว่าราชการจังหวัดกาฬสินธุ์")
    misconduct = thai_case(category="misconduct", subject="เจ้าหน้าที่เรียกรับเงิน",
                           description="เจ้าหน้าที่เรียกรับเงินห้าพันบาทเพื่อเร่งออกใบอนุญาต")
    for body in (thai_case(channel="hotline", subject="ถนนชำรุด", kind=2), misconduct):
        site.wait_until_routed(site.post_case(body).json())
    key, now = officer_key(site), period_of(utcnow())
    headers = {"X-Api-Key": key}
    year = {"fiscal_year": str(now.fiscal_year)}
    url = f"{site.base}/api/v1/reports/indicators"
    assert requests.get(url, params=year, timeout=10).status_code == 401

    def counted(params):
        answer = requests.get(url, params=params, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return body if body["counts"]["total"] == 2 else None

    half = wait_for(lambda: counted({**year, "half": str(now.half)}), message="both cases in the half's figures")
    assert (half["fiscal_year"], half["half"], half["site"]) == (now.fiscal_year, now.half, "HUB")
    assert half["counts"]["by_channel"] == {"web": 1, "hotline": 1}
    shares = {i["id"]: i for i in half["indicators"]}
    assert shares["routed_correctly"] == {"id": "routed_correctly", "numerator": 2, "denominator": 2, "percent": 100.0}
    assert shares["answered"]["denominator"] == 2 and shares["on_time"]["percent"] is None
    for params, says in [({"fiscal_year": "2026"}, "Buddhist Era"), ({"fiscal_year": "2570", "half": "3"}, "half is 1"),
                         ({}, "fiscal_year is required"), ({"fiscal_year": "2570", "site": "NOWHERE"}, "no site")]:
        refused = requests.get(url, params=params, headers=headers, timeout=10)
        assert refused.status_code == 400 and says in refused.json()["message"], (params, refused.text)
    api = counted(year)

    xlsx = requests.get(f"{site.base}/api/v1/reports/fiscal-year.xlsx", params=year, headers=headers, timeout=30)
    assert xlsx.status_code == 200 and xlsx.headers["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(BytesIO(xlsx.content))
    rows = {row[0]: row for row in book["ตัวชี้วัด"].iter_rows(min_row=2, values_only=True)}
    for indicator in api["indicators"]:
        assert rows[indicator["id"]][2:] == (indicator["numerator"], indicator["denominator"], indicator["percent"])
    assert next(book["จำนวนเรื่อง"].iter_rows(min_row=2, values_only=True)) == ("ทั้งหมด", None, 2)
    corruption = list(book["ทุจริตและประพฤติมิชอบ"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in corruption] == [(now.fiscal_year, "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่", 1)]

    memo = requests.get(f"{site.base}/api/v1/reports/six-month.pdf", params={**year, "half": str(now.half)},
                        headers=headers, timeout=30)
    assert memo.status_code == 200 and memo.content[:5] == b"%PDF-"
    assert requests.get(f"{site.base}/api/v1/reports/six-month.pdf", params=year, headers=headers,
                        timeout=10).status_code == 400  # a memo is of one half
    assert requests.get(f"{site.base}/api/v1/reports/fiscal-year.docx", params=year, headers=headers,
                        timeout=10).status_code == 400
    assert requests.get(f"{site.base}/api/v1/reports/fiscal-year.pdf", params=year, timeout=10).status_code == 401
    report = requests.get(f"{site.base}/api/v1/reports/fiscal-year.pdf", params={**year, "digits": "arabic"},
                          headers=headers, timeout=30)
    assert report.status_code == 200 and report.content[:5] == b"%PDF-"
    assert report.headers["Content-Disposition"].startswith(f'attachment; filename="fiscal-year-{now.fiscal_year}.pdf"')
    written = run_cli("report", "fiscal-year", "--fy", str(now.fiscal_year), "--format", "xlsx",
                      "--out", str(tmp_path / "fy.xlsx"), env=site.env)
    assert written.returncode == 0, written.stderr
    assert load_workbook(tmp_path / "fy.xlsx")["ตัวชี้วัด"]["C2"].value == api["indicators"][0]["numerator"]
    wrong = run_cli("report", "six-month", "--fy", "2026", "--half", "1", env=site.env)
    assert wrong.returncode == 2 and "Buddhist Era" in wrong.stderr

    # last, as they read: the PDFs' text (skipped outside CI without poppler-utils, failed under it)
    text = pdf_text(memo.content, tmp_path)
    thai_year = str(now.fiscal_year).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    for words in ("บันทึกข้อความ", "ส่วนราชการ สำนักงานจังหวัดกาฬสินธุ์", "เรียน ผู้ว่าราชการจังหวัดกาฬสินธุ์",
                  f"ปีงบประมาณ พ.ศ. {thai_year}", "เรื่องร้องเรียนที่ได้รับ ๒ เรื่อง"):
        assert words in text, words
    squashed = "".join(pdf_text(report.content, tmp_path).split())  # cells and the title wrap
    for words in (f"ปีงบประมาณพ.ศ.{now.fiscal_year}", "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
                  "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่1", "อยู่ระหว่างดำเนินการ1เรื่อง"):
        assert words in squashed, words


def test_a_known_history_of_officers_actions_gives_every_indicator_as_worked_out_by_hand(embedded):
    """Five cases of this half, each handled as below through the API and officers' actions; every
    numerator, denominator and count is worked out by hand from the definitions (docs/reports.md)."""
    key, now = officer_key(embedded), period_of(utcnow())
    who = {"name": "สมศรี ทดสอบ", "email": "somsri@example.org"}

    def case(channel, kind, subject, description, **more):
        created = embedded.post_case({"channel": channel, "kind": kind, "subject": subject,
                                      "description": description, "complainant": who, **more}).json()
        return created

    def act(created, action, body=None):
        answer = requests.post(f"{embedded.base}/api/v1/cases/{created['tracking_number']}/routing/{action}",
                               json=body, headers={"X-Api-Key": key}, timeout=10)
        assert answer.status_code == 200, (action, answer.text)

    a = case("web", 2, "ขอให้ปรับปรุงป้ายประกาศ", "ป้ายประกาศหน้าสำนักงานเก่ามาก อ่านยาก")       # answered
    b = case("hotline", 2, "ขอให้ตรวจสอบการจัดสรรงบ", "ขอให้ชี้แจงการจัดสรรงบโครงการหมู่ 4")      # re-routed, answered
    c = case("counter", 2, "ขอให้ซ่อมไฟทางเดิน", "ไฟทางเดินหน้าอาคารใช้ไม่ได้")                  # information asked
    d = case("letter", 3, "เจ้าหน้าที่เรียกรับเงิน", "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต",
             category="misconduct")                                                         # open
    for created in (a, b, c, d):
        embedded.wait_until_routed(created)
    e = embedded.post_case({"channel": "web", "kind": 1, "subject": "สอบถามเรื่องอบรม",             # knowledge base
                            "description": "อยากทราบว่าจะเปิดรับสมัครอบรมเศรษฐกิจพอเพียงรุ่นต่อไปเมื่อไหร่ครับ"}).json()
    act(b, "reroute", {"unit_id": "projects-funds", "reason": "งบโครงการเป็นของกลุ่มงานโครงการ"})
    act(c, "request-info", {"question": "ไฟดวงไหน อาคารใด"})
    letter, photo = small_pdf(), png_1x1()
    refused = requests.post(f"{embedded.base}/api/v1/cases/{c['tracking_number']}/routing/answer", timeout=10,
                            headers={"X-Api-Key": key}, json={"answer": "ซ่อมแล้ว", "documents": [
                                sent("ผล.pdf", "application/pdf", letter), sent("ภาพ.pdf", "application/pdf", b"<svg/>")]})
    assert refused.status_code == 400 and "ภาพ.pdf: declared application/pdf" in refused.json()["message"]
    act(a, "answer", {"answer": "เปลี่ยนป้ายใหม่แล้ว", "documents": [
        sent("หนังสือแจ้งผล.pdf", "application/pdf", letter), sent("ป้ายใหม่", "image/png", photo)]})
    act(b, "answer", {"answer": "ชี้แจงการจัดสรรงบแล้ว"})

    def settled():
        body = requests.get(f"{embedded.base}/api/v1/reports/indicators", headers={"X-Api-Key": key}, timeout=10,
                            params={"fiscal_year": now.fiscal_year, "half": now.half}).json()
        shares = {i["id"]: (i["numerator"], i["denominator"]) for i in body["indicators"]}
        done = body["counts"]["total"] == 5 and shares["answered"][0] == 3 and shares["on_time"][1] == 2
        return body if done and shares["complete_information"][0] == 3 else None

    body = wait_for(settled, timeout=30, message="every event in the figures")
    shares = {i["id"]: (i["numerator"], i["denominator"], i["percent"]) for i in body["indicators"]}
    assert shares == {
        "routed_correctly": (3, 4, 75.0),         # a, b, c, d routed (e answered from the knowledge base); b re-routed
        "complete_information": (3, 4, 75.0),     # c asked for information
        "progress_on_time": (4, 4, 100.0),        # a-d: each told which unit has it (routed) at once; e has no clock
        "followed_up": (0, 0, None),              # nothing warned or breached yet
        "result_documents": (1, 2, 50.0),         # a answered with two documents, b without (c's were refused)
        "answered": (3, 5, 60.0),                 # a, b and e of the five
        "on_time": (2, 2, 100.0),                 # a and b resolved before their deadlines
    }
    counts = body["counts"]
    assert counts["total"] == 5
    assert counts["by_channel"] == {"web": 2, "hotline": 1, "counter": 1, "letter": 1}
    assert counts["by_kind"] == {"1": 1, "2": 3, "3": 1}
    assert counts["by_category"]["misconduct"] == 1 and sum(counts["by_category"].values()) == 5
    assert counts["by_unit"]["projects-funds"] >= 1 and counts["by_unit"]["none"] == 1   # e has no unit
    assert sum(counts["by_unit"].values()) == 5
    assert e["tracking_number"]

    # the complainant sees a's documents on its page and fetches them with the access code
    page = requests.get(f"{embedded.base}/api/v1/cases/{a['tracking_number']}",
                        headers={"X-Access-Code": a["access_code"]}, timeout=10).json()
    listed = page["result"]["documents"]
    assert [(d["filename"], d["content_type"], d["size"]) for d in listed] == [
        ("หนังสือแจ้งผล.pdf", "application/pdf", len(letter)), ("ป้ายใหม่.png", "image/png", len(photo))]
    document_url = f"{embedded.base}/api/v1/cases/{a['tracking_number']}/documents/{listed[0]['id']}"
    fetched = requests.get(document_url, headers={"X-Access-Code": a["access_code"]}, timeout=10)
    assert fetched.status_code == 200 and fetched.content == letter
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E0%B8%AB" in fetched.headers["Content-Disposition"]  # หนังสือ…, percent-encoded
    assert requests.get(document_url, headers={"X-Api-Key": key}, timeout=10).content == letter
    assert requests.get(document_url, headers={"X-Access-Code": "WRONGCODE"}, timeout=10).status_code == 404
    assert requests.get(document_url.replace(listed[0]["id"], listed[0]["id"][::-1]),
                        headers={"X-Api-Key": key}, timeout=10).status_code == 404
    assert requests.get(f"{embedded.base}/api/v1/cases/{c['tracking_number']}", headers={"X-Api-Key": key},
                        timeout=10).json()["result"] is None  # the refused answer recorded nothing
