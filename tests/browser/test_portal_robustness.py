"""What people get wrong, or send on purpose, on the portal: each gets a page in Thai saying what, and
nothing changes; no page answers 500."""
import requests

from tests.browser.conftest import DESKTOP, PHONE, log_in, make_user, new_page, routed_unit
from tests.helpers import log_in as api_log_in, thai_case


def csrf_of(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "rt_csrf")


def test_a_body_too_large_and_a_number_that_cannot_be_one_are_said_in_thai(browser, site):
    page = new_page(browser, site.base, PHONE)
    page.goto("/")
    token = csrf_of(page)
    big = page.request.post("/", multipart={"csrf_token": token, "subject": "x", "description": "y",
                                            "attachments": {"name": "big.pdf", "mimeType": "application/pdf",
                                                            "buffer": b"%PDF" + b"0" * (9 * 1024 * 1024)}})
    assert big.status == 413 and big.headers["content-type"].startswith("text/html")
    assert "ใหญ่เกินกำหนด" in big.text() and "Content-Security-Policy" in {k.title(): v for k, v in big.headers.items()}

    page.goto("/track")
    page.get_by_label("เลขที่เรื่อง").fill("<script>alert(1)</script>")
    page.get_by_label("รหัสติดตาม").fill("ABCDEFGH")
    page.get_by_role("button", name="ดูสถานะ").click()
    assert "รูปแบบเลขที่เรื่องไม่ถูกต้อง" in page.inner_text("#e-tracking_number")


def test_a_reply_with_control_characters_is_refused_and_a_number_typed_with_spaces_is_found(browser, site):
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(), timeout=10).json()
    number, code = created["tracking_number"], created["access_code"]
    page = new_page(browser, site.base, PHONE)
    page.goto("/track")
    page.get_by_label("เลขที่เรื่อง").fill(" " + number.lower() + " ")
    page.get_by_label("รหัสติดตาม").fill(code)
    page.get_by_role("button", name="ดูสถานะ").click()
    page.wait_for_selector("h1:has-text('เรื่องเลขที่')")
    answer = page.request.post("/track/reply", form={"csrf_token": csrf_of(page), "tracking_number": number,
                                                     "access_code": code, "text": "ขอบคุณ\x00ครับ"})
    assert answer.status == 400 and "อักขระที่ไม่อนุญาต" in answer.text()
    view = requests.get(f"{site.base}/api/v1/cases/{number}", headers={"X-Access-Code": code}, timeout=10).json()
    assert view["replies"] == []


def test_a_letter_date_a_script_wrote_in_words_shows_as_written(browser, site):
    unit_user = make_user(site, "director")
    headers = api_log_in(site.base, *unit_user)
    created = requests.post(f"{site.base}/api/v1/cases", headers=headers, timeout=10, json=thai_case(
        channel="letter", channel_ref={"letter_number": "กส 12/2567", "letter_date": "15 มี.ค. 2567"}))
    assert created.status_code == 201, created.text
    page = new_page(browser, site.base, DESKTOP)
    log_in(page, *unit_user)
    answer = page.goto(f"/officer/cases/{created.json()['tracking_number']}")
    assert answer.status == 200 and "15 มี.ค. 2567" in page.inner_text("main")
    # what no form sends, typed into the address bar: a page, not a fault
    assert page.goto("/officer/cases/HUB-2570%00").status == 404
    assert page.goto("/officer/search?to=9999-12-31&from=0001-01-01&q=%00").status == 200


def test_pages_of_other_roles_are_denied(browser, site):
    executive = new_page(browser, site.base, DESKTOP)
    log_in(executive, *make_user(site, "executive"), landing="**/officer/figures")
    for path in ("/officer/", "/officer/triage", "/officer/search", "/officer/approvals"):
        assert executive.goto(path).status == 403, path
        assert "ไม่มีสิทธิ์" in executive.inner_text("main")
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(), timeout=10).json()
    unit = routed_unit(site, created["tracking_number"], created["access_code"])
    officer = new_page(browser, site.base, DESKTOP)
    log_in(officer, *make_user(site, "unit_officer", [unit]))
    assert officer.goto("/officer/approvals").status == 403
    assert "คำขอดูข้อมูลผู้ร้อง" not in officer.inner_text("header nav")


def test_a_form_posted_without_its_token_records_nothing_and_comes_back_to_be_sent_again(site):
    """A client that posts the form without first opening the page (a script, a page from before the
    cookie): its fields come back with their errors, nothing is stored, and the page it gets carries
    the token that makes the next post count."""
    import re

    from tests.browser.conftest import case_count
    client = requests.Session()
    before = case_count(site)
    first = client.post(f"{site.base}/", data={"description": "ไม่มีหัวเรื่อง", "email": "bad"}, timeout=10)
    assert first.status_code == 403 and case_count(site) == before
    assert 'id="e-subject"' in first.text and "กรุณากรอกข้อมูลในช่องนี้" in first.text
    assert 'value="ไม่มีหัวเรื่อง"' not in first.text and "ไม่มีหัวเรื่อง</textarea>" in first.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', first.text).group(1)
    again = client.post(f"{site.base}/", data={"csrf_token": token, "subject": "ถนนชำรุด",
                                              "description": "ถนนหน้าบ้านชำรุด"}, timeout=10)
    assert again.status_code == 201 and case_count(site) == before + 1
