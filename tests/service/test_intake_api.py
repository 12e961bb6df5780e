"""The intake service alone, through its real HTTP entrypoints, on the memory transport and SQLite."""
import pytest
import requests

from services.intake.service import IntakeService
from tests.helpers import api_for, count_rows, thai_case


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
    ("missing fields", {"channel": "web"}, {"kind", "subject", "description"}),
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


def test_guessing_tracking_numbers_is_throttled(intake):
    created = intake.post_case(thai_case()).json()
    for guess in range(10):
        assert intake.get_case(f"HUB-2569-{guess:06d}", "AAAAAAAA").status_code == 404
    blocked = intake.get_case(created["tracking_number"], created["access_code"])
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


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
