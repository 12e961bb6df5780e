"""Open311 GeoReport v2 conformance: every method, JSON and XML, filters and errors, on a running site."""
import json
import xml.etree.ElementTree as ET

import pytest
import requests

from services.intake.catalogue import Catalogue
from shared.config import DEPLOY_DIR
from tests.helpers import EmbeddedSites, run_cli, wait_for

CATALOGUE = Catalogue.load(DEPLOY_DIR / "subjects.yml")
LONG_THAI = ("ถนนหน้าโรงเรียนบ้านหนองบัวเป็นหลุมเป็นบ่อลึกมาก เด็กนักเรียนขี่จักรยานล้มบาดเจ็บหลายคนแล้ว "
             "ขอให้เร่งซ่อมแซมโดยด่วน ") * 60
LONG_THAI = LONG_THAI[:4000]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One running site for the whole module, and an Open311 client key."""
    sites = EmbeddedSites(tmp_path_factory.mktemp("open311"))
    api = sites.start()
    created = run_cli("apikey", "create", "--name", "Traffy Fondue (test)", "--role", "client", env=api.env)
    assert created.returncode == 0, created.stderr
    api.key = created.stdout.split("key:")[1].strip()
    api.open311 = f"{api.base}/open311/v2"
    yield api
    sites.stop_all()


def get(site, path, **params):
    return requests.get(f"{site.open311}/{path}", params=params, timeout=10)


def post(site, fmt="json", **form):
    form.setdefault("api_key", site.key)
    return requests.post(f"{site.open311}/requests.{fmt}", data=form, timeout=10)


def xml(response):
    assert response.headers["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def new_request(site, **form):
    form = {"service_code": "public-works", "lat": "13.7563", "long": "100.5018",
            "description": "ไฟถนนดับทั้งซอย มืดมากตอนกลางคืน", "first_name": "สมศรี", "last_name": "มีสุข",
            "email": "somsri@example.org", **form}
    response = post(site, **form)
    assert response.status_code == 201, response.text
    return response.json()[0]


def test_discovery(site):
    body = get(site, "discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    # no HTTP.public_url set: relative, never the Host header a client sent (test_http_hardening.py)
    assert endpoint["url"] == "/open311/v2" and set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(get(site, "discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_service_list_in_json_and_xml_offers_every_subject_in_thai(site):
    services = get(site, "services.json").json()
    assert {s["service_code"] for s in services} == {s.code for s in CATALOGUE}
    misconduct = next(s for s in services if s["service_code"] == "misconduct")
    assert misconduct["service_name"] == "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่"
    assert misconduct["metadata"] is True and misconduct["type"] == "realtime"
    root = xml(get(site, "services.xml"))
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == {s.code for s in CATALOGUE}
    assert all(s.findtext("metadata") == "true" for s in root.findall("service"))
    # which services are public is said in the spec's free-text description, not in a field of our own
    public = {s["service_code"] for s in services if s["description"].endswith("Public: requests are listed "
                                                                              "with their description, location "
                                                                              "and photo.")}
    assert public == {"public-works"}
    assert all(set(s) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
               for s in services)


def test_service_definition_in_json_and_xml(site):
    definition = get(site, "services/public-works.json").json()
    assert definition["service_code"] == "public-works"
    kind = next(a for a in definition["attributes"] if a["code"] == "kind")
    assert kind["datatype"] == "singlevaluelist" and [v["key"] for v in kind["values"]] == ["1", "2", "3", "4"]
    root = xml(get(site, "services/public-works.xml"))
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == ["subject", "kind", "confidential"]
    assert len(root.findall("attributes/attribute/values/value")) == 6


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_specs_error_format(site, fmt):
    response = get(site, f"services/no-such-thing.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [{"code": 404, "description": "service_code no-such-thing not found"}]
    else:
        error = xml(response).find("error")
        assert error.findtext("code") == "404" and "no-such-thing" in error.findtext("description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_and_get_it_back_in_both_formats(site, fmt):
    form = {"service_code": "public-works", "lat": "13.7563", "long": "100.5018",
            "description": "ท่อประปาแตก น้ำไหลนองถนน", "address_string": "ซอยสุขุมวิท 101 เขตพระโขนง",
            "first_name": "สมชาย", "phone": "081-234-5678", "device_id": "android-42"}
    response = post(site, fmt, **form)
    assert response.status_code == 201
    if fmt == "json":
        [created] = response.json()
        request_id, notice, token = created["service_request_id"], created["service_notice"], created["token"]
    else:
        node = xml(response).find("request")
        request_id, notice, token = node.findtext("service_request_id"), node.findtext("service_notice"), \
            node.findtext("token")
    assert request_id.startswith("HUB-") and request_id in notice
    assert get(site, f"tokens/{token}.json").json() == [{"service_request_id": request_id, "token": token}]
    token_xml = xml(get(site, f"tokens/{token}.xml")).find("request")
    assert token_xml.findtext("service_request_id") == request_id
    [shown] = get(site, f"requests/{request_id}.json").json()
    assert shown["description"] == "ท่อประปาแตก น้ำไหลนองถนน"
    assert (shown["lat"], shown["long"], shown["address"]) == (13.7563, 100.5018, "ซอยสุขุมวิท 101 เขตพระโขนง")
    assert shown["status"] == "open" and shown["service_code"] == "public-works"
    node = xml(get(site, f"requests/{request_id}.xml")).find("request")
    assert node.findtext("service_request_id") == request_id and node.findtext("status") == "open"


def test_expected_datetime_is_the_sla_deadline_and_agency_responsible_the_unit(site):
    request_id = new_request(site)["service_request_id"]

    def routed():
        [shown] = get(site, f"requests/{request_id}.json").json()
        return shown if shown["expected_datetime"] and shown["agency_responsible"] else None

    shown = wait_for(routed, message="the request to be routed and timed")
    assert shown["expected_datetime"].endswith("T16:30:00+07:00")
    assert shown["status_notes"] == "routed"
    assert shown["agency_responsible"]


def test_a_4000_character_thai_description_round_trips_exactly(site):
    assert len(LONG_THAI) == 4000
    request_id = new_request(site, description=LONG_THAI)["service_request_id"]
    assert get(site, f"requests/{request_id}.json").json()[0]["description"] == LONG_THAI
    assert xml(get(site, f"requests/{request_id}.xml")).find("request").findtext("description") == LONG_THAI
    assert post(site, **{"service_code": "public-works", "lat": "13.7", "long": "100.5",
                         "description": LONG_THAI + "ก"}).status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("form,code,words", [
    ({"lat": "13.7", "long": "100.5", "description": "x"}, 400, "service_code is required"),
    ({"service_code": "public-works", "description": "ไม่มีที่ตั้ง"}, 400, "location is required"),
    ({"service_code": "nope", "lat": "13.7", "long": "100.5"}, 400, "service_code nope not found"),
    ({"service_code": "public-works", "lat": "51.5", "long": "-0.1"}, 400, "outside Thailand"),
    ({"service_code": "public-works", "lat": "13.7", "long": "100.5", "phone": "12"}, 400, "phone"),
    ({"service_code": "public-works", "lat": "13.7", "long": "100.5", "api_key": "rtk_wrong"}, 403, "api_key"),
    ({"service_code": "public-works", "lat": "13.7", "long": "100.5", "api_key": ""}, 403, "api_key"),
    ({"service_code": "public-works", "lat": "13.7", "long": "100.5", "jurisdiction_id": "bangkok"}, 404,
     "jurisdiction_id"),
])
def test_post_errors_in_the_specs_format(site, fmt, form, code, words):
    response = post(site, fmt, **form)
    assert response.status_code == code
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == code and words in error["description"]
    else:
        error = xml(response).find("error")
        assert error.findtext("code") == str(code) and words in error.findtext("description")


def test_the_sites_own_jurisdiction_is_accepted(site):
    assert new_request(site, jurisdiction_id="hub")["service_request_id"]
    assert get(site, "services.json", jurisdiction_id="HUB").status_code == 200


def test_get_requests_filters(site):
    lights = new_request(site, service_code="public-works")["service_request_id"]
    info = new_request(site, service_code="information", description="ขอทราบขั้นตอนขออนุญาตก่อสร้าง")[
        "service_request_id"]
    by_id = get(site, "requests.json", service_request_id=f"{lights},{info}").json()
    assert {r["service_request_id"] for r in by_id} == {lights, info}
    by_code = get(site, "requests.json", service_code="information").json()
    assert info in {r["service_request_id"] for r in by_code}
    assert all(r["service_code"] == "information" for r in by_code)
    assert {r["status"] for r in get(site, "requests.json", status="open").json()} == {"open"}
    assert get(site, "requests.json", status="closed").json() == []
    assert get(site, "requests.json", start_date="2030-01-01T00:00:00+07:00").json() == []
    assert lights in {r["service_request_id"] for r in get(
        site, "requests.json", start_date="2020-01-01T00:00:00Z", end_date="2099-01-01T00:00:00Z").json()}
    root = xml(get(site, "requests.xml", service_code="information"))
    assert root.tag == "service_requests" and info in {r.findtext("service_request_id")
                                                       for r in root.findall("request")}
    assert get(site, "requests.json", status="pending").status_code == 400
    assert get(site, "requests.json", start_date="yesterday").status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_and_token_are_404(site, fmt):
    assert get(site, f"requests/HUB-2569-999999.{fmt}").status_code == 404
    assert get(site, f"tokens/00000000-0000-4000-8000-000000000000.{fmt}").status_code == 404


def test_confidential_requests_are_never_listed_or_shown(site):
    secret = new_request(site, service_code="misconduct", description="เจ้าหน้าที่เรียกรับเงินใต้โต๊ะ")
    request_id = secret["service_request_id"]
    assert get(site, f"requests/{request_id}.json").status_code == 404
    assert request_id not in {r["service_request_id"] for r in get(site, "requests.json").json()}
    assert get(site, f"tokens/{secret['token']}.json").status_code == 404


def test_a_revoked_key_is_refused(site):
    created = run_cli("apikey", "create", "--name", "to be revoked", env=site.env)
    key_id = created.stdout.split("id:")[1].split()[0]
    key = created.stdout.split("key:")[1].strip()
    assert new_request(site, api_key=key)
    assert run_cli("apikey", "revoke", key_id, env=site.env).returncode == 0
    assert post(site, api_key=key, service_code="public-works", lat="13.7", long="100.5").status_code == 403
    assert "revoked" in run_cli("apikey", "list", env=site.env).stdout


def test_json_bodies_are_utf8_thai(site):
    raw = get(site, "services.json").content
    assert "ถนน".encode() in raw and json.loads(raw)


STAFF_COMPLAINT = {"channel": "web", "category": "service-quality", "subject": "เจ้าหน้าที่พูดจาไม่สุภาพ",
                   "description": "นายสมปอง เจ้าหน้าที่ช่องบริการที่ 3 ตะคอกใส่ผู้สูงอายุ",
                   "location": {"address": "ศาลากลางจังหวัด ชั้น 1", "latitude": 18.7883, "longitude": 98.9853},
                   "complainant": {"name": "สมหญิง ใจดี", "email": "somying@example.org",
                                   "address": "12/3 หมู่ 5 ตำบลสุเทพ"}}
ROAD_COMPLAINT = {"channel": "web", "category": "public-works", "subject": "ไฟถนนดับ",
                  "description": "ไฟถนนหน้าตลาดสดดับทั้งแถวมาหนึ่งสัปดาห์",
                  "location": {"address": "หน้าตลาดสดเทศบาล", "latitude": 18.79, "longitude": 98.98},
                  "complainant": {"name": "สมชาย มั่นคง", "email": "somchai@example.org",
                                  "address": "45/12 หมู่ 2 ตำบลช้างเผือก"}}
NEVER_SHOWN = ["สมหญิง", "ใจดี", "somying", "12/3 หมู่ 5", "สมชาย", "มั่นคง", "somchai", "45/12 หมู่ 2",
               "ศาลากลางจังหวัด", "18.7883", "98.9853"]


def test_only_a_public_subjects_description_is_shown_and_never_the_name_or_address(site):
    """Privacy by default: a complaint about a person is listed without its words or place; a public
    works one (a broken street light) with them; the complainant's name and address never."""
    staff, road = (site.post_case(body).json()["tracking_number"] for body in (STAFF_COMPLAINT, ROAD_COMPLAINT))
    ids = f"{staff},{road}"
    listed = {r["service_request_id"]: r for r in get(site, "requests.json", service_request_id=ids).json()}
    listed_xml = {n.findtext("service_request_id"): n
                  for n in xml(get(site, "requests.xml", service_request_id=ids)).findall("request")}
    [staff_one], [road_one] = get(site, f"requests/{staff}.json").json(), get(site, f"requests/{road}.json").json()
    staff_xml = xml(get(site, f"requests/{staff}.xml")).find("request")
    road_xml = xml(get(site, f"requests/{road}.xml")).find("request")

    for view in (listed[road], road_one):
        assert (view["description"], view["address"]) == (ROAD_COMPLAINT["description"], "หน้าตลาดสดเทศบาล")
    for node in (listed_xml[road], road_xml):
        assert node.findtext("description") == ROAD_COMPLAINT["description"]
    for view in (listed[staff], staff_one):
        assert (view["description"], view["address"], view["lat"], view["long"], view["media_url"]) == (
            None, None, None, None, None)
        assert view["service_code"] == "service-quality" and view["status"] == "open"
    for node in (listed_xml[staff], staff_xml):
        assert not node.findtext("description") and not node.findtext("address") and not node.findtext("lat")
        assert node.findtext("service_code") == "service-quality"
    everything = "".join(get(site, path).text for path in (
        f"requests.json?service_request_id={ids}", f"requests.xml?service_request_id={ids}", "requests.json",
        "requests.xml", f"requests/{staff}.json", f"requests/{staff}.xml", f"requests/{road}.json",
        f"requests/{road}.xml"))
    assert STAFF_COMPLAINT["description"] not in everything and "ตะคอก" not in everything
    assert [text for text in NEVER_SHOWN if text in everything] == []
