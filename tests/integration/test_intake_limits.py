"""Issue 10, items 3, 4 and 8, through the real HTTP server of `rongtuk run`: anonymous cases are
limited per address (a client app's key per key, an officer's not at all) and tracking numbers never
run out; every place that checks an access code counts towards one limit; that limit is kept per
address, per tracking number and per both, in intake's database, and lets the right code through to
a complainant whose address has not been guessing at their number."""
import os
import signal
import sqlite3
from datetime import datetime, timezone

import pytest
import requests

from services.intake.tracking import fiscal_year_be
from shared.config import DISTRIBUTED_CONFIG
from tests.helpers import (Api, RunProcesses, answers, clear_of_the_window_end, free_port, run_cli, thai_case,
                           wait_for)

WRONG = "AAAAAAAA"
OPEN311_FORM = {"service_code": "public-works", "lat": "13.7563", "long": "100.5018",
                "description": "ไฟถนนดับทั้งซอย"}


# -- helpers --------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _in_one_window():
    clear_of_the_window_end(60)


def key_for(site, role):
    made = run_cli("apikey", "create", "--name", f"ทดสอบ {role}", "--role", role, env=site.env)
    assert made.returncode == 0, made.stderr
    return made.stdout.split("key:")[1].strip()


def cases_at(site):
    with sqlite3.connect(site.data_dir / "intake.db") as conn:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]


def restart(start_embedded, **env):
    """Stop the site started last (SIGTERM, as an operator would) and start it again on the same data."""
    process = start_embedded.__self__.started[-1][0]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    return start_embedded(**env)


