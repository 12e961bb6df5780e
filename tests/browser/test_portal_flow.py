"""A complaint's whole way through the portal, as its people see it in Chromium: a citizen complains on
a phone with a photo and follows the case; an intake officer records a letter; the unit's officer finds
the case in their queue, asks for information, reads the answer and answers with a document; the
citizen sees the result; an executive downloads the six-month memo."""
import re

from tests.browser.conftest import DESKTOP, PHONE, case_count, log_in, make_user, new_page, routed_unit
from tests.helpers import pdf_text, wait_for

# the smallest PNG there is (1x1), and a one-page PDF: what a phone and an office scanner send
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
                    "c0f01f0005000201a0f6f6a50000000049454e44ae426082")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def track(page, number, code):
    page.goto("/track")
    page.get_by_label("เลขที่เรื่อง").fill(number)
    page.get_by_label("รหัสติดตาม").fill(code)
    page.get_by_role("button", name="ดูสถานะ").click()
    page.wait_for_selector("h1:has-text('เรื่องเลขที่')")


def until_shown(page, open_page, text, message):
    """Open the page again until it shows `text`: what another service does reaches it an event later."""
    def shown():
        open_page()
        return text in page.inner_text("main")
    wait_for(shown, timeout=20, interval=0.5, message=message)


