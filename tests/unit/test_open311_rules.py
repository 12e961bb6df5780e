"""services/intake/open311.py: Open311 GeoReport v2 forms, filters and formats, with the shipped catalogue."""
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from services.intake import open311
from services.intake.catalogue import Catalogue
from services.intake.exceptions import Open311Error
from services.intake.open311 import DEFAULT_WINDOW
from shared.times import BANGKOK

CATALOGUE = Catalogue.load(Path(__file__).resolve().parents[2] / "deploy" / "subjects.yml")  # this checkout's
CLIENT = "Traffy Fondue"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BANGKOK)

DESCRIPTION = ("ไฟฟ้าส่องสว่างในซอยลาดพร้าว 101 แยก 44 ดับทั้งซอยมาสองสัปดาห์\n"
               "กลางคืนมืดมาก มีคนถูกวิ่งราวกระเป๋าแล้ว ขอให้ซ่อมโดยด่วน")


def form(**fields):
    base = {"service_code": "public-works", "description": DESCRIPTION, "lat": "13.8046", "long": "100.6081"}
    base.update(fields)
    return MultiDict({k: v for k, v in base.items() if v is not None})


def error_of(call, *args):
    with pytest.raises(Open311Error) as info:
        call(*args)
    return info.value


# --- services ----------------------------------------------------------------------------------


def test_service_list_offers_every_subject_of_the_catalogue():
    services = open311.service_list(CATALOGUE)
    assert [s["service_code"] for s in services] == [s.code for s in CATALOGUE]
    works = next(s for s in services if s["service_code"] == "public-works")
    assert works == {"service_code": "public-works", "service_name": "ถนน ไฟฟ้า ประปา และสาธารณูปโภค",
                     "description": "Roads, lighting, water and public works. Public: requests are listed "
                                    "with their description, location and photo.", "metadata": True,
                     "type": "realtime", "keywords": "Roads, lighting, water and public works",
                     "group": "ข้อร้องเรียน"}


def test_the_service_list_says_which_services_are_public_in_the_description():
    """GeoReport v2 has no field for it; the spec's own fields and their types stay as they are."""
    services = {s["service_code"]: s for s in open311.service_list(CATALOGUE)}
    assert services["public-works"]["description"].endswith(open311.PUBLIC_NOTE)
    for code in ("misconduct", "service-quality", "personnel", "information", "suggestion", "media-lawsuit"):
        assert services[code]["description"].endswith(open311.PRIVATE_NOTE), code
    assert services["service-quality"]["description"].startswith("Quality of service and conduct of staff. ")
    assert all(set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
               for s in services.values())


def test_service_definition_lists_subject_kind_and_confidential_attributes():
    definition = open311.service_definition(CATALOGUE, "misconduct")
    assert definition["service_code"] == "misconduct"
    assert [a["code"] for a in definition["attributes"]] == ["subject", "kind", "confidential"]
    assert [a["order"] for a in definition["attributes"]] == [1, 2, 3]
    kind = definition["attributes"][1]
    assert kind["datatype"] == "singlevaluelist"
    assert [v["key"] for v in kind["values"]] == ["1", "2", "3", "4"]
    assert "3" in kind["datatype_description"]  # misconduct's default kind
    confidential = definition["attributes"][2]
    assert [v["key"] for v in confidential["values"]] == ["yes", "no"]


def test_an_unknown_service_definition_is_404():
    error = error_of(open311.service_definition, CATALOGUE, "potholes")
    assert error.code == 404 and "potholes" in error.description


# --- request_to_case: refusals -----------------------------------------------------------------


