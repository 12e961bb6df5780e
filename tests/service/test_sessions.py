"""Officers' sessions (services/intake/sessions.py) on intake's database and over its JSON API: a login
gives a bearer token that ends when idle, at its absolute end, at logout, when the account is disabled
or given a new password; a login rotates the token it came with; failed logins are limited per address
and per account, without locking the real officer out from their own address; an unknown username and
a wrong password answer alike."""
from datetime import timedelta

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import select

from services.intake import accounts, passwords, sessions
from services.intake.exceptions import Refused
from services.intake.models import sessions as sessions_table
from services.intake.sealing import Sealer
from services.intake.service import IntakeService
from services.intake.throttle import Limits
from shared import audit
from shared.times import utcnow
from tests.helpers import clear_of_the_window_end, merge

UNITS = {"roads", "ict-pr"}
PASSWORD = "lantern-orchid-viaduct-42"
LIMITS = Limits()


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


@pytest.fixture
def sealer():
    return Sealer(Fernet.generate_key().decode())


def make(store, username="somchai", role="unit_officer", units=("roads",), site="HUB", password=PASSWORD):
    return store.run(accounts.create, username, role, units, site, password, UNITS)


def log_in(store, sealer, username="somchai", password=PASSWORD, address="10.1.1.1", now=None, replaces=None):
    return store.run(sessions.login, LIMITS, sealer, address, username, password, replaces, now)


def who(store, token, now=None):
    return store.run(sessions.authenticate, token, LIMITS, now)


def test_a_login_gives_a_token_kept_only_as_its_hash_and_it_is_the_officer(store, sealer):
    make(store)
    made = log_in(store, sealer, "  SomChai ")
    assert made["token"].startswith("rts_") and made["officer"] == {
        "username": "somchai", "role": "unit_officer", "units": ["roads"], "site_id": "HUB"}
    actor = who(store, made["token"])
    assert (actor.name, actor.role, actor.units, actor.site_id, actor.kind) == (
        "somchai", "unit_officer", ("roads",), "HUB", "person")
    with store.reading() as session:
        stored = session.execute(select(sessions_table)).all()
    assert len(stored) == 1 and made["token"] not in str(stored[0])
    assert who(store, made["token"][:-1] + "x") is None and who(store, "rtk_" + made["token"][4:]) is None


def test_a_session_ends_when_idle_and_at_its_absolute_end_however_busy(store, sealer):
    make(store)
    t0 = utcnow()
    token = log_in(store, sealer, now=t0)["token"]
    idle = timedelta(seconds=LIMITS.session_idle)
    assert who(store, token, t0 + idle - timedelta(seconds=1)) is not None  # used: the idle end moves on
    assert who(store, token, t0 + 2 * idle - timedelta(seconds=2)) is not None
    assert who(store, token, t0 + 3 * idle) is None  # idle too long

    busy = log_in(store, sealer, now=t0)["token"]
    moment = t0
    while moment < t0 + timedelta(seconds=LIMITS.session_max) - idle:
        moment += idle / 2
        assert who(store, busy, moment) is not None
    assert who(store, busy, t0 + timedelta(seconds=LIMITS.session_max)) is None  # used all along, still ends


def test_a_login_rotates_the_token_it_came_with_and_logout_disable_and_a_new_password_end_sessions(store, sealer):
    make(store)
    first = log_in(store, sealer)["token"]
    second = log_in(store, sealer, replaces=first)["token"]
    assert second != first and who(store, first) is None and who(store, second) is not None
    third = log_in(store, sealer)["token"]
    store.run(sessions.log_out, who(store, second), second)
    assert who(store, second) is None and who(store, third) is not None

    store.run(accounts.reset_password, "somchai", "granite-meadow-pelican-77")
    assert who(store, third) is None
    assert log_in(store, sealer) is None  # the old password no longer logs in
    fourth = log_in(store, sealer, password="granite-meadow-pelican-77")["token"]
    store.run(accounts.disable, "somchai")
    assert who(store, fourth) is None and log_in(store, sealer, password="granite-meadow-pelican-77") is None

    make(store, "malee")
    fifth = log_in(store, sealer, "malee")["token"]
    assert store.run(accounts.log_out, "malee") == 1 and who(store, fifth) is None


