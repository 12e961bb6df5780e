"""services/intake/throttle.py: the limits' windows, keys and decisions, without a database."""
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.throttle import DAY, DEFAULTS, Counter, Limits, client_key, wait, window
from shared.times import BANGKOK

NOON = datetime(2026, 11, 21, 12, 0, tzinfo=BANGKOK).timestamp()
LIMITS = Limits()


# -- windows --------------------------------------------------------------------------------------

def test_a_day_is_a_bangkok_day():
    day = window(NOON, DAY, "k")
    assert datetime.fromtimestamp(day.start, BANGKOK) == datetime(2026, 11, 21, 0, 0, tzinfo=BANGKOK)
    assert datetime.fromtimestamp(day.end, BANGKOK) == datetime(2026, 11, 22, 0, 0, tzinfo=BANGKOK)
    just_before_midnight = datetime(2026, 11, 21, 23, 59, 59, tzinfo=BANGKOK).timestamp()
    assert window(just_before_midnight, DAY, "k") == day
    assert wait(day, just_before_midnight) == 1


def test_a_quarter_hour_window_and_its_wait():
    moment = datetime(2026, 11, 21, 12, 7, 30, tzinfo=BANGKOK).timestamp()
    counter = window(moment, 900, "k")
    assert datetime.fromtimestamp(counter.start, BANGKOK).strftime("%H:%M") == "12:00"
    assert wait(counter, moment) == 450


@given(st.floats(min_value=1.7e9, max_value=2.2e9), st.sampled_from([60, 900, 3600, DAY]))
def test_every_moment_is_in_its_window_and_the_wait_reaches_its_end(now, seconds):
    counter = window(now, seconds, "k")
    assert counter.start <= now < counter.end == counter.start + seconds
    assert 1 <= wait(counter, now) <= seconds and now + wait(counter, now) >= counter.end


# -- addresses --------------------------------------------------------------------------------------

@pytest.mark.parametrize("address, key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),   # the same machine, another of its addresses
    ("::ffff:203.0.113.7", "203.0.113.7"),
    ("", "-"),
    ("not an address", "not an address"),
])
def test_an_address_as_counted(address, key):
    assert client_key(address) == key


# -- look-ups ---------------------------------------------------------------------------------------

def lookup_wait(address=1, pair=1, number=1, pair_day=1):
    counters = LIMITS.lookup_counters("203.0.113.7", " hub-2570-000123 ", NOON)
    return LIMITS.lookup_wait(counters, (address, pair, number, pair_day), NOON)


def test_the_four_look_up_counts_and_their_windows():
    counters = LIMITS.lookup_counters("203.0.113.7", " hub-2570-000123 ", NOON)
    assert [c.key for c in counters.all()] == [
        "lookup-address:203.0.113.7", "lookup-pair:203.0.113.7:HUB-2570-000123",
        "lookup-number:HUB-2570-000123", "lookup-pair-day:203.0.113.7:HUB-2570-000123"]
    assert counters.address.end - counters.address.start == counters.pair.end - counters.pair.start == 900
    assert counters.number.end - counters.number.start == counters.pair_day.end - counters.pair_day.start == DAY


def test_within_every_limit_the_code_is_checked():
    assert lookup_wait(address=30, pair=5, number=20, pair_day=5) == 0


def test_an_address_scanning_many_numbers_waits_for_the_window():
    assert 0 < lookup_wait(address=31) <= 900


def test_an_address_mistyping_one_number_waits_for_that_number():
    assert 0 < lookup_wait(pair=6, pair_day=6) <= 900


def test_past_its_daily_figure_a_number_takes_one_try_a_day_from_each_address():
    assert lookup_wait(number=21, pair_day=1) == 0                # an address that has not tried it today
    assert lookup_wait(number=500, pair_day=1) == 0               # however many others have
    waited = lookup_wait(number=21, pair_day=2)                   # its second try today
    assert waited == wait(window(NOON, DAY, "k"), NOON) == 12 * 3600  # until Bangkok midnight


@pytest.mark.parametrize("one_at_a_time, expected", [(True, 20 + 99), (False, 100)],
                         ids=["one address after another", "all together"])
def test_the_guesses_one_number_can_take_in_a_day_are_bounded_by_the_addresses_trying(one_at_a_time, expected):
    """Counts kept as the database keeps them, one per key and window: 100 addresses try one number
    every 90 s all day long. The number takes at most its daily figure plus one wrong code from each
    address: 20 + 100. (One after another, the first address alone makes the 20, a quarter hour's 5
    at a time.)"""
    midnight = datetime(2026, 11, 21, 0, 0, tzinfo=BANGKOK).timestamp()
    counts, checked = {}, 0
    day = [(address, tick) for address in range(100) for tick in range(960)]  # a day of 90 s steps
    for address, tick in (day if one_at_a_time else sorted(day, key=lambda at: at[1])):
        now = midnight + tick * 90
        counters = LIMITS.lookup_counters(f"198.51.100.{address}", "HUB-2570-000123", now)
        would = [counts.get((c.key, c.start), 0) + 1 for c in counters.all()]
        if not LIMITS.lookup_wait(counters, would, now):
            for c in counters.all():
                counts[(c.key, c.start)] = counts.get((c.key, c.start), 0) + 1
            checked += 1
    assert checked == expected <= LIMITS.daily_failures_per_number + 100


