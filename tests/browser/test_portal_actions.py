"""The case page's actions, each through its own form as a director uses them, and what follows from
each; an action the services refuse says why on the page."""
import requests

from tests.browser.conftest import DESKTOP, log_in, make_user, new_page, other_unit, routed_unit
from tests.helpers import thai_case, wait_for


def act(page, number, action, button, fill=()):
    """Open the action's form on the case page, fill it, send it; the notice the page then shows."""
    page.goto(f"/officer/cases/{number}")
    page.locator(f"#a-{action} summary").click()
    form = page.locator(f"#a-{action} form")
    for label, value, how in fill:
        field = form.get_by_label(label)
        field.select_option(value) if how == "select" else field.fill(value)
    form.get_by_role("button", name=button).click()
    page.wait_for_selector(".notice-done, .notice-problem")
    return page.inner_text(".notice-done, .notice-problem")


def test_a_director_works_a_case_through_every_action(browser, site, shots):
    created = requests.post(f"{site.base}/api/v1/cases", json=thai_case(), timeout=10).json()
    number, code = created["tracking_number"], created["access_code"]
    first = routed_unit(site, number, code)
    second = other_unit(site, first)
    director = new_page(browser, site.base, DESKTOP)
    log_in(director, *make_user(site, "director"))

    assert act(director, number, "confirm", "ยืนยัน") == "ยืนยันหน่วยงานแล้ว"
    said = act(director, number, "reroute", "ส่งเรื่อง", [("หน่วยงาน", second, "select"),
                                                        ("เหตุผล", "เป็นงานของกลุ่มงานนี้", "fill")])
    assert said == "ส่งเรื่องให้หน่วยงานใหม่แล้ว"

    def moved():
        view = requests.get(f"{site.base}/api/v1/cases/{number}", headers={"X-Access-Code": code}, timeout=10).json()
        return view["unit"] and view["unit"]["id"] == second
    wait_for(moved, timeout=20, interval=0.3, message="the case to move to the other unit")

    assert act(director, number, "change-kind", "เปลี่ยน", [("ประเภท", "3", "select"),
                                                          ("เหตุผล", "มีการเรียกรับเงิน", "fill")]) == \
        "เปลี่ยนประเภทเรื่องแล้ว"
    assert act(director, number, "assign-units", "มอบหมาย", [("หน่วยงาน (เลือกได้หลายหน่วย)", first, "select"),
                                                          ("เหตุผล", "ต้องตรวจสอบร่วมกัน", "fill")]) == \
        "มอบหมายหน่วยงานเพิ่มแล้ว"
    assert act(director, number, "note", "บันทึก", [("ความคืบหน้า", "นัดลงพื้นที่ตรวจสอบวันพรุ่งนี้", "fill")]) == \
        "บันทึกความคืบหน้าแล้ว"
    director.goto(f"/officer/cases/{number}")
    units = director.inner_text(".units")
    assert "หน่วยงานร่วม" in units and "นัดลงพื้นที่ตรวจสอบวันพรุ่งนี้" in units
    assert "เรื่องร้องเรียนร้ายแรง" in director.inner_text(".facts")
    shots(director, "worked")

    # the unit given the case as support finds it in its queue, and may open it
    support = new_page(browser, site.base, DESKTOP)
    log_in(support, *make_user(site, "unit_officer", [first]))
    assert number in support.inner_text("table.cases")
    support.get_by_role("link", name=number).click()
    support.wait_for_selector(f"h1:has-text('{number}')")

    # an embedded site forwards nowhere: routing refuses, and the page says so
    said = act(director, number, "forward", "ส่งต่อ", [("เหตุผล", "เป็นอำนาจของจังหวัด", "fill")])
    assert said.startswith("ระบบไม่สามารถทำรายการนี้ได้")
    shots(director, "forward-refused")

    # a form sent without what it needs changes nothing and says what is missing
    director.goto(f"/officer/cases/{number}")
    token = next(c["value"] for c in director.context.cookies() if c["name"] == "rt_csrf")
    answer = director.request.post(f"/officer/cases/{number}/reroute", form={"csrf_token": token, "unit_id": first})
    assert answer.status == 400 and "เหตุผล" in answer.text()