def test_an_unknown_username_and_a_wrong_password_are_checked_alike(store, sealer, monkeypatch):
    make(store)
    checked = []
    real = passwords.verify
    monkeypatch.setattr(passwords, "verify",
                        lambda stored, given: checked.append(stored is None) or real(stored, given))
    assert log_in(store, sealer, "somchai", "wrong-password-here") is None
    assert log_in(store, sealer, "nobody-here", "wrong-password-here") is None
    assert checked == [False, True]  # each took one argon2 check (an unknown user's against a dummy hash)
    with store.reading() as session:
        failed = audit.listing(session, action="login", outcome="failed")
    assert [row["detail"] for row in failed] == [{"username": "somchai"}, None]  # no stranger's typing kept


@pytest.mark.parametrize("username", ["somchai", "not-an-account"])
def test_wrong_passwords_from_one_address_are_refused_past_the_limit_and_not_counted_then(store, sealer, username):
    make(store)
    clear_of_the_window_end(30)
    answers = []
    for _ in range(LIMITS.login_failures_per_account + 3):
        try:
            answers.append(log_in(store, sealer, username, "wrong-password-here"))
        except Refused as refused:
            answers.append(refused.retry_after)
    assert answers[:LIMITS.login_failures_per_account] == [None] * LIMITS.login_failures_per_account
    assert all(isinstance(a, int) and 0 < a <= LIMITS.login_window for a in answers[LIMITS.login_failures_per_account:])
    with pytest.raises(Refused):  # the right password too: refused before it is checked
        log_in(store, sealer, username, PASSWORD)
    if username == "somchai":
        assert log_in(store, sealer, address="10.9.9.9")["token"]  # from elsewhere, the officer gets in


@pytest.fixture
def api(container_factory, embedded_config, store):
    config = merge(embedded_config, {"HTTP": {"trusted_proxies": "127.0.0.1"}})
    container_factory(IntakeService, config).start()
    make(store)
    base = f"http://{config['WEB_SERVER_ADDRESS']}"

    def post(body, address, headers=None):
        return requests.post(f"{base}/api/v1/session", json=body, timeout=10,
                             headers={"X-Forwarded-For": address, **(headers or {})})
    post.base = base
    return post


def test_a_thousand_wrong_passwords_from_one_address_are_throttled_and_the_officer_logs_in_from_another(api):
    clear_of_the_window_end(120)  # all in one window of the login counts
    statuses = [api({"username": "somchai", "password": f"guess-{i:04d}-x"}, "198.51.100.7").status_code
                for i in range(1000)]
    failures = LIMITS.login_failures_per_account
    assert statuses[:failures] == [401] * failures
    assert set(statuses[failures:]) == {429} and len(statuses) == 1000
    refused = api({"username": "somchai", "password": PASSWORD}, "198.51.100.7")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0

    logged_in = api({"username": "somchai", "password": PASSWORD}, "203.0.113.20")
    assert logged_in.status_code == 201, logged_in.text
    token = logged_in.json()["token"]
    assert logged_in.headers["Cache-Control"] == "no-store"
    me = requests.get(f"{api.base}/api/v1/session", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "somchai"
    assert requests.delete(f"{api.base}/api/v1/session", headers={"Authorization": f"Bearer {token}"},
                           timeout=10).status_code == 204
    ended = requests.get(f"{api.base}/api/v1/session", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert ended.status_code == 401 and ended.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_username_and_a_wrong_password_get_the_same_answer(api):
    wrong = api({"username": "somchai", "password": "not-the-password"}, "203.0.113.30")
    unknown = api({"username": "nobody-at-all", "password": "not-the-password"}, "203.0.113.31")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"error": "unauthorized", "message": "The username or password is wrong."}
    assert api({"username": "somchai"}, "203.0.113.32").status_code == 400  # no password: said, nothing counted
