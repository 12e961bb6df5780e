"""The intake service through its real HTTP entrypoints, on the memory transport and SQLite (alone, or with
reporting and sla beside it where the case page needs their parts)."""
import pytest
import requests

from services.intake.service import IntakeService
from tests.helpers import api_for, count_rows, thai_case, wait_for


@pytest.fixture
def intake(container_factory, embedded_config):
    container = container_factory(IntakeService, embedded_config)
    container.start()
    return api_for(embedded_config)


def test_a_complaint_is_recorded_with_a_tracking_number_and_its_event_in_the_outbox(intake, embedded_config):
    response = intake.post_case(thai_case())
    assert response.status_code == 201
    created = response.json()
    assert created["tracking_number"].startswith("HUB-25")
    assert created["tracking_number"].endswith("-000001")
    assert len(created["access_code"]) == 8
    assert response.headers["Location"] == f"/api/v1/cases/{created['tracking_number']}"
    second = intake.post_case(thai_case()).json()
    assert second["tracking_number"].endswith("-000002")
    assert count_rows(embedded_config, "intake", "cases") == 2
    assert count_rows(embedded_config, "intake", "outbox", "WHERE event_type = 'case_received'") == 2


BAD_BODIES = [
    ("missing fields", {"channel": "web"}, {"subject", "description"}),
    ("wrong types", {**thai_case(), "kind": "2", "subject": 12}, {"kind", "subject"}),
    ("unknown kind", {**thai_case(), "kind": 5}, {"kind"}),
    ("boolean kind", {**thai_case(), "kind": True}, {"kind"}),
    ("unknown channel", {**thai_case(), "channel": "pigeon"}, {"channel"}),
    ("1 MB of text", {**thai_case(), "description": "ร้องเรียน" * 120_000}, {"description"}),
    ("unknown field", {**thai_case(), "priority": "urgent"}, {"priority"}),
    ("control character", {**thai_case(), "subject": "เรื่อง\x00ร้องเรียน"}, {"subject"}),
    ("bad e-mail", {**thai_case(), "complainant": {"email": "not-an-address"}}, {"complainant"}),
]