@pytest.mark.parametrize("fields, says", [
    ({"service_code": None}, "service_code"),
    ({"service_code": "   "}, "service_code"),
    ({"service_code": "potholes"}, "potholes"),
    ({"lat": None, "long": None}, "location"),
    ({"lat": "13.8046", "long": None}, "location"),
    ({"lat": "51.5072", "long": "-0.1276"}, "Thailand"),     # London
    ({"lat": "1.3521", "long": "103.8198"}, "Thailand"),     # Singapore
    ({"lat": "13.8046", "long": "120.9842"}, "Thailand"),    # Manila's longitude
    ({"lat": "สิบสาม", "long": "100.6081"}, "decimal"),
    ({"lat": "13.8046", "long": "100,6081"}, "decimal"),
    ({"lat": "nan", "long": "100.6081"}, "Thailand"),
    ({"description": "ก" * 4001}, "4000"),
    ({"phone": "1111"}, "phone"),
    ({"phone": "+1 212 555 0123"}, "phone"),
    ({"phone": "081-234-567"}, "phone"),
    ({"email": "somchai.example.org"}, "email"),
    ({"attribute[kind]": "7"}, "kind"),
    ({"attribute[kind]": "สาม"}, "kind"),
    ({"attribute[confidential]": "maybe"}, "confidential"),
])
def test_bad_requests_are_400(fields, says):
    error = error_of(open311.request_to_case, form(**fields), CATALOGUE, CLIENT)
    assert error.code == 400
    assert says in error.description


def test_an_address_alone_is_a_location():
    data = open311.request_to_case(form(lat=None, long=None, address_string="ซอยลาดพร้าว 101 แขวงคลองจั่น เขตบางกะปิ"),
                                   CATALOGUE, CLIENT)
    assert data["location"] == {"address": "ซอยลาดพร้าว 101 แขวงคลองจั่น เขตบางกะปิ"}


def test_an_address_id_is_a_location():
    data = open311.request_to_case(form(lat=None, long=None, address_id="10240-0101-44"), CATALOGUE, CLIENT)
    assert data["location"] == {"address": "10240-0101-44"}


def test_a_description_of_exactly_4000_characters_is_taken():
    data = open311.request_to_case(form(description="ก" * 4000), CATALOGUE, CLIENT)
    assert len(data["description"]) == 4000


def test_a_description_with_control_characters_is_refused_or_cleaned():
    """The JSON API refuses control characters (shared.fields.Text); a request taken here is later
    listed by GET requests.xml, and XML 1.0 cannot carry U+000B or U+001B at all."""
    description = "ไฟฟ้าส่องสว่างดับ\x0bทั้งซอย\x1b ขอให้ซ่อมด่วน"
    try:
        data = open311.request_to_case(form(description=description), CATALOGUE, CLIENT)
    except Open311Error as error:
        assert error.code == 400
        return
    assert not any(ch in data["description"] for ch in "\x0b\x1b")
    assert not any(ch in data["subject"] for ch in "\x0b\x1b")


# --- request_to_case: a full form --------------------------------------------------------------


def test_a_full_form_maps_to_the_case_record():
    data = open311.request_to_case(form(**{
        "service_code": "service-quality",
        "description": "เจ้าหน้าที่ช่องบริการที่ 3 พูดจาไม่สุภาพ\nให้รอนานกว่าสองชั่วโมงโดยไม่แจ้งเหตุผล",
        "lat": " 18.7883 ", "long": "98.9853",
        "address_string": "ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา",
        "first_name": "สมศรี", "last_name": "มีสุข",
        "email": "somsri.m@example.co.th", "phone": "081-234-5678",
        "device_id": "iPhone15,2-7F3A", "account_id": "acc-20981",
        "media_url": "https://cdn.example.org/photos/counter3.jpg",
        "attribute[subject]": "พฤติกรรมเจ้าหน้าที่ช่องบริการ", "attribute[kind]": "3",
        "attribute[confidential]": "YES",
    }), CATALOGUE, CLIENT)
    assert data == {
        "channel": "web",
        "channel_ref": {"open311_client": CLIENT, "device_id": "iPhone15,2-7F3A", "account_id": "acc-20981",
                        "media_url": "https://cdn.example.org/photos/counter3.jpg"},
        "category": "service-quality", "kind": 3,
        "subject": "พฤติกรรมเจ้าหน้าที่ช่องบริการ",
        "description": "เจ้าหน้าที่ช่องบริการที่ 3 พูดจาไม่สุภาพ\nให้รอนานกว่าสองชั่วโมงโดยไม่แจ้งเหตุผล",
        "location": {"address": "ศาลากลางจังหวัดเชียงใหม่ ถนนโชตนา", "latitude": 18.7883, "longitude": 98.9853},
        "complainant": {"name": "สมศรี มีสุข", "email": "somsri.m@example.co.th", "phone": "+66812345678"},
        "confidential": True, "disputes": None, "attachments": [],
    }