def test_a_complaint_from_a_phone_to_its_result(browser, site, shots, tmp_path):
    photo = tmp_path / "ไฟดับ.png"
    photo.write_bytes(PNG)
    result_letter = tmp_path / "หนังสือแจ้งผล.pdf"
    result_letter.write_bytes(PDF)

    # a citizen complains on a phone, with a photo
    citizen = new_page(browser, site.base, PHONE)
    citizen.goto("/")
    shots(citizen, "complaint-form")
    citizen.get_by_label("เรื่อง (จำเป็น)", exact=True).fill("ไฟฟ้าส่องสว่างดับทั้งซอย")
    citizen.get_by_label("รายละเอียด").fill("ไฟฟ้าส่องสว่างในซอยวัดกลางดับมาสามคืนแล้ว มืดมากและอันตรายต่อผู้สัญจร "
                                            "ขอให้หน่วยงานที่เกี่ยวข้องซ่อมโดยเร็ว")
    citizen.get_by_label("จังหวัด").fill("กาฬสินธุ์")
    citizen.get_by_label("อำเภอ/เขต").fill("เมืองกาฬสินธุ์")
    citizen.get_by_label("ชื่อ-นามสกุล").fill("สมหญิง ใจดี")
    citizen.get_by_label("อีเมล").fill("somying@example.org")
    citizen.get_by_label("แนบไฟล์").set_input_files(str(photo))
    citizen.get_by_role("button", name="ส่งเรื่อง").click()
    citizen.wait_for_selector("#tracking-number")
    shots(citizen, "received")
    number = citizen.inner_text("#tracking-number").strip()
    code = citizen.inner_text("#access-code").strip()
    assert re.fullmatch(r"[A-Z]+-25\d\d-\d{6}", number) and len(code) >= 8
    assert code not in citizen.url and number not in citizen.url

    # and follows it: the code posted, never in the address
    track(citizen, number, code)
    shots(citizen, "tracked")
    assert code not in citizen.url
    assert "ไฟฟ้าส่องสว่างดับทั้งซอย" in citizen.inner_text("main")
    unit = routed_unit(site, number, code)

    # an intake officer records a letter: its register number and date are required
    intake_user = make_user(site, "intake_officer")
    desk = new_page(browser, site.base, DESKTOP)
    log_in(desk, *intake_user)
    desk.goto("/officer/record")
    desk.get_by_label("ช่องทางที่รับเรื่อง").select_option("letter")
    desk.get_by_label("เรื่อง (จำเป็น)", exact=True).fill("ขอให้ซ่อมถนนหน้าโรงเรียน")
    desk.get_by_label("รายละเอียด").fill("ถนนหน้าโรงเรียนบ้านโนนเป็นหลุมลึก นักเรียนเดินทางลำบาก")
    before = case_count(site)
    desk.get_by_role("button", name="บันทึกรับเรื่อง").click()
    desk.wait_for_selector("#e-letter_number")
    assert "กรุณากรอกเลขทะเบียนหนังสือ" in desk.inner_text("#e-letter_number")
    assert "กรุณากรอกวันที่ของหนังสือ" in desk.inner_text("#e-letter_date")
    assert case_count(site) == before
    shots(desk, "letter-errors")
    desk.get_by_label("เลขทะเบียนหนังสือ").fill("กส 0023.4/1234")
    desk.get_by_label("ลงวันที่").fill("2026-12-01")
    desk.get_by_role("button", name="บันทึกรับเรื่อง").click()
    desk.wait_for_selector("#tracking-number")
    shots(desk, "letter-recorded")
    letter_number = desk.inner_text("#tracking-number").strip()
    assert case_count(site) == before + 1
    desk.goto(f"/officer/cases/{letter_number}")
    assert "กส 0023.4/1234" in desk.inner_text("main") and "1 ธ.ค. 2569" in desk.inner_text("main")
    shots(desk, "letter-case")

    # the unit's officer finds the case in their queue and asks for more
    officer_user = make_user(site, "unit_officer", [unit])
    officer = new_page(browser, site.base, DESKTOP)
    log_in(officer, *officer_user)
    shots(officer, "queue")
    officer.get_by_role("link", name=number).click()
    officer.wait_for_selector(f"h1:has-text('{number}')")
    shots(officer, "officer-case")
    with officer.expect_download() as download:  # the complainant's photo
        officer.get_by_role("link", name="ไฟดับ.png").click()
    assert open(download.value.path(), "rb").read() == PNG
    officer.locator("#a-request-info summary").click()
    officer.get_by_label("คำถามถึงผู้ร้อง").fill("ขอทราบบ้านเลขที่ใกล้จุดที่ไฟดับ")
    officer.get_by_role("button", name="ส่งคำถาม (หยุดนับเวลา)").click()
    officer.wait_for_selector(".notice-done")
    shots(officer, "info-requested")

    # the citizen sees the question and answers it on their case page
    until_shown(citizen, lambda: track(citizen, number, code), "เจ้าหน้าที่ขอข้อมูลเพิ่มเติม",
                "the case to wait for the complainant")
    shots(citizen, "asked")
    citizen.get_by_label("คำตอบถึงเจ้าหน้าที่").fill("หน้าบ้านเลขที่ 45/2 ซอยวัดกลาง")
    citizen.get_by_role("button", name="ส่งข้อความ").click()
    citizen.wait_for_selector(".notice-done")
    shots(citizen, "answered-question")

    # the officer reads the answer and answers the case with a document
    until_shown(officer, lambda: officer.goto(f"/officer/cases/{number}"), "หน้าบ้านเลขที่ 45/2 ซอยวัดกลาง",
                "the complainant's answer on the officer's page")
    shots(officer, "reply-seen")
    officer.locator("#a-answer summary").click()
    officer.get_by_label("ผลการดำเนินการ (แจ้งผู้ร้อง)").fill("ซ่อมไฟฟ้าส่องสว่างในซอยวัดกลางเรียบร้อยแล้ว")
    officer.get_by_label("เอกสารแนบผล").set_input_files(str(result_letter))
    officer.get_by_role("button", name="แจ้งผล").click()
    officer.wait_for_selector(".notice-done")
    shots(officer, "case-answered")

    # the citizen sees the result and its document, and rates the handling
    until_shown(citizen, lambda: track(citizen, number, code), "ซ่อมไฟฟ้าส่องสว่างในซอยวัดกลางเรียบร้อยแล้ว",
                "the result on the citizen's page")
    shots(citizen, "result")
    with citizen.expect_download() as download:
        citizen.get_by_role("button", name=re.compile("ดาวน์โหลด หนังสือแจ้งผล")).click()
    assert download.value.suggested_filename == "หนังสือแจ้งผล.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    citizen.get_by_label("5 มากที่สุด").check()
    citizen.get_by_role("button", name="ส่งผลประเมิน").click()
    citizen.wait_for_selector(".notice-done")
    assert "ท่านประเมินความพึงพอใจ 5 จาก 5 คะแนน" in citizen.inner_text("main")
    shots(citizen, "rated")

    # an executive reads the figures and downloads the six-month memo
    executive = new_page(browser, site.base, DESKTOP, accept_downloads=True)
    log_in(executive, *make_user(site, "executive"))
    executive.goto("/officer/figures")
    assert "ตัวชี้วัด" in executive.inner_text("main")
    shots(executive, "figures")
    with executive.expect_download() as download:
        executive.get_by_role("link", name=re.compile("บันทึกข้อความรายงานผลรอบ 6 เดือน")).click()
    memo = open(download.value.path(), "rb").read()
    assert memo.startswith(b"%PDF")
    assert "บันทึกข้อความ" in pdf_text(memo, tmp_path)
