"""The console's site pages in Chromium: an administrator keeps the users, the knowledge base and the
calendar of extra holidays; a unit head approves a look at a confidential complainant. Each page is
denied, with why, to a role that may not use it."""
import re
import secrets

import requests

from tests.browser.conftest import DESKTOP, log_in, make_user, new_page, routed_unit
from tests.helpers import thai_case


def csrf_of(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "rt_csrf")


def test_an_administrator_keeps_users_knowledge_and_calendar(browser, site, shots):
    admin = new_page(browser, site.base, DESKTOP)
    admin_name, admin_password = make_user(site, "admin")
    log_in(admin, admin_name, admin_password, landing="**/officer/users")
    shots(admin, "users")

    # a weak password is refused with why, and no account is made
    username = f"somsri-{secrets.token_hex(2)}"
    admin.get_by_label("ชื่อผู้ใช้").fill(username)
    admin.get_by_label("บทบาท").select_option("intake_officer")
    admin.get_by_label("รหัสผ่านเริ่มต้น").fill("password")
    admin.get_by_role("button", name="สร้างบัญชี").click()
    assert "บันทึกไม่ได้" in admin.inner_text(".notice-problem")
    assert username not in admin.inner_text("table")
    password = f"มะม่วง-{secrets.token_urlsafe(10)}-ยโสธร"
    admin.get_by_label("ชื่อผู้ใช้").fill(username)
    admin.get_by_label("รหัสผ่านเริ่มต้น").fill(password)
    admin.get_by_role("button", name="สร้างบัญชี").click()
    admin.wait_for_selector(".notice-done")
    assert username in admin.inner_text("table")
    shots(admin, "user-created")
    newcomer = new_page(browser, site.base, DESKTOP)
    log_in(newcomer, username, password)  # the new account works
    admin.get_by_role("button", name=f"ระงับ {username}").click()
    admin.wait_for_selector(".notice-done")
    newcomer.goto("/officer/")
    assert newcomer.url.endswith("/login")  # disabled: its session has ended

    # oneself, or an account of another site, cannot be disabled
    me = admin.request.post(f"/officer/users/{admin_name}/disable", form={"csrf_token": csrf_of(admin)})
    assert me.status == 400 and "ระงับบัญชีของตนเองไม่ได้" in me.text()

    # the knowledge base: an id it will not take is said (in routing's words), then an entry added and edited
    admin.goto("/officer/knowledge")
    admin.get_by_label("รหัสรายการ").fill("Office Hours")
    admin.get_by_label("คำถาม (บรรทัดละหนึ่งคำถาม)").fill("สำนักงานเปิดกี่โมง")
    admin.get_by_label("คำตอบที่ส่งถึงผู้ร้อง").fill("เปิด 08.30 น.")
    admin.get_by_role("button", name="บันทึก").click()
    assert "บันทึกไม่ได้" in admin.inner_text(".notice-problem")
    entry = f"office-hours-{secrets.token_hex(2)}"
    admin.goto("/officer/knowledge")
    admin.get_by_label("หน่วยงานที่รับเรื่องต่อ (ถ้ามี)").select_option(index=1)
    unit = admin.input_value("#kb-unit")
    admin.get_by_label("รหัสรายการ").fill(entry)
    admin.get_by_label("คำถาม (บรรทัดละหนึ่งคำถาม)").fill("สำนักงานเปิดกี่โมง\nวันเสาร์เปิดไหม")
    admin.get_by_label("คำตอบที่ส่งถึงผู้ร้อง").fill("สำนักงานเปิดวันจันทร์ถึงวันศุกร์ 08.30-16.30 น.")
    admin.get_by_role("button", name="บันทึก").click()
    admin.wait_for_selector(".notice-done")
    assert entry in admin.inner_text("table")
    admin.get_by_role("link", name=f"แก้ไข {entry}").click()
    assert admin.input_value("#kb-id") == entry
    admin.get_by_label("คำตอบที่ส่งถึงผู้ร้อง").fill("สำนักงานเปิดวันจันทร์ถึงวันศุกร์ 08.00-16.00 น.")
    admin.get_by_role("button", name="บันทึก").click()
    admin.wait_for_selector(".notice-done")
    shots(admin, "knowledge")
    admin.goto(f"/officer/knowledge?edit={entry}")
    assert "08.00-16.00" in admin.input_value("#kb-answer")
    assert admin.input_value("#kb-unit") == unit  # editing keeps the entry's unit

    # the calendar: an extra holiday declared, listed, and taken back
    admin.goto("/officer/calendar?year=2570")
    assert "พ.ศ. 2570" in admin.inner_text("h1")
    admin.get_by_label("วันที่").fill("2027-06-18")
    admin.get_by_label("ชื่อหรือมติ ครม.").fill("วันหยุดพิเศษตามมติคณะรัฐมนตรี")
    admin.get_by_role("button", name="บันทึก").click()
    admin.wait_for_selector(".notice-done")
    assert "18 มิ.ย. 2570" in admin.inner_text("table") and "วันหยุดพิเศษตามมติคณะรัฐมนตรี" in admin.inner_text("table")
    shots(admin, "calendar")
    admin.get_by_role("button", name="นำออก 18 มิ.ย. 2570").click()
    admin.wait_for_selector(".notice-done")
    assert "วันหยุดพิเศษตามมติคณะรัฐมนตรี" not in admin.inner_text("table")
    again = admin.request.post("/officer/calendar/remove", form={"csrf_token": csrf_of(admin), "day": "2027-06-18"})
    assert again.status == 400 and "บันทึกไม่ได้" in again.text()  # sla's words: there is no such day

    # an administrator works no case
    admin.goto("/officer/search?q=HUB")
    assert admin.locator("table.cases").count() == 0