def test_a_minimal_form_takes_kind_from_the_category_later_and_the_first_line_as_subject():
    data = open311.request_to_case(form(), CATALOGUE, CLIENT)
    assert data["kind"] is None  # receive_case takes the category's kind
    assert data["category"] == "public-works"
    assert data["subject"] == "ไฟฟ้าส่องสว่างในซอยลาดพร้าว 101 แยก 44 ดับทั้งซอยมาสองสัปดาห์"
    assert data["description"] == DESCRIPTION
    assert data["location"] == {"address": None, "latitude": 13.8046, "longitude": 100.6081}
    assert data["complainant"] is None
    assert data["confidential"] is False
    assert data["channel_ref"] == {"open311_client": CLIENT}


def test_without_a_description_the_subject_name_stands_in():
    data = open311.request_to_case(form(description=None), CATALOGUE, CLIENT)
    assert data["subject"] == data["description"] == "ถนน ไฟฟ้า ประปา และสาธารณูปโภค"


def test_a_long_first_line_is_cut_to_200_characters():
    line = "ท่อระบายน้ำอุดตัน" * 20
    data = open311.request_to_case(form(description=line + "\nหน้าตลาดสด"), CATALOGUE, CLIENT)
    assert data["subject"] == line[:200]


@pytest.mark.parametrize("first, last, name", [
    ("สมชาย", "", "สมชาย"), ("", "ใจดี", "ใจดี"), ("  สมชาย ", " ใจดี ", "สมชาย ใจดี")])
def test_the_complainant_name_joins_first_and_last_name(first, last, name):
    data = open311.request_to_case(form(first_name=first, last_name=last), CATALOGUE, CLIENT)
    assert data["complainant"] == {"name": name}


@pytest.mark.parametrize("phone, e164", [("+66 2 123 4567", "+6621234567"), ("0066812345678", "+66812345678"),
                                         ("053-123-456", "+6653123456")])
def test_the_phone_is_normalised(phone, e164):
    assert open311.request_to_case(form(phone=phone), CATALOGUE, CLIENT)["complainant"] == {"phone": e164}


@pytest.mark.parametrize("given, confidential", [("yes", True), ("true", True), ("no", False), ("false", False),
                                                 ("", False)])
def test_the_confidential_attribute(given, confidential):
    data = open311.request_to_case(form(**{"attribute[confidential]": given}), CATALOGUE, CLIENT)
    assert data["confidential"] is confidential


@pytest.mark.parametrize("kind", ["1", "2", "3", "4"])
def test_the_kind_attribute(kind):
    assert open311.request_to_case(form(**{"attribute[kind]": kind}), CATALOGUE, CLIENT)["kind"] == int(kind)


def test_the_first_value_of_a_repeated_field_counts():
    multi = form()
    multi.add("attribute[kind]", "2")
    multi.add("attribute[kind]", "9")
    assert open311.request_to_case(multi, CATALOGUE, CLIENT)["kind"] == 2


def test_channel_ref_values_are_cut_to_200_characters():
    data = open311.request_to_case(form(device_id="d" * 300), CATALOGUE, "c" * 250)
    assert data["channel_ref"] == {"open311_client": "c" * 200, "device_id": "d" * 200}


# --- query ---------------------------------------------------------------------------------------


def test_no_ids_and_no_dates_means_the_last_90_days():
    assert DEFAULT_WINDOW == timedelta(days=90)
    assert open311.query(MultiDict(), NOW) == {"ids": [], "codes": [], "statuses": [], "start": NOW - timedelta(days=90),
                                               "end": None, "limit": 1000}


