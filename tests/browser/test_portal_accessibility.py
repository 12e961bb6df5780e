"""axe-core's check of the public pages and the main console pages, as a browser draws them: no
violation of serious or critical impact (WCAG 2.1 A and AA rules, and axe's best practices)."""
import requests

from tests.browser.conftest import DESKTOP, PHONE, log_in, make_user, new_page, routed_unit
from tests.helpers import thai_case

SERIOUS = ("serious", "critical")


def violations(page):
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v.get("impact") in SERIOUS]


def check(page, shots, name, seen):
    shots(page, name)
    seen[f"{name} {page.url}"] = violations(page)


def test_public_and_console_pages_have_no_serious_accessibility_violation(browser, site, shots):
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(), timeout=10).json()
    number, code = created["tracking_number"], created["access_code"]
    unit = routed_unit(site, number, code)
    seen = {}

    for device, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(browser, site.base, device)
        page.goto("/")
        check(page, shots, f"{label}-complaint-form", seen)
        page.get_by_role("button", name="ส่งเรื่อง").click()  # nothing filled in: the errors beside the fields
        page.wait_for_selector("#errors")
        check(page, shots, f"{label}-complaint-errors", seen)
        page.goto("/track")
        check(page, shots, f"{label}-track", seen)
        page.get_by_label("เลขที่เรื่อง").fill(number)
        page.get_by_label("รหัสติดตาม").fill(code)
        page.get_by_role("button", name="ดูสถานะ").click()
        page.wait_for_selector("h1:has-text('เรื่องเลขที่')")
        check(page, shots, f"{label}-case", seen)
        page.goto("/login")
        check(page, shots, f"{label}-login", seen)

    officer = new_page(browser, site.base, DESKTOP)
    log_in(officer, *make_user(site, "unit_head", [unit]))
    for path, name in (("/officer/", "queue"), (f"/officer/cases/{number}", "officer-case"),
                       ("/officer/triage", "triage"), (f"/officer/search?q={number}", "search"),
                       ("/officer/record", "record"), ("/officer/figures", "figures")):
        officer.goto(path)
        check(officer, shots, name, seen)
    officer.goto("/officer/record")
    officer.get_by_role("button", name="บันทึกรับเรื่อง").click()
    officer.wait_for_selector("#errors")
    check(officer, shots, "record-errors", seen)

    officer.goto("/officer/approvals")
    check(officer, shots, "approvals", seen)
    admin = new_page(browser, site.base, DESKTOP)
    log_in(admin, *make_user(site, "admin"), landing="**/officer/users")
    for path, name in (("/officer/users", "users"), ("/officer/knowledge", "knowledge"),
                       ("/officer/calendar", "calendar")):
        admin.goto(path)
        check(admin, shots, name, seen)

    found = {page: said for page, said in seen.items() if said}
    assert not found, "\n".join(f"{page}: {said}" for page, said in found.items())