def look_up(site, number, code, how="header", forwarded_for=None):
    """The complainant's look-up, each way a client can make it."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    url = f"{site.base}/api/v1/cases/{number}"
    if how == "header":
        return requests.get(url, headers={**headers, "X-Access-Code": code}, timeout=10)
    if how == "query":
        return requests.get(url, params={"access_code": code}, headers=headers, timeout=10)
    if how == "lookup":
        return requests.post(f"{url}/lookup", json={"access_code": code}, headers=headers, timeout=10)
    if how == "dispute":
        return requests.post(f"{site.base}/api/v1/cases", headers=headers, timeout=10, json=thai_case(
            subject="ผลการพิจารณาไม่เป็นธรรม", description="ขอคัดค้านผลการพิจารณาเรื่องเดิม",
            disputes={"tracking_number": number, "access_code": code}))
    raise ValueError(how)


def refused(response, within):
    assert response.status_code == 429, response.text
    assert 0 < int(response.headers["Retry-After"]) <= within
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "too_many_requests"
    return True


def not_found(response):
    return response.status_code == 404 or (response.status_code == 400 and "disputes" in response.json()["errors"])


# -- 3. anonymous cases, and tracking numbers -----------------------------------------------------

def test_anonymous_cases_from_one_address_stop_at_the_limit_even_across_a_restart(start_embedded):
    site = start_embedded()
    for n in range(30):  # INTAKE.cases_per_address, per INTAKE.cases_window (an hour)
        response = site.post_case(thai_case(subject=f"ถนนชำรุด จุดที่ {n}"))
        assert response.status_code == 201, (n, response.text)
    assert refused(site.post_case(thai_case()), within=3600)
    assert cases_at(site) == 30

    # an officer's key records calls and letters for everyone: never limited
    officer = key_for(site, "officer")
    taken = requests.post(f"{site.base}/api/v1/cases", json=thai_case(channel="hotline"),
                          headers={"X-Api-Key": officer}, timeout=10)
    assert taken.status_code == 201

    # counted in intake's database: a restart does not start the hour again
    site = restart(start_embedded)
    assert refused(site.post_case(thai_case()), within=3600)
    assert cases_at(site) == 31


def test_a_client_apps_key_is_limited_by_itself_in_open311s_format(start_embedded):
    site = start_embedded(INTAKE_CASES_PER_CLIENT_KEY="3", INTAKE_CASES_PER_ADDRESS="1")
    key = key_for(site, "client")
    url = f"{site.base}/open311/v2/requests.json"
    for _ in range(3):  # more than the address's own limit of 1: the key is counted, not the address
        assert requests.post(url, data={**OPEN311_FORM, "api_key": key}, timeout=10).status_code == 201
    limited = requests.post(url, data={**OPEN311_FORM, "api_key": key}, timeout=10)
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 3600
    assert limited.json()[0]["code"] == 429
    xml = requests.post(f"{site.base}/open311/v2/requests.xml", data={**OPEN311_FORM, "api_key": key}, timeout=10)
    assert xml.status_code == 429 and b"<code>429</code>" in xml.content
    # the address's anonymous allowance is its own
    assert site.post_case(thai_case()).status_code == 201
    assert refused(site.post_case(thai_case()), within=3600)
    assert cases_at(site) == 4


def test_past_sequence_999999_a_complaint_gets_a_seven_digit_number_not_a_500(embedded):
    first = embedded.post_case(thai_case()).json()
    year = fiscal_year_be(datetime.now(timezone.utc))
    with sqlite3.connect(embedded.data_dir / "intake.db") as conn:
        conn.execute("UPDATE tracking_sequences SET last_value = 999999")
    assert first["tracking_number"] == f"HUB-{year}-000001"

    response = embedded.post_case(thai_case(subject="ไฟถนนดับ"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["tracking_number"] == f"HUB-{year}-1000000"
    assert embedded.post_case(thai_case(subject="น้ำไม่ไหล")).json()["tracking_number"] == f"HUB-{year}-1000001"
    page = look_up(embedded, created["tracking_number"], created["access_code"])
    assert page.status_code == 200 and page.json()["tracking_number"] == f"HUB-{year}-1000000"


# -- 4. every place that checks an access code counts -------------------------------------------

@pytest.mark.parametrize("first_ways", [
    ("dispute",) * 5,
    ("query", "header", "lookup", "dispute", "header"),
], ids=["disputes alone", "every way"])
def test_every_place_that_checks_an_access_code_counts_towards_one_limit(embedded, first_ways):
    case = embedded.post_case(thai_case()).json()
    for how in first_ways:  # INTAKE.lookup_failures_per_number wrong codes for one number from one address
        assert not_found(look_up(embedded, case["tracking_number"], WRONG, how))
    # the sixth is refused before its code is checked, whichever way it comes, the right code too: no oracle
    for how in ("dispute", "header", "query", "lookup"):
        assert refused(look_up(embedded, case["tracking_number"], case["access_code"], how), within=900)
    assert cases_at(embedded) == 1  # the dispute with the right code recorded nothing


def test_a_disputes_wrong_code_is_the_same_400_as_before_and_counted(embedded):
    case = embedded.post_case(thai_case()).json()
    wrong = look_up(embedded, case["tracking_number"], WRONG, "dispute")
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"disputes": ["No case with that tracking number and access code."]}
    right = look_up(embedded, case["tracking_number"], case["access_code"], "dispute")
    assert right.status_code == 201 and right.json()["linked_to"] == case["tracking_number"]


# -- 8. one address guessing does not lock out a complainant ------------------------------------

def test_ten_wrong_guesses_from_one_address_do_not_lock_out_the_right_code(embedded):
    mine = embedded.post_case(thai_case()).json()
    other = embedded.post_case(thai_case(subject="ไฟถนนดับ")).json()
    year = fiscal_year_be(datetime.now(timezone.utc))
    for guess in range(10):  # ten bad guesses behind one NAT, at numbers that are not mine
        assert look_up(embedded, f"HUB-{year}-{guess + 100:06d}", WRONG).status_code == 404
    for _ in range(5):  # and someone's typos at another case, until that number waits for this address
        assert look_up(embedded, other["tracking_number"], WRONG).status_code == 404
    assert refused(look_up(embedded, other["tracking_number"], other["access_code"]), within=900)
    page = look_up(embedded, mine["tracking_number"], mine["access_code"])
    assert page.status_code == 200, page.text


def test_a_number_guessed_from_many_addresses_still_opens_for_its_complainant(start_embedded):
    site = start_embedded(TRUSTED_PROXIES="127.0.0.1")  # the reverse proxy in front of the site
    case = site.post_case(thai_case()).json()
    number = case["tracking_number"]
    guessers = [f"198.51.100.{n}" for n in range(1, 5)]
    for address in guessers:  # 4 addresses x 5: the number's 20 wrong codes of the day
        for _ in range(5):
            assert look_up(site, number, WRONG, forwarded_for=address).status_code == 404
        # each waits a quarter of an hour for this number; the last, once the number has had its 20,
        # until the day ends
        assert refused(look_up(site, number, WRONG, forwarded_for=address),
                       within=86400 if address == guessers[-1] else 900)
    # past its daily 20, each further address has one try at the number for the rest of the day
    assert look_up(site, number, WRONG, forwarded_for="203.0.113.9").status_code == 404
    assert refused(look_up(site, number, case["access_code"], forwarded_for="203.0.113.9"), within=86400)
    # the complainant, from an address that has not been guessing, gets in with the right code
    page = look_up(site, number, case["access_code"], forwarded_for="192.0.2.44")
    assert page.status_code == 200, page.text
    # and keeps getting in: a right code is not counted
    assert look_up(site, number, case["access_code"], forwarded_for="192.0.2.44").status_code == 200
    # the proxy's own address is not the client's: another client is not held by the guessers
    assert look_up(site, number, case["access_code"], forwarded_for="192.0.2.45").status_code == 200


def test_x_forwarded_for_is_not_believed_unless_the_proxy_is_trusted(embedded):
    case = embedded.post_case(thai_case()).json()
    for n in range(5):  # a client naming another "address" each time is still one address
        assert look_up(embedded, case["tracking_number"], WRONG, forwarded_for=f"203.0.113.{n}").status_code == 404
    assert refused(look_up(embedded, case["tracking_number"], WRONG, forwarded_for="203.0.113.77"), within=900)


def test_wrong_look_ups_are_counted_in_the_database_and_outlive_a_restart(start_embedded):
    site = start_embedded()
    clear_of_the_window_end(150)  # the restart must not carry the counts into a new window
    case = site.post_case(thai_case()).json()
    for _ in range(5):
        assert look_up(site, case["tracking_number"], WRONG).status_code == 404
    site = restart(start_embedded)
    assert refused(look_up(site, case["tracking_number"], case["access_code"]), within=900)


# -- several intake processes count together ------------------------------------------------------

@pytest.mark.rabbit
@pytest.mark.postgres
def test_two_intake_processes_count_look_ups_and_cases_together(rabbit_config, pg_databases, tmp_path):
    env = {**os.environ, "RONGTUK_CONFIG": str(DISTRIBUTED_CONFIG), "AMQP_URI": rabbit_config["AMQP_URI"],
           "DATABASE_URL": pg_databases, "DATA_DIR": str(tmp_path / "data"), "INTAKE_CASES_PER_ADDRESS": "4",
           "SEAL_KEY": "bWFkZS11cC1zZWFsLWtleS1mb3ItdGhlLXRlc3RzLTA="}
    migrated = run_cli("db", "upgrade", "--service", "intake", env=env)
    assert migrated.returncode == 0, migrated.stderr
    apis, runs = [], RunProcesses(tmp_path)
    try:
        for n in range(2):
            port = free_port()
            runs.start("intake", env={**env, "WEB_SERVER_ADDRESS": f"127.0.0.1:{port}"}, log_name=f"intake-{n}")
            apis.append(Api(f"http://127.0.0.1:{port}"))
        for api in apis:
            wait_for(lambda: answers(f"{api.base}/healthz"), timeout=30, interval=0.2, message="intake to answer")
        clear_of_the_window_end(120)

        first, second = apis
        case = first.post_case(thai_case()).json()
        assert second.post_case(thai_case(subject="ไฟถนนดับ")).status_code == 201
        for api in (first, second, first, second, first):
            assert look_up(api, case["tracking_number"], WRONG).status_code == 404
        for api in apis:
            assert refused(look_up(api, case["tracking_number"], case["access_code"]), within=900)

        assert first.post_case(thai_case(subject="น้ำไม่ไหล")).status_code == 201
        assert second.post_case(thai_case(subject="ขยะไม่เก็บ")).status_code == 201
        for api in apis:  # 4 cases from this address, whichever process took them
            assert refused(api.post_case(thai_case(subject="ท่อระบายน้ำอุดตัน")), within=3600)
    finally:
        runs.stop_all()