def test_ids_need_no_date_window():
    filters = open311.query(MultiDict({"service_request_id": "hub-2570-000001, HUB-2570-000002,,"}), NOW)
    assert filters["ids"] == ["HUB-2570-000001", "HUB-2570-000002"]
    assert filters["start"] is None and filters["end"] is None


def test_comma_lists_of_codes_and_statuses():
    filters = open311.query(MultiDict({"service_code": "public-works, information", "status": "Open,closed"}), NOW)
    assert filters["codes"] == ["public-works", "information"]
    assert filters["statuses"] == ["open", "closed"]


@pytest.mark.parametrize("status", ["pending", "open,resolved", "เปิด"])
def test_an_unknown_status_is_400(status):
    error = error_of(open311.query, MultiDict({"status": status}), NOW)
    assert error.code == 400 and "status" in error.description


def test_dates_are_w3c_with_bangkok_as_the_default_zone():
    filters = open311.query(MultiDict({"start_date": "2026-10-01T00:00:00Z", "end_date": "2026-11-01T00:00:00"}), NOW)
    assert filters["start"] == datetime(2026, 10, 1, tzinfo=timezone.utc)
    assert filters["end"] == datetime(2026, 11, 1, tzinfo=BANGKOK)
    assert filters["end"].utcoffset() == timedelta(hours=7)


def test_an_end_date_alone_has_no_start():
    filters = open311.query(MultiDict({"end_date": "2026-11-01T00:00:00+07:00"}), NOW)
    assert filters["start"] is None and filters["end"] == datetime(2026, 11, 1, tzinfo=BANGKOK)


def test_a_start_after_the_end_is_400():
    error = error_of(open311.query, MultiDict({"start_date": "2026-11-02T00:00:00+07:00",
                                               "end_date": "2026-11-01T00:00:00+07:00"}), NOW)
    assert error.code == 400 and "after" in error.description


@pytest.mark.parametrize("key, value", [("start_date", "21/11/2569"), ("end_date", "yesterday"),
                                        ("start_date", "2026-13-01T00:00:00Z")])
def test_bad_dates_are_400(key, value):
    error = error_of(open311.query, MultiDict({key: value}), NOW)
    assert error.code == 400 and key in error.description


# --- render: JSON and XML ------------------------------------------------------------------------


def xml_of(payload, shape):
    body, content_type = open311.render(payload, shape, "xml")
    assert content_type == "text/xml; charset=utf-8"
    assert body.startswith("<?xml")
    return ET.fromstring(body)


def json_of(payload, shape):
    body, content_type = open311.render(payload, shape, "json")
    assert content_type == "application/json; charset=utf-8"
    assert "\\u0e" not in body  # Thai written as itself
    return json.loads(body)


def test_services_render():
    payload = open311.service_list(CATALOGUE)
    assert json_of(payload, "services") == payload
    root = xml_of(payload, "services")
    assert root.tag == "services"
    assert [node.tag for node in root] == ["service"] * len(payload)
    first = root[0]
    assert [child.tag for child in first] == ["service_code", "service_name", "description", "metadata", "type",
                                              "keywords", "group"]
    assert first.findtext("service_code") == "misconduct"
    assert first.findtext("service_name") == "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่"
    assert first.findtext("metadata") == "true"
    assert first.findtext("group") == "ข้อร้องเรียน"


def test_service_definition_renders():
    payload = open311.service_definition(CATALOGUE, "public-works")
    assert json_of(payload, "service_definition") == payload
    root = xml_of(payload, "service_definition")
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "public-works"
    attributes = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attributes] == ["subject", "kind", "confidential"]
    assert attributes[0].findtext("variable") == "true" and attributes[0].findtext("required") == "false"
    assert attributes[0].findtext("description") == "หัวเรื่อง"
    assert attributes[0].find("values") is None
    values = attributes[1].findall("values/value")
    assert [(v.findtext("key"), v.findtext("name")) for v in values] == [
        ("1", "ข้อคิดเห็น ข้อเสนอแนะ ชมเชย สอบถาม"), ("2", "ข้อร้องเรียนเรื่องเล็กน้อย"),
        ("3", "ข้อร้องเรียนเรื่องใหญ่"), ("4", "การฟ้องร้องหรือเป็นข่าว")]
    assert [v.findtext("name") for v in attributes[2].findall("values/value")] == ["ปกปิดชื่อผู้ร้อง", "ไม่ต้องปกปิด"]