@pytest.mark.parametrize("label,body,fields", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_gets_400_with_field_errors_and_nothing_is_stored_or_emitted(
        intake, embedded_config, label, body, fields):
    response = intake.post_case(body)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    payload = response.json()
    assert payload["error"] == "invalid_request"
    assert fields <= set(payload["errors"])
    assert count_rows(embedded_config, "intake", "cases") == 0
    assert count_rows(embedded_config, "intake", "outbox") == 0


RAW_BODIES = [
    ("invalid JSON", b'{"channel": "web", "kind": 2,'),
    ("invalid UTF-8", b'{"channel": "web", "kind": 2, "subject": "\xff\xfe", "description": "x"}'),
    ("not an object", b'[1, 2, 3]'),
    ("empty body", b""),
]


@pytest.mark.parametrize("label,raw", RAW_BODIES, ids=[b[0] for b in RAW_BODIES])
def test_unreadable_bodies_get_400_and_nothing_is_stored(intake, embedded_config, label, raw):
    response = intake.post_case(raw=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "_body" in response.json()["errors"]
    assert count_rows(embedded_config, "intake", "cases") == 0
    assert count_rows(embedded_config, "intake", "outbox") == 0


def test_a_body_over_the_limit_is_refused_before_it_is_read(intake, embedded_config):
    response = intake.post_case(raw=b"{" + b" " * (9 * 1024 * 1024) + b"}",
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert count_rows(embedded_config, "intake", "cases") == 0


def test_a_wrong_access_code_and_an_unknown_number_look_the_same(intake):
    created = intake.post_case(thai_case()).json()
    wrong = intake.get_case(created["tracking_number"], "AAAAAAAA")
    unknown = intake.get_case("HUB-2569-999999", created["access_code"])
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_an_unknown_path_gets_a_json_404(intake):
    response = requests.get(f"{intake.base}/api/v1/nothing-here", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_guessing_one_number_is_refused_for_that_address_before_the_code_is_checked(intake, embedded_config):
    created = intake.post_case(thai_case()).json()
    for _ in range(5):
        assert intake.get_case(created["tracking_number"], "AAAAAAAA").status_code == 404
    blocked = intake.get_case(created["tracking_number"], created["access_code"])
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 900
    assert blocked.json()["error"] == "too_many_requests"
    assert intake.get_case("HUB-2569-000999", "AAAAAAAA").status_code == 404  # other numbers: still checked
    # counted in the database, the address only as a keyed fingerprint
    assert count_rows(embedded_config, "intake", "request_counts", "WHERE key LIKE '%127.0.0.1%'") == 0
    assert count_rows(embedded_config, "intake", "request_counts") >= 4


def test_an_address_scanning_many_numbers_is_refused_for_every_number(intake):
    created = intake.post_case(thai_case()).json()
    for guess in range(30):
        assert intake.get_case(f"HUB-2569-{guess:06d}", "AAAAAAAA").status_code == 404
    blocked = intake.get_case(created["tracking_number"], created["access_code"])
    assert blocked.status_code == 429 and 0 < int(blocked.headers["Retry-After"]) <= 900


def test_an_officer_key_records_who_took_the_complaint(intake, embedded_config, tmp_path):
    from tests.helpers import run_cli, write_config
    config = write_config(embedded_config, tmp_path / "config.yml")
    made = run_cli("--config", str(config), "apikey", "create", "--name", "เจ้าหน้าที่ศูนย์ 1111 โต๊ะ 3",
                   "--role", "officer")
    key = made.stdout.split("key:")[1].strip()
    letter = thai_case(channel="letter", channel_ref={"letter_number": "นร 0105/2569", "letter_date": "2026-11-20"})
    response = requests.post(f"{intake.base}/api/v1/cases", json=letter, headers={"X-Api-Key": key}, timeout=10)
    assert response.status_code == 201
    assert count_rows(embedded_config, "intake", "cases",
                      "WHERE recorded_by = 'เจ้าหน้าที่ศูนย์ 1111 โต๊ะ 3' AND channel_ref LIKE '%0105/2569%'") == 1
    refused = requests.post(f"{intake.base}/api/v1/cases", json=letter, headers={"X-Api-Key": "rtk_forged"},
                            timeout=10)
    assert refused.status_code == 403
    assert count_rows(embedded_config, "intake", "cases") == 1


# --- an officer reads a case with their key ------------------------------------------------------

CONFIDENTIAL_COMPLAINANT = {"name": "นางสาวมาลี ศรีสุขสวัสดิ์", "national_id": "3100501234563",
                            "phone": "089-765-4321", "email": "malee.srisuk@example.org",
                            "address": "99/9 หมู่ 4 ตำบลบ้านใหม่ อำเภอเมือง จังหวัดอุดรธานี",
                            "line_user_id": "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"}
IDENTITY_TRACES = ["มาลี", "ศรีสุขสวัสดิ์", "3100501234563", "0897654321", "897654321", "89-765-4321",
                   "malee.srisuk", "example.org", "บ้านใหม่", "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"]


@pytest.fixture
def site(container_factory, embedded_config):
    """intake with reporting and sla beside it, so the case page has its timeline and clocks."""
    from services.reporting.service import ReportingService
    from services.sla.service import SlaService
    for service in (IntakeService, ReportingService, SlaService):
        container_factory(service, embedded_config).start()
    return api_for(embedded_config)


@pytest.fixture
def keys(embedded_config):
    """An officer's, a client app's and a revoked officer's key, made as `rongtuk apikey` makes them."""
    from services.intake import apikeys
    from shared.store import open_store
    with open_store(embedded_config, "intake", "test") as store:
        made = {role: store.run(apikeys.create, f"test {role}", role)["key"] for role in ("officer", "client")}
        revoked = store.run(apikeys.create, "ลาออกแล้ว", "officer")
        store.run(apikeys.revoke, revoked["id"])
    made["revoked"] = revoked["key"]
    return made


def officer_get(api, tracking_number, key, **params):
    return requests.get(f"{api.base}/api/v1/cases/{tracking_number}", params=params,
                        headers={"X-Api-Key": key}, timeout=10)


def confidential_case(api):
    response = api.post_case({
        "channel": "hotline", "category": "misconduct", "subject": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งออกใบอนุญาต",
        "description": "เจ้าหน้าที่ฝ่ายโยธาเรียกเงิน 3,000 บาทเพื่อเร่งออกใบอนุญาตก่อสร้าง ขอให้ตรวจสอบ",
        "complainant": CONFIDENTIAL_COMPLAINANT})
    assert response.status_code == 201, response.text
    return response.json()


def test_an_officer_key_reads_a_confidential_case_as_its_complainant_sees_it_without_who_complained(site, keys):
    created = confidential_case(site)

    def indexed():
        response = officer_get(site, created["tracking_number"], keys["officer"])
        assert response.status_code == 200, response.text
        case = response.json()
        return case if {e["service"] for e in case["timeline"] or []} >= {"intake", "reporting"} else None

    case = wait_for(indexed, message="the case on reporting's timeline")
    assert case["tracking_number"] == created["tracking_number"] and case["category"] == "misconduct"
    assert case["clocks"] == []  # sla answered: no clock yet, the case is not routed in this test
    complainants_view = site.get_case(created["tracking_number"], created["access_code"]).json()
    assert case == complainants_view
    body = officer_get(site, created["tracking_number"], keys["officer"]).text
    assert [trace for trace in IDENTITY_TRACES if trace in body] == []
    assert "complainant" not in case and "national_id" not in body


def test_an_officer_needs_no_access_code_and_a_wrong_one_does_not_matter(site, keys):
    created = confidential_case(site)
    assert officer_get(site, created["tracking_number"].lower(), keys["officer"]).status_code == 200
    assert officer_get(site, created["tracking_number"], keys["officer"], access_code="AAAAAAAA").status_code == 200


@pytest.mark.parametrize("which", ["client", "revoked", "forged", "not-ours"])
def test_a_key_that_is_not_an_officers_valid_key_gets_403_even_with_the_access_code(site, keys, which):
    created = confidential_case(site)
    key = {"client": keys["client"], "revoked": keys["revoked"], "forged": "rtk_forged-key-00000000000000000",
           "not-ours": "Bearer 1234"}[which]
    response = officer_get(site, created["tracking_number"], key, access_code=created["access_code"])
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "เรียกรับเงิน" not in response.text


def test_without_a_key_or_a_code_a_case_is_not_found(site):
    created = confidential_case(site)
    response = requests.get(f"{site.base}/api/v1/cases/{created['tracking_number']}", timeout=10)
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    empty_key = requests.get(f"{site.base}/api/v1/cases/{created['tracking_number']}",
                             headers={"X-Api-Key": ""}, timeout=10)
    assert empty_key.status_code == 404  # an empty header is no key: the complainant's path


def test_an_officers_unknown_numbers_are_404_and_never_throttled(site, keys):
    created = confidential_case(site)
    for guess in range(15):
        response = officer_get(site, f"HUB-2569-{guess:06d}", keys["officer"])
        assert response.status_code == 404
        assert response.json() == {"error": "not_found", "message": "No case with that tracking number."}
    # the complainant at the same address is not blocked by the officer's misses
    assert site.get_case(created["tracking_number"], created["access_code"]).status_code == 200


def test_an_address_throttled_for_wrong_codes_still_serves_the_officers_key(site, keys):
    created = confidential_case(site)
    for guess in range(30):
        assert site.get_case(f"HUB-2569-{guess:06d}", "AAAAAAAA").status_code == 404
    assert site.get_case(created["tracking_number"], created["access_code"]).status_code == 429
    assert officer_get(site, created["tracking_number"], keys["officer"]).status_code == 200