# -- new cases --------------------------------------------------------------------------------------

def test_anonymous_cases_are_counted_per_address_and_a_client_apps_per_key():
    counter, limit = LIMITS.case_counter(NOON, address="203.0.113.7")
    assert counter.key == "cases-address:203.0.113.7" and limit == 30
    assert counter.end - counter.start == 3600
    keyed, key_limit = LIMITS.case_counter(NOON, client_key_id="a1b2")
    assert keyed.key == "cases-key:a1b2" and key_limit == 600
    assert LIMITS.case_wait(counter, limit, 30, NOON) == 0
    assert LIMITS.case_wait(counter, limit, 31, NOON) == 3600  # noon: the hour has just begun


def test_a_case_limit_of_0_is_off():
    limits = Limits.from_settings({"cases_per_address": 0, "cases_per_client_key": "0"})
    assert limits.case_counter(NOON, address="203.0.113.7") is None
    assert limits.case_counter(NOON, client_key_id="a1b2") is None


# -- settings ---------------------------------------------------------------------------------------

def test_settings_default_to_the_documented_figures():
    assert Limits.from_settings(None) == Limits.from_settings({"lookup_window": ""}) == LIMITS
    assert {name: getattr(LIMITS, name) for name in DEFAULTS} == {
        "lookup_window": 900, "lookup_failures": 30, "lookup_failures_per_number": 5,
        "daily_failures_per_number": 20, "cases_window": 3600, "cases_per_address": 30,
        "cases_per_client_key": 600, "login_window": 900, "login_failures_per_address": 50,
        "login_failures_per_account": 5, "daily_login_failures": 20, "login_tries_under_attack": 3,
        "session_idle": 1800, "session_max": 36000, "approval_valid": 86400}


@pytest.mark.parametrize("settings, says", [
    ({"lookup_failures": 0}, "INTAKE.lookup_failures must be more than 0"),
    ({"daily_failures_per_number": -1}, "INTAKE.daily_failures_per_number must be more than 0"),
    ({"cases_per_address": -5}, "0 turns it off"),
    ({"lookup_window": "ten"}, "INTAKE.lookup_window must be a whole number"),
    ({"cases_window": 90_000}, "a day (86400 s) at most"),
])
def test_a_wrong_setting_is_named(settings, says):
    with pytest.raises(ValueError, match=says.replace("(", r"\(").replace(")", r"\)")):
        Limits.from_settings(settings)


def test_counters_compare_by_value():
    assert Counter("k", 0, 900) == window(100, 900, "k") != window(100, 900, "other")


# -- officers' logins -----------------------------------------------------------------------------

def login_counts(limits, attempts):
    """Run failed logins [(address, username)] through the decision as counters.py does: an attempt is
    counted, and taken back when refused. The waits, in order."""
    counts, waits = {}, []
    for address, username in attempts:
        counters = limits.login_counters(address, username, NOON)
        made = [counts.get(c, 0) + 1 for c in counters.all()]
        waiting = limits.login_wait(counters, made, NOON)
        if not waiting:
            counts.update(zip(counters.all(), made))
        waits.append(waiting)
    return waits


def test_one_address_guessing_one_account_waits_and_the_officer_elsewhere_does_not():
    waits = login_counts(LIMITS, [("198.51.100.7", "somchai")] * 1000 + [("203.0.113.20", "somchai")])
    assert waits[:5] == [0] * 5 and all(waits[5:1000]) and waits[1000] == 0
    assert max(waits) <= LIMITS.login_window


def test_an_account_guessed_from_many_addresses_takes_a_few_tries_a_day_from_each_new_one():
    attackers = [(f"198.51.100.{i}", "somchai") for i in range(1, 6) for _ in range(5)]  # 25 failures
    waits = login_counts(LIMITS, attackers + [("198.51.100.1", "somchai")] + [("203.0.113.20", "somchai")] * 4)
    assert waits[:23] == [0] * 23  # 4 addresses x 5, and 3 more: past the day's figure (20) from the 21st
    assert waits[23] > LIMITS.login_window and waits[24] > LIMITS.login_window  # the 5th address's 4th try
    assert waits[25] > LIMITS.login_window  # an address that has been guessing waits until tomorrow
    assert waits[26:29] == [0, 0, 0] and waits[29] > 0  # a new address: login_tries_under_attack tries


def test_usernames_are_counted_whether_or_not_they_are_accounts_and_case_alike():
    counters = LIMITS.login_counters("10.0.0.1", "  SomChai ", NOON)
    assert counters == LIMITS.login_counters("10.0.0.1", "somchai", NOON)
    assert counters.address.key == "login-address:10.0.0.1" and counters.number.key == "login-account:somchai"


@pytest.mark.parametrize("settings, says", [
    ({"session_idle": 90_000, "session_max": 80_000}, "session_idle must not be longer"),
    ({"session_max": 8 * DAY}, "a week"),
    ({"login_tries_under_attack": 0}, "must be more than 0"),
])
def test_a_wrong_session_or_login_setting_is_named(settings, says):
    with pytest.raises(ValueError, match=says):
        Limits.from_settings(settings)