def test_discovery_renders():
    payload = open311.discovery("https://rongtuk.example.go.th", "Rongtuk HUB")
    assert json_of(payload, "discovery") == payload
    root = xml_of(payload, "discovery")
    assert root.tag == "discovery"
    assert root.findtext("contact") == "Rongtuk HUB"
    assert root.findtext("changeset") == "2026-11-21T00:00:00+07:00"
    [endpoint] = root.findall("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "https://rongtuk.example.go.th/open311/v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_service_requests_render():
    created = open311.created("HUB-2570-000123", "Q8EWAZFB", "0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11")
    assert json_of(created, "service_requests") == created
    root = xml_of(created, "service_requests")
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == "HUB-2570-000123"
    assert request.findtext("service_notice") == (
        "รับเรื่องแล้ว เลขที่ HUB-2570-000123 รหัสติดตาม Q8EWAZFB (เก็บไว้ใช้ติดตามความคืบหน้า)")
    assert request.find("account_id") is not None and request.find("account_id").text is None
    assert request.findtext("token") == "0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11"


def test_listed_requests_render_with_thai_text_and_numbers():
    listed = [{"service_request_id": "HUB-2570-000123", "status": "open", "status_notes": "routed",
               "service_name": "ถนน ไฟฟ้า ประปา และสาธารณูปโภค", "service_code": "public-works",
               "description": "ไฟฟ้าดับ <ทั้งซอย> & \"มืดมาก\"", "agency_responsible": "กองช่าง เทศบาลนครเชียงใหม่",
               "requested_datetime": "2026-11-21T09:00:00+07:00", "expected_datetime": None,
               "lat": 18.7883, "long": 98.9853}]
    root = xml_of(listed, "service_requests")
    [request] = root.findall("request")
    assert request.findtext("description") == "ไฟฟ้าดับ <ทั้งซอย> & \"มืดมาก\""
    assert request.findtext("agency_responsible") == "กองช่าง เทศบาลนครเชียงใหม่"
    assert request.findtext("lat") == "18.7883"
    assert request.findtext("expected_datetime") is None or request.findtext("expected_datetime") == ""
    assert json_of(listed, "service_requests") == listed


def test_an_empty_list_renders():
    assert xml_of([], "service_requests").tag == "service_requests"
    assert len(xml_of([], "service_requests")) == 0
    assert json_of([], "service_requests") == []


def test_errors_render_with_code_and_description():
    errors = [Open311Error(400, "service_code ถนนพัง not found"), Open311Error(403, "api_key is missing or not valid")]
    body, content_type = open311.error_body(errors, "xml")
    assert content_type == "text/xml; charset=utf-8"
    root = ET.fromstring(body)
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")] == [
        ("400", "service_code ถนนพัง not found"), ("403", "api_key is missing or not valid")]
    body, content_type = open311.error_body(errors, "json")
    assert json.loads(body) == [{"code": 400, "description": "service_code ถนนพัง not found"},
                                {"code": 403, "description": "api_key is missing or not valid"}]


def test_a_request_taken_from_a_form_can_be_listed_as_xml():
    """Whatever request_to_case accepts must be listable by GET requests.xml."""
    description = "ไฟฟ้าส่องสว่างดับ\x0bทั้งซอย ขอให้ซ่อมด่วน"
    try:
        data = open311.request_to_case(form(description=description), CATALOGUE, CLIENT)
    except Open311Error:
        return
    root = xml_of([{"service_request_id": "HUB-2570-000124", "description": data["description"]}],
                  "service_requests")
    assert root.find("request/description").text.startswith("ไฟฟ้าส่องสว่างดับ")


# --- views ---------------------------------------------------------------------------------------