def test_site_pages_are_denied_to_roles_that_may_not_use_them(browser, site, shots):
    officer = new_page(browser, site.base, DESKTOP)
    log_in(officer, *make_user(site, "intake_officer"))
    for path in ("/officer/users", "/officer/knowledge", "/officer/calendar", "/officer/figures"):
        answer = officer.goto(path)
        assert answer.status == 403, path
        assert "ไม่มีสิทธิ์" in officer.inner_text("main"), path
    shots(officer, "denied")
    token = next(c["value"] for c in officer.context.cookies() if c["name"] == "rt_csrf")
    for path, form in (("/officer/users", {"username": "intruder", "role": "admin", "password": "x" * 20}),
                       ("/officer/knowledge", {"id": "x", "questions": "q", "answer": "a"}),
                       ("/officer/calendar", {"day": "2027-06-18", "kind": "holiday", "name": "x"})):
        answer = officer.request.post(path, form={"csrf_token": token, **form}, max_redirects=0)
        assert answer.status == 403, path
    menu = officer.inner_text("header nav")
    assert "ผู้ใช้งาน" not in menu and "ฐานความรู้" not in menu and "บันทึกรับเรื่อง" in menu


def test_a_unit_head_approves_a_look_at_a_confidential_complainant(browser, site, shots):
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(confidential=True), timeout=10).json()
    number = created["tracking_number"]
    unit = routed_unit(site, number, created["access_code"])
    officer = new_page(browser, site.base, DESKTOP)
    log_in(officer, *make_user(site, "unit_officer", [unit]))
    officer.goto(f"/officer/cases/{number}")
    officer.locator("#a-reveal summary").click()
    officer.get_by_label("เหตุผลที่ต้องดู (บันทึกไว้)").fill("สอบข้อเท็จจริงตามคำสั่งที่ 12/2569")
    officer.get_by_role("button", name="ขอดูข้อมูล").click()
    assert "รอหัวหน้าหน่วยงาน" in officer.inner_text(".notice-done")
    assert "สมหญิง ใจดี" not in officer.content()

    head = new_page(browser, site.base, DESKTOP)
    log_in(head, *make_user(site, "unit_head", [unit]))
    head.goto("/officer/approvals")
    shots(head, "approvals")
    head.get_by_role("button", name=re.compile(f"^อนุมัติ คำขอของ .* เรื่อง {number}")).click()
    head.wait_for_selector(".notice-done")

    officer.goto(f"/officer/cases/{number}")
    officer.locator("#a-reveal summary").click()
    officer.get_by_label("เหตุผลที่ต้องดู (บันทึกไว้)").fill("สอบข้อเท็จจริงตามคำสั่งที่ 12/2569")
    officer.get_by_role("button", name="ขอดูข้อมูล").click()
    officer.wait_for_selector(".identity-shown")
    assert "สมหญิง ใจดี" in officer.inner_text(".identity-shown")
    shots(officer, "identity-shown")
