"""`rongtuk user`: accounts made, listed, disabled and given new passwords on intake's database; a weak
password, an unknown role or unit refused with why and nothing stored; a login that cannot tell an
unknown username from a wrong password."""
import pytest
from click.testing import CliRunner

from services.cli import main
from services.intake import accounts
from tests.helpers import write_config

GOOD = "lantern-orchid-viaduct-42"


@pytest.fixture
def user(embedded_config, tmp_path):
    path = str(write_config(embedded_config, tmp_path / "config.yml"))

    def run(*args, password=None):
        return CliRunner().invoke(main, ["--config", path, "user", *args], input=password,
                                  catch_exceptions=False)
    return run


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


def test_accounts_are_made_listed_and_disabled_and_never_show_a_password(user, store):
    made = user("create", "Malee.S", "--role", "unit_officer", "--unit", "ict-pr", "--password-stdin",
                password=GOOD + "\n")
    assert made.exit_code == 0, made.output
    assert "created malee.s: unit_officer of ict-pr at HUB" in made.output
    assert user("create", "director1", "--role", "director", "--password-stdin",
                password="quiet-harbour-maple-1987\n").exit_code == 0
    listed = user("list")
    assert "malee.s  unit_officer  ict-pr  HUB  enabled" in listed.output and GOOD not in listed.output
    with store.reading() as session:
        assert accounts.count(session) == 2
    assert user("disable", "malee.s").exit_code == 0
    assert "malee.s  unit_officer  ict-pr  HUB  disabled" in user("list").output
    assert "no enabled account" in user("disable", "malee.s").output


@pytest.mark.parametrize("args,password,says", [
    (("weakling", "--role", "director"), "password1234", "too weak"),
    (("shorty", "--role", "director"), "abc", "at least 12"),
    (("someone", "--role", "superuser"), GOOD, "no role 'superuser'"),
    (("someone", "--role", "unit_officer", "--unit", "no-such-unit"), GOOD, "no unit 'no-such-unit' in the directory"),
    (("someone", "--role", "unit_officer"), GOOD, "works for at least one unit"),
    (("someone", "--role", "executive", "--unit", "ict-pr"), GOOD, "works site-wide"),
    (("no", "--role", "director"), GOOD, "a username is 3-64"),
])
def test_a_bad_account_is_refused_with_why_and_nothing_is_stored(user, store, args, password, says):
    refused = user("create", *args, "--password-stdin", password=password + "\n")
    assert refused.exit_code != 0 and says in refused.output
    with store.reading() as session:
        assert accounts.count(session) == 0


def test_a_second_account_of_one_name_is_refused(user):
    assert user("create", "malee", "--role", "director", "--password-stdin", password=GOOD + "\n").exit_code == 0
    again = user("create", "MALEE", "--role", "director", "--password-stdin", password=GOOD + "\n")
    assert again.exit_code != 0 and "there is an account 'malee' already" in again.output


def test_a_login_cannot_tell_an_unknown_user_from_a_wrong_password(user, store, monkeypatch):
    from services.intake import passwords
    user("create", "malee", "--role", "director", "--password-stdin", password=GOOD + "\n")
    assert store.run(accounts.check_login, "Malee", GOOD)["role"] == "director"
    checked = []
    real = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda kept, given: checked.append(kept is not None) or real(kept, given))
    for name in ("malee", "nobody-here", "bad name!"):
        assert store.run(accounts.check_login, name, "wrong-password-here") is None
    assert checked == [True, False, False]  # one argon2 check each, against a dummy hash when unknown
    monkeypatch.setattr(passwords, "verify", real)
    reset = user("reset-password", "malee", "--password-stdin", password="quiet-harbour-maple-1987\n")
    assert reset.exit_code == 0
    assert store.run(accounts.check_login, "malee", GOOD) is None
    assert store.run(accounts.check_login, "malee", "quiet-harbour-maple-1987") is not None
    user("disable", "malee")
    assert store.run(accounts.check_login, "malee", "quiet-harbour-maple-1987") is None


def test_the_roles_say_what_each_may_do(user):
    listed = user("roles").output
    assert "executive: read_figures" in listed and "admin: manage_users" in listed
    assert "unit_officer: read_case" in listed
