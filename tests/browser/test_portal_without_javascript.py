"""The complaint form's errors, said in Thai beside each field, with nothing stored: in a browser with
JavaScript off, and with it on (the browser's own checks are off: the server judges, as it must)."""
import pytest

from tests.browser.conftest import PHONE, case_count, new_page


@pytest.mark.parametrize("javascript", [False, True], ids=["without-javascript", "with-javascript"])
def test_a_form_missing_and_malformed_fields_shows_errors_beside_them_and_stores_nothing(browser, site, shots,
                                                                                      javascript, tmp_path):
    page = new_page(browser, site.base, PHONE, java_script_enabled=javascript)
    page.goto("/")
    page.get_by_label("รายละเอียด").fill("ไม่มีหัวเรื่อง")
    page.get_by_label("อีเมล").fill("somchai-at-example")
    page.get_by_label("โทรศัพท์").fill("12345")
    page.get_by_label("เลขประจำตัวประชาชน").fill("1234567890123")
    before = case_count(site)
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_selector("#errors")
    shots(page, "errors")
    said = {field: page.inner_text(f"#e-{field}") for field in ("subject", "email", "phone", "national_id")}
    assert said["subject"] == "กรุณากรอกข้อมูลในช่องนี้"
    assert "เรื่อง: กรุณากรอกข้อมูลในช่องนี้" in page.inner_text("#errors")  # the list above names each field
    assert "อีเมล" in said["email"] and "หมายเลขโทรศัพท์" in said["phone"]
    assert "เลขประจำตัวประชาชน" in said["national_id"]
    # beside its field: the message is read with the field, and the field is marked
    for field in said:
        described = page.get_attribute(f"#f-{field}", "aria-describedby") or ""
        assert f"e-{field}" in described.split() and page.get_attribute(f"#f-{field}", "aria-invalid") == "true"
    # what was typed is kept for the complainant to correct
    assert page.input_value("#f-description") == "ไม่มีหัวเรื่อง"
    assert page.input_value("#f-email") == "somchai-at-example"
    assert case_count(site) == before

    # an attachment that is not what it says it is: refused, nothing stored
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ this is a program, not a photo")
    page.get_by_label("เรื่อง (จำเป็น)", exact=True).fill("ถนนชำรุด")
    page.get_by_label("อีเมล").fill("somchai@example.org")
    page.get_by_label("โทรศัพท์").fill("")
    page.get_by_label("เลขประจำตัวประชาชน").fill("")
    page.get_by_label("แนบไฟล์").set_input_files(str(fake))
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_selector("#e-attachments")
    assert "photo.jpg" in page.inner_text("#e-attachments")
    assert case_count(site) == before
    shots(page, "attachment-refused")

    # corrected, it goes through
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_selector("#tracking-number")
    assert case_count(site) == before + 1
    shots(page, "received")


def test_anonymous_with_contact_details_is_asked_which_it_is(browser, site):
    page = new_page(browser, site.base, PHONE, java_script_enabled=False)
    page.goto("/")
    page.get_by_label("เรื่อง (จำเป็น)", exact=True).fill("ขยะไม่ได้จัดเก็บ")
    page.get_by_label("รายละเอียด").fill("ขยะหน้าตลาดไม่ได้จัดเก็บมาหนึ่งสัปดาห์")
    page.get_by_label("ไม่ประสงค์ออกนาม").check()
    page.get_by_label("ชื่อ-นามสกุล").fill("สมชาย ใจกล้า")
    before = case_count(site)
    page.get_by_role("button", name="ส่งเรื่อง").click()
    page.wait_for_selector("#e-name")
    assert "ไม่ประสงค์ออกนาม" in page.inner_text("#e-name")
    assert case_count(site) == before
