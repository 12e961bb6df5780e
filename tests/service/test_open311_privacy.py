"""Open311's public view through intake's real HTTP entrypoints: private by default (PDPA).

GET requests needs no key, so it shows a request's words, place and photo only when its subject is marked
public in the catalogue; every other request is listed with status, subject code, dates and unit only.
"""
import xml.etree.ElementTree as ET

import pytest
import requests

from services.intake import apikeys
from services.intake.service import IntakeService
from shared.store import open_store
from tests.helpers import api_for, merge

STAFF = {"channel": "web", "category": "service-quality", "subject": "เจ้าหน้าที่ช่องบริการพูดจาไม่สุภาพ",
         "description": "นายสมปอง เจ้าหน้าที่ช่องบริการที่ 3 ตะคอกใส่และให้รอสองชั่วโมง",
         "location": {"address": "สำนักงานเขตบางกะปิ ชั้น 2", "latitude": 13.7659, "longitude": 100.6473},
         "complainant": {"name": "สมหญิง ใจดี", "email": "somying@example.org",
                         "address": "12/3 ซอยลาดพร้าว 101 แขวงคลองจั่น"}}
ROAD = {"channel": "web", "category": "public-works", "subject": "ไฟถนนดับทั้งซอย",
        "description": "ไฟถนนในซอยลาดพร้าว 101 แยก 44 ดับทั้งซอยมาสองสัปดาห์",
        "location": {"address": "ซอยลาดพร้าว 101 แยก 44", "latitude": 13.8046, "longitude": 100.6081},
        "complainant": {"name": "สมชาย มั่นคง", "email": "somchai@example.org",
                        "address": "45/12 ซอยประชาอุทิศ 33"}}
PRIVATE_FIELDS = ("description", "address", "lat", "long", "media_url")
PERSONAL = ["สมหญิง", "ใจดี", "somying", "12/3 ซอยลาดพร้าว", "สมชาย", "มั่นคง", "somchai", "45/12",
            "ประชาอุทิศ", "สมปอง", "สำนักงานเขตบางกะปิ", "13.7659", "100.6473", "counter3.jpg"]


def start(container_factory, config):
    container_factory(IntakeService, config).start()
    api = api_for(config)
    api.open311 = f"{api.base}/open311/v2"
    with open_store(config, "intake", "test") as store:
        api.client_key = store.run(apikeys.create, "Traffy Fondue (test)", "client")["key"]
    return api


@pytest.fixture
def intake(container_factory, embedded_config):
    return start(container_factory, embedded_config)


def post(api, body):
    response = api.post_case(body)
    assert response.status_code == 201, response.text
    return response.json()["tracking_number"]


def post_open311(api, **form):
    response = requests.post(f"{api.open311}/requests.json", data={"api_key": api.client_key, **form}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


def listed(api, path, **params):
    """{service_request_id: view} from a JSON and an XML answer, which must agree."""
    as_json = requests.get(f"{api.open311}/{path}.json", params=params, timeout=10)
    as_xml = requests.get(f"{api.open311}/{path}.xml", params=params, timeout=10)
    assert as_json.status_code == as_xml.status_code == 200
    from_json = {r["service_request_id"]: r for r in as_json.json()}
    from_xml = {node.findtext("service_request_id"): {child.tag: child.text for child in node}
                for node in ET.fromstring(as_xml.content).findall("request")}
    assert set(from_json) == set(from_xml)
    for request_id, view in from_json.items():
        assert {k: None if v is None else str(v) for k, v in view.items()} == from_xml[request_id]
    return from_json, as_json.text + as_xml.text


def test_only_a_public_subject_shows_its_words_place_and_photo_to_anyone(intake):
    staff, road = post(intake, STAFF), post(intake, ROAD)
    photographed = post_open311(intake, service_code="service-quality", lat="13.7659", long="100.6473",
                                description="เจ้าหน้าที่ช่อง 3 ไม่อยู่ที่โต๊ะทั้งวัน",
                                media_url="https://cdn.example.org/counter3.jpg", first_name="สมหญิง")
    pothole = post_open311(intake, service_code="public-works", lat="13.8046", long="100.6081",
                           description="หลุมบ่อหน้าตลาด", media_url="https://cdn.example.org/pothole.jpg")

    views, raw = listed(intake, "requests")
    assert {staff, road, photographed, pothole} <= set(views)
    for path in (f"requests/{staff}", f"requests/{road}", f"requests/{photographed}", f"requests/{pothole}"):
        [(request_id, view)] = listed(intake, path)[0].items()
        assert view == views[request_id]
        raw += listed(intake, path)[1]

    assert (views[road]["description"], views[road]["address"], views[road]["lat"], views[road]["long"]) == (
        ROAD["description"], "ซอยลาดพร้าว 101 แยก 44", 13.8046, 100.6081)
    assert views[pothole]["media_url"] == "https://cdn.example.org/pothole.jpg"
    for private in (staff, photographed):
        assert {key: views[private][key] for key in PRIVATE_FIELDS} == dict.fromkeys(PRIVATE_FIELDS)
        assert views[private]["service_code"] == "service-quality" and views[private]["status"] == "open"
        assert views[private]["requested_datetime"] and views[private]["updated_datetime"]
    assert [text for text in PERSONAL if text in raw] == []
    assert "ตะคอก" not in raw and "ไม่อยู่ที่โต๊ะ" not in raw


def test_a_complaint_without_a_subject_is_not_public(intake):
    request_id = post(intake, {**ROAD, "category": None, "kind": 2})
    [view] = requests.get(f"{intake.open311}/requests/{request_id}.json", timeout=10).json()
    assert view["service_code"] is None
    assert {key: view[key] for key in PRIVATE_FIELDS} == dict.fromkeys(PRIVATE_FIELDS)


def test_a_key_sees_no_more_than_anyone(intake):
    """GET requests is the public view: the same for every caller; officers read cases with their key
    at /api/v1/cases/<n>."""
    staff = post(intake, STAFF)
    anonymous = requests.get(f"{intake.open311}/requests/{staff}.json", timeout=10).json()
    with_key = requests.get(f"{intake.open311}/requests/{staff}.json", params={"api_key": intake.client_key},
                            headers={"X-Api-Key": intake.client_key}, timeout=10).json()
    assert with_key == anonymous and anonymous[0]["description"] is None


def test_the_site_switch_hides_every_description(container_factory, embedded_config):
    intake = start(container_factory, merge(embedded_config, {"OPEN311": {"public_descriptions": False}}))
    staff, road = post(intake, STAFF), post(intake, ROAD)
    views, raw = listed(intake, "requests")
    assert views[road]["description"] is None and views[staff]["description"] is None
    assert views[road]["address"] == "ซอยลาดพร้าว 101 แยก 44"  # the place of a public subject stays
    assert views[staff]["address"] is None
    assert ROAD["description"] not in raw and STAFF["description"] not in raw
