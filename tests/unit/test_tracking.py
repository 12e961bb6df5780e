"""services/intake/tracking.py: fiscal years, tracking numbers and access codes."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.tracking import (
    ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LENGTH,
    access_code_matches,
    fiscal_year_be,
    format_tracking_number,
    hash_access_code,
    new_access_code,
    normalise_access_code,
    parse_tracking_number,
)
from shared.times import BANGKOK

SALT = "7c0f4e2a9b1d"

# --- fiscal year ---------------------------------------------------------------------------


@pytest.mark.parametrize("moment, year", [
    (datetime(2025, 9, 30, 23, 59, tzinfo=BANGKOK), 2568),
    (datetime(2025, 9, 30, 23, 59, 59, 999999, tzinfo=BANGKOK), 2568),
    (datetime(2025, 10, 1, 0, 0, tzinfo=BANGKOK), 2569),
    (datetime(2025, 9, 30, 17, 30, tzinfo=timezone.utc), 2569),  # 2025-10-01 00:30 in Bangkok
    (datetime(2025, 9, 30, 16, 59, tzinfo=timezone.utc), 2568),  # 2025-09-30 23:59 in Bangkok
    (datetime(2026, 11, 21, 12, 0, tzinfo=BANGKOK), 2570),
    (datetime(2026, 1, 1, 0, 0, tzinfo=BANGKOK), 2569),
    (datetime(2026, 9, 30, 16, 30, tzinfo=BANGKOK), 2569),
    (datetime(2025, 10, 1, 0, 30, tzinfo=timezone(timedelta(hours=7))), 2569),
])
def test_fiscal_year_be(moment, year):
    assert fiscal_year_be(moment) == year


def test_fiscal_year_be_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        fiscal_year_be(datetime(2025, 10, 1, 0, 0))


@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2200, 1, 1),
                    timezones=st.just(BANGKOK)))
def test_fiscal_year_is_named_by_the_be_year_in_which_it_ends(moment):
    year = fiscal_year_be(moment)
    # the fiscal year ends on 30 September of (year - 543)
    end = datetime(year - 543, 10, 1, tzinfo=BANGKOK)
    start = datetime(year - 544, 10, 1, tzinfo=BANGKOK)
    assert start <= moment < end


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.just(BANGKOK)))
def test_fiscal_year_depends_only_on_the_instant(moment):
    assert fiscal_year_be(moment.astimezone(timezone.utc)) == fiscal_year_be(moment)


# --- tracking numbers ----------------------------------------------------------------------

@pytest.mark.parametrize("site, year, sequence, expected", [
    ("HUB", 2569, 1, "HUB-2569-000001"),
    ("HUB", 2569, 999_999, "HUB-2569-999999"),
    ("HUB", 2569, 1_000_000, "HUB-2569-1000000"),      # past 999,999 the number grows a digit
    ("HUB", 2569, 2_147_483_647, "HUB-2569-2147483647"),
    ("CM01", 2570, 4321, "CM01-2570-004321"),
    ("AB", 2569, 12, "AB-2569-000012"),
    ("A" * 16, 2569, 7, "A" * 16 + "-2569-000007"),
])
def test_format_tracking_number(site, year, sequence, expected):
    assert format_tracking_number(site, year, sequence) == expected


@pytest.mark.parametrize("site", [
    "", "H", "hub", "Hub", "HUB-1", "HUB 1", "ก.พ.", "A" * 17, " HUB", "HUB\n", "HUB\t",
])
def test_format_tracking_number_refuses_bad_site_codes(site):
    with pytest.raises(ValueError, match="site code"):
        format_tracking_number(site, 2569, 1)


@pytest.mark.parametrize("sequence", [0, -1, 2_147_483_648, 10**10])
def test_format_tracking_number_refuses_sequences_outside_range(sequence):
    with pytest.raises(ValueError, match="sequence"):
        format_tracking_number("HUB", 2569, sequence)


@given(st.integers(min_value=1, max_value=999_999))
def test_tracking_number_has_six_digit_sequence(sequence):
    number = format_tracking_number("HUB", 2569, sequence)

    assert re.fullmatch(r"HUB-2569-\d{6}", number)
    assert int(number.rsplit("-", 1)[1]) == sequence


@given(st.from_regex(r"[A-Z0-9]{2,16}", fullmatch=True), st.integers(min_value=2400, max_value=9999),
       st.integers(min_value=1, max_value=2_147_483_647))
def test_every_tracking_number_parses_back(site, year, sequence):
    assert parse_tracking_number(format_tracking_number(site, year, sequence)) == (site, year, sequence)


@pytest.mark.parametrize("text, parsed", [
    (" hub-2570-1000000 ", ("HUB", 2570, 1_000_000)),
    ("HUB-2570-000001", ("HUB", 2570, 1)),
    ("HUB-2570-00001", None),          # fewer than 6 digits
    ("HUB-2570-12345678901", None),    # more than 10
    ("HUB-257-000001", None),
    ("HUB-2570-000001-1", None),
    ("", None),
])
def test_parse_tracking_number(text, parsed):
    assert parse_tracking_number(text) == parsed


# --- access codes --------------------------------------------------------------------------

def test_alphabet_has_no_confusable_characters():
    for ch in "01OIL":
        assert ch not in ACCESS_CODE_ALPHABET
    assert len(set(ACCESS_CODE_ALPHABET)) == len(ACCESS_CODE_ALPHABET)


def test_new_access_code_is_eight_characters_from_the_alphabet():
    codes = [new_access_code() for _ in range(200)]

    for code in codes:
        assert len(code) == ACCESS_CODE_LENGTH == 8
        assert set(code) <= set(ACCESS_CODE_ALPHABET)
    assert len(set(codes)) > 190  # random, not a constant


def test_hash_is_hex_sha256_and_depends_on_salt():
    digest = hash_access_code("K7MQ4XZP", SALT)

    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == hash_access_code("K7MQ4XZP", SALT)
    assert digest != hash_access_code("K7MQ4XZP", "another-salt")


def test_access_code_matches_its_hash():
    code = new_access_code()

    assert access_code_matches(code, SALT, hash_access_code(code, SALT))


@pytest.mark.parametrize("typed", ["k7mq4xzp", "K7MQ 4XZP", " k7mq 4xzp ", "K7MQ\t4XZP\n"])
def test_access_code_matching_ignores_case_and_spaces(typed):
    assert normalise_access_code(typed) == "K7MQ4XZP"
    assert access_code_matches(typed, SALT, hash_access_code("K7MQ4XZP", SALT))


@pytest.mark.parametrize("wrong", ["K7MQ4XZQ", "K7MQ4XZ", "K7MQ4XZPP", "", "7KMQ4XZP"])
def test_wrong_access_code_does_not_match(wrong):
    assert not access_code_matches(wrong, SALT, hash_access_code("K7MQ4XZP", SALT))


def test_access_code_with_wrong_salt_does_not_match():
    assert not access_code_matches("K7MQ4XZP", "other", hash_access_code("K7MQ4XZP", SALT))


@given(st.text(alphabet=ACCESS_CODE_ALPHABET, min_size=8, max_size=8),
       st.lists(st.sampled_from([" ", "\t"]), max_size=3), st.booleans())
def test_any_code_matches_however_it_is_typed(code, spaces, lower):
    typed = code.lower() if lower else code
    typed = typed[:4] + "".join(spaces) + typed[4:]

    assert access_code_matches(typed, SALT, hash_access_code(code, SALT))


@given(st.text(alphabet=ACCESS_CODE_ALPHABET, min_size=8, max_size=8),
       st.text(alphabet=ACCESS_CODE_ALPHABET, min_size=8, max_size=8))
def test_different_codes_do_not_match(one, other):
    if one == other:
        return
    assert not access_code_matches(other, SALT, hash_access_code(one, SALT))
