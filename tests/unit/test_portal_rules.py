"""The portal's plain rules: forms as the JSON API's bodies, the API's errors in Thai by form field,
Buddhist Era dates, the SLA colours, the list filters, CSRF tokens and the menu each role sees."""
import io
from datetime import date, datetime, timezone

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.intake import web_forms, worklists
from shared import pages


def files(*uploads):
    return MultiDict([("attachments", FileStorage(io.BytesIO(data), filename=name, content_type=kind))
                      for name, kind, data in uploads])


def test_the_complaint_form_is_the_json_apis_body():
    form = MultiDict({"subject": " ไฟดับ ", "description": "ไฟดับทั้งซอย", "province": "กาฬสินธุ์", "address": "ซอย 3",
                      "name": "สมหญิง", "email": "s@example.org", "confidential": "on", "category": ""})
    body, errors = web_forms.complaint(form, files(("a.png", "image/png", b"\x89PNG")))
    assert errors == {}
    assert body["channel"] == "web" and body["subject"] == "ไฟดับ" and body["confidential"] is True
    assert body["location"] == {"province": "กาฬสินธุ์", "address": "ซอย 3"}
    assert body["complainant"] == {"name": "สมหญิง", "email": "s@example.org"}
    assert "category" not in body
    assert body["attachments"] == [{"filename": "a.png", "content_type": "image/png", "content_base64": "iVBORw=="}]


def test_an_empty_file_input_is_no_attachment_and_anonymous_takes_no_identity():
    form = MultiDict({"subject": "x", "description": "y", "anonymous": "yes"})
    body, errors = web_forms.complaint(form, files(("", "application/octet-stream", b"")))
    assert "attachments" not in body and "complainant" not in body and errors == {}
    form["phone"] = "0812345678"
    _body, errors = web_forms.complaint(form, MultiDict())
    assert list(errors) == ["phone"] and "ไม่ประสงค์ออกนาม" in errors["phone"][0]


def test_a_letter_needs_its_register_number_and_date():
    form = MultiDict({"channel": "letter", "subject": "x", "description": "y"})
    _body, errors = web_forms.officer_record(form, MultiDict())
    assert errors == {"letter_number": ["กรุณากรอกเลขทะเบียนหนังสือ"], "letter_date": ["กรุณากรอกวันที่ของหนังสือ"]}
    form.update({"letter_number": "นร 0105/12", "letter_date": "2026-13-01"})
    _body, errors = web_forms.officer_record(form, MultiDict())
    assert list(errors) == ["letter_date"]
    form["letter_date"] = "2026-12-01"
    body, errors = web_forms.officer_record(form, MultiDict())
    assert errors == {} and body["channel_ref"] == {"letter_number": "นร 0105/12", "letter_date": "2026-12-01"}
    phone = web_forms.officer_record(MultiDict({"channel": "phone", "subject": "x", "description": "y"}), MultiDict())
    assert phone[1] == {} and phone[0]["channel"] == "phone"
    assert "channel" in web_forms.officer_record(MultiDict({"channel": "web"}), MultiDict())[1]


def test_the_apis_errors_are_said_in_thai_under_the_form_fields():
    errors = {"subject": ["Missing data for required field."],
              "complainant": {"email": ["Not a valid email address."], "national_id": [
                  "The check digit of this national ID is wrong."]},
              "location": {"province": ["Longer than maximum length 100."]},
              "attachments": {0: {"content_base64": ["Not valid base64."]}},
              "something": ["Whatever the server says."]}
    said = web_forms.field_errors(errors)
    assert said["subject"] == ["กรุณากรอกข้อมูลในช่องนี้"]
    assert said["email"] == ["รูปแบบอีเมลไม่ถูกต้อง เช่น somchai@example.com"]
    assert said["national_id"] == ["เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"]
    assert said["province"] == ["ยาวเกิน 100 ตัวอักษร"]
    assert said["attachments"] == [web_forms.GENERIC]
    assert said["_form"] == [web_forms.GENERIC]  # no English reaches the page
    refused = web_forms.field_errors({"attachments": ["photo.jpg: declared image/jpeg, but the content is not a type"]})
    assert refused["attachments"] == ["photo.jpg: เนื้อไฟล์ไม่ตรงกับชนิดของไฟล์"]


def test_dates_are_buddhist_era_in_bangkok():
    assert pages.thai_date("2026-12-07T17:30:00+00:00") == "8 ธ.ค. 2569 00:30 น."
    assert pages.thai_date(datetime(2027, 1, 1, 2, 0, tzinfo=timezone.utc), with_time=False) == "1 ม.ค. 2570"
    assert pages.thai_day("2026-12-01") == "1 ธ.ค. 2569"
    assert pages.thai_date(None) == "-"


def test_sla_colours_by_business_days_left():
    assert [worklists.colour(d) for d in (None, -1, 0, 1, 2)] == ["grey", "red", "amber", "amber", "green"]


def test_list_filters_read_what_officers_type_and_ignore_the_rest():
    given = worklists.Filters.from_args(MultiDict({"q": " ถนน ", "from": "2026-12-01", "to": "no", "kind": "7",
                                                   "status": "routed"}))
    assert given.words == "ถนน" and given.received_from == date(2026, 12, 1) and given.received_to is None
    assert given.kind is None and given.status == "routed"
    far = worklists.Filters.from_args(MultiDict({"to": "9999-12-31", "q": "ถนน\x00"}))
    assert far.received_to is None and far.words == "ถนน"  # no date past what a day can be added to; no NUL


def request_with(cookie=None, form=None):
    builder = EnvironBuilder(method="POST", data=form or {}, headers={"Cookie": f"{pages.CSRF_COOKIE}={cookie}"}
                             if cookie else {})
    return Request(builder.get_environ())


def test_a_form_counts_only_with_the_token_its_browsers_cookie_holds():
    token = "t" * 43
    assert pages.csrf_ok(request_with(token, {"csrf_token": token}))
    assert not pages.csrf_ok(request_with(token, {"csrf_token": "u" * 43}))
    assert not pages.csrf_ok(request_with(None, {"csrf_token": token}))
    assert not pages.csrf_ok(request_with("short", {"csrf_token": "short"}))
    fresh = request_with()
    assert len(pages.csrf_token(fresh)) >= 32 and pages.csrf_token(fresh) == pages.csrf_token(fresh)


def test_each_role_is_offered_what_the_policy_lets_it_use():
    assert pages.may("admin", "manage_users") and not pages.may("director", "manage_users")
    assert pages.may("executive", "read_figures") and not pages.may("unit_officer", "read_figures")
    assert not pages.works_cases("executive") and pages.works_cases("unit_officer")
    assert pages.home("executive") == "/officer/figures" and pages.home("unit_head") == "/officer/"
    assert not pages.may("nobody", "read_figures")


def test_a_static_path_cannot_leave_the_folder():
    assert pages.static_file("portal.css")[1].startswith("text/css")
    assert pages.static_file("../pages.py") is None and pages.static_file("nothing.css") is None