class Row:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def case_row(**fields):
    base = dict(tracking_number="HUB-2570-000123", status="closed", category="public-works",
                description="ไฟฟ้าดับทั้งซอย", unit_name="กองช่าง",
                received_at=datetime(2026, 11, 21, 2, 0, tzinfo=timezone.utc),
                updated_at=datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc), due_at=None,
                address="ซอยลาดพร้าว 101", latitude=13.8046, longitude=100.6081, confidential=False,
                channel_ref=json.dumps({"media_url": "https://cdn.example.org/a.jpg"}))
    return Row(**{**base, **fields})


PRIVATE_FIELDS = ("description", "address", "lat", "long", "media_url")


def test_request_view_of_a_case_row():
    view = open311.request_view(case_row(), CATALOGUE)
    assert view["status"] == "closed" and view["status_notes"] == "closed"
    assert view["service_name"] == "ถนน ไฟฟ้า ประปา และสาธารณูปโภค"
    assert view["requested_datetime"] == "2026-11-21T09:00:00+07:00"
    assert view["expected_datetime"] is None
    assert (view["description"], view["address"], view["lat"], view["long"], view["media_url"]) == (
        "ไฟฟ้าดับทั้งซอย", "ซอยลาดพร้าว 101", 13.8046, 100.6081, "https://cdn.example.org/a.jpg")


@pytest.mark.parametrize("category", ["service-quality", "personnel", "budget-projects", "information",
                                      "suggestion", "media-lawsuit", "misconduct", None, "no-longer-offered"])
def test_a_request_on_a_subject_not_marked_public_shows_no_words_place_or_photo(category):
    row = case_row(category=category, description="เจ้าหน้าที่ช่องบริการที่ 3 นายสมปอง พูดจาไม่สุภาพ",
                   address="99/9 หมู่ 4 ตำบลสุเทพ")
    view = open311.request_view(row, CATALOGUE)
    assert {key: view[key] for key in PRIVATE_FIELDS} == dict.fromkeys(PRIVATE_FIELDS)
    # what is still listed: that the request exists, where it stands, on what, who handles it and when
    assert (view["service_request_id"], view["status"], view["status_notes"], view["service_code"],
            view["agency_responsible"], view["requested_datetime"], view["updated_datetime"]) == (
        "HUB-2570-000123", "closed", "closed", category, "กองช่าง", "2026-11-21T09:00:00+07:00",
        "2026-11-22T10:00:00+07:00")
    assert "นายสมปอง" not in json.dumps(view, ensure_ascii=False)


def test_a_confidential_case_on_a_public_subject_is_not_public():
    view = open311.request_view(case_row(confidential=True), CATALOGUE)
    assert {key: view[key] for key in PRIVATE_FIELDS} == dict.fromkeys(PRIVATE_FIELDS)


def test_the_site_switch_hides_every_description_but_keeps_public_locations():
    view = open311.request_view(case_row(), CATALOGUE, public_descriptions=False)
    assert view["description"] is None
    assert (view["address"], view["lat"], view["long"]) == ("ซอยลาดพร้าว 101", 13.8046, 100.6081)
    private = open311.request_view(case_row(category="service-quality"), CATALOGUE, public_descriptions=False)
    assert {key: private[key] for key in PRIVATE_FIELDS} == dict.fromkeys(PRIVATE_FIELDS)


def test_a_subject_another_catalogue_marks_public_is_public():
    catalogue = Catalogue.from_mapping({"subjects": [
        {"code": "stray-dogs", "name_th": "สุนัขจรจัด", "kind": 2, "public": True},
        {"code": "staff", "name_th": "พฤติกรรมเจ้าหน้าที่", "kind": 2}]})
    assert open311.request_view(case_row(category="stray-dogs"), catalogue)["description"] == "ไฟฟ้าดับทั้งซอย"
    assert open311.request_view(case_row(category="staff"), catalogue)["description"] is None
    assert open311.request_view(case_row(category="public-works"), catalogue)["description"] is None


@pytest.mark.parametrize("status, shown", [("received", "open"), ("routed", "open"), ("reopened", "open"),
                                           ("closed", "closed"), ("answered_from_kb", "closed")])
def test_open_or_closed(status, shown):
    assert open311.open_or_closed(status) == shown
