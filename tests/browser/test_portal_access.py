"""Every console page for an officer of another unit: denied, with why, and nothing of the case leaks
(not its subject, not its words, not its documents); the actions change nothing."""
import base64

import requests

from tests.browser.conftest import DESKTOP, log_in, make_user, new_page, other_unit, routed_unit
from tests.helpers import log_in as api_log_in, thai_case

SECRET = "ถนนซอยมะขามเทศ"  # words only this case has


def a_case_with_a_result_document(site):
    """A case, routed; its unit's officer answers it with a document (the JSON API). (number, code, unit, doc)."""
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(
        subject=f"ไฟดับที่{SECRET}", description=f"ไฟฟ้าส่องสว่างที่{SECRET}ดับมาหลายวัน"), timeout=10).json()
    number, code = created["tracking_number"], created["access_code"]
    unit = routed_unit(site, number, code)
    headers = api_log_in(site.base, *make_user(site, "unit_officer", [unit]))
    answered = requests.post(f"{site.base}/api/v1/cases/{number}/routing/answer", headers=headers, timeout=20, json={
        "answer": f"ซ่อมไฟที่{SECRET}แล้ว", "documents": [{"filename": "ผล.txt", "content_type": "text/plain",
                                                          "content_base64": base64.b64encode(b"done").decode()}]})
    assert answered.status_code == 200, answered.text
    return number, code, unit, answered.json()["documents"][0]["id"]


def test_an_officer_of_another_unit_is_denied_every_page_of_a_case(browser, site, shots):
    number, code, unit, document = a_case_with_a_result_document(site)
    stranger = new_page(browser, site.base, DESKTOP, accept_downloads=False)
    log_in(stranger, *make_user(site, "unit_officer", [other_unit(site, unit)]))

    for path in ("/officer/", "/officer/triage", f"/officer/search?q={number}", f"/officer/search?q={SECRET}",
                 "/officer/search?status=answered"):
        answer = stranger.goto(path)
        assert answer.status == 200
        listed = " ".join(stranger.locator("table.cases").all_inner_texts())  # the filter's box repeats the words
        assert number not in listed and SECRET not in listed, path
        if "search" in path:
            assert "ไม่พบเรื่อง" in stranger.inner_text("main"), path
    shots(stranger, "search-finds-nothing")

    answer = stranger.goto(f"/officer/cases/{number}")
    assert answer.status == 403
    assert "ไม่มีสิทธิ์" in stranger.inner_text("main")
    assert SECRET not in stranger.content()
    shots(stranger, "case-denied")

    answer = stranger.request.get(f"/officer/cases/{number}/documents/{document}")
    assert answer.status == 403 and b"done" not in answer.body() and SECRET not in answer.text()
    answer = stranger.request.get(f"/officer/cases/{number}/attachments/{document}")
    assert answer.status == 403 and SECRET not in answer.text()

    token = next(c["value"] for c in stranger.context.cookies() if c["name"] == "rt_csrf")
    forms = {"confirm": {}, "reroute": {"unit_id": unit, "reason": "ผิดหน่วยงาน"},
             "request-info": {"question": "ขอที่อยู่"}, "note": {"unit_id": unit, "note": "กำลังดำเนินการ"},
             "answer": {"answer": "เสร็จแล้ว"}, "change-kind": {"kind": "3", "reason": "ร้ายแรง"},
             "reveal": {"reason": "ตรวจสอบข้อเท็จจริงตามคำสั่ง"},
             "assign-units": {"unit_ids": unit, "reason": "ร่วมกันดำเนินการ"},
             "forward": {"to_site": "HUB", "reason": "ส่งต่อ"}}
    for action, fields in forms.items():
        answer = stranger.request.post(f"/officer/cases/{number}/{action}", form={"csrf_token": token, **fields},
                                       max_redirects=0)
        assert answer.status == 403, (action, answer.status)
        assert SECRET not in answer.text(), action

    # nothing changed: the case is as its unit left it
    view = requests.get(f"{site.base}/api/v1/cases/{number}", headers={"X-Access-Code": code}, timeout=10).json()
    assert view["status"] == "answered" and view["unit"]["id"] == unit

    answer = stranger.goto("/officer/figures")  # a unit officer reads no figures
    assert answer.status == 403 and "ไม่มีสิทธิ์" in stranger.inner_text("main")
    shots(stranger, "figures-denied")


def test_an_executive_reads_figures_and_no_case(browser, site, shots):
    number, *_ = a_case_with_a_result_document(site)
    executive = new_page(browser, site.base, DESKTOP)
    log_in(executive, *make_user(site, "executive"))
    for path in ("/officer/", f"/officer/search?q={number}"):
        executive.goto(path)
        assert number not in " ".join(executive.locator("table.cases").all_inner_texts())
    assert executive.goto(f"/officer/cases/{number}").status == 403
    assert SECRET not in executive.content()
    shots(executive, "case-denied")


def test_the_console_without_a_session_asks_to_log_in(browser, site):
    page = new_page(browser, site.base, DESKTOP)
    for path in ("/officer/", "/officer/triage", "/officer/search", "/officer/record", "/officer/cases/HUB-2570-000001",
                 "/officer/figures"):
        page.goto(path)
        assert page.url.endswith("/login"), path
    page.get_by_label("ชื่อผู้ใช้").fill("nobody")
    page.get_by_label("รหัสผ่าน").fill("wrong password")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in page.inner_text("main")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert "rt_session" not in cookies


def test_a_session_cookie_is_http_only_and_a_form_from_elsewhere_changes_nothing(browser, site):
    page = new_page(browser, site.base, DESKTOP)
    log_in(page, *make_user(site, "intake_officer"))
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["rt_session"]["httpOnly"] and cookies["rt_session"]["sameSite"] == "Lax"
    assert cookies["rt_csrf"]["httpOnly"] and cookies["rt_csrf"]["sameSite"] == "Strict"
    before = page.request.get("/officer/search?q=ปลอม").text()
    forged = page.request.post("/officer/record", form={"csrf_token": "x" * 43, "channel": "phone", "subject": "ปลอม",
                                                        "description": "เรื่องปลอมจากเว็บอื่น"})
    assert forged.status == 403
    assert page.request.get("/officer/search?q=ปลอม").text().count("ปลอม") == before.count("ปลอม")
