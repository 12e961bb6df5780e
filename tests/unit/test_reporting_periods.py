"""services/reporting/periods.py: fiscal years in the Buddhist Era, their halves, Thai digits and dates."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.reporting.periods import (Period, PeriodError, digits, fiscal_year_of, parse_period, period_of,
                                        thai_date)
from shared.times import BANGKOK


def bangkok(*args):
    return datetime(*args, tzinfo=BANGKOK)


def test_fiscal_year_2569_runs_from_october_2025_to_september_2026_in_bangkok():
    year = Period(2569)
    assert (year.first_day, year.last_day) == (date(2025, 10, 1), date(2026, 9, 30))
    assert year.start == bangkok(2025, 10, 1).astimezone(timezone.utc) == datetime(2025, 9, 30, 17, tzinfo=timezone.utc)
    assert year.end == bangkok(2026, 10, 1)


def test_the_halves_are_october_to_march_and_april_to_september_and_meet_exactly():
    first, second = Period(2569, 1), Period(2569, 2)
    assert (first.first_day, first.last_day) == (date(2025, 10, 1), date(2026, 3, 31))
    assert (second.first_day, second.last_day) == (date(2026, 4, 1), date(2026, 9, 30))
    assert first.end == second.start and second.end == Period(2570).start


@pytest.mark.parametrize("moment, year, half", [
    (bangkok(2026, 3, 31, 23, 59, 59), 2569, 1),   # the last second of the first half, in Bangkok
    (bangkok(2026, 4, 1, 0, 0), 2569, 2),
    (datetime(2026, 3, 31, 17, 0, tzinfo=timezone.utc), 2569, 2),   # = 1 April 00:00 in Bangkok
    (bangkok(2025, 9, 30, 23, 59), 2568, 2),
    (bangkok(2025, 10, 1, 0, 0), 2569, 1),
    (date(2026, 1, 15), 2569, 1),
])
def test_a_moment_belongs_to_the_half_its_bangkok_day_is_in(moment, year, half):
    assert period_of(moment) == Period(year, half)
    assert fiscal_year_of(moment) == year
    if isinstance(moment, datetime):
        assert Period(year, half).contains(moment) and Period(year).contains(moment)
        assert not Period(year, 3 - half).contains(moment)


def test_the_same_span_a_year_before():
    assert Period(2569, 2).previous_year() == Period(2568, 2)
    assert Period(2569).previous_year().end == Period(2569).start


@pytest.mark.parametrize("given, half, expected", [
    ("2570", None, Period(2570)), (2570, "1", Period(2570, 1)), ("๒๕๗๐", "๒", Period(2570, 2)),
    (" 2569 ", "", Period(2569)),
])
def test_query_parameters_and_options_become_periods(given, half, expected):
    assert parse_period(given, half) == expected


@pytest.mark.parametrize("given, half, message", [
    ("2026", None, "Buddhist Era: 2569 for October 2025 - September 2026"),
    ("25x0", None, "fiscal_year must be a whole number"),
    ("2570", "3", "half is 1 (October-March) or 2 (April-September)"),
    ("2570", "first", "half must be a whole number"),
    (None, None, "fiscal_year is required"),
    ("1200", None, "a Buddhist Era year from 2500 to 2700"),
    (True, None, "must be a whole number"),
])
def test_a_wrong_period_is_refused_saying_what_is_expected(given, half, message):
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(given, half)


def test_documents_write_thai_digits_and_buddhist_era_dates_by_default():
    assert digits("ปี 2569: 1,234 เรื่อง") == "ปี ๒๕๖๙: ๑,๒๓๔ เรื่อง"
    assert digits("๒๕๖๙", thai=False) == "2569"
    assert thai_date(date(2025, 10, 1)) == "๑ ตุลาคม ๒๕๖๘"
    assert thai_date(date(2026, 3, 31), thai_digits=False, short=True) == "31 มี.ค. 2569"
    assert thai_date(datetime(2026, 3, 31, 18, tzinfo=timezone.utc)) == "๑ เมษายน ๒๕๖๙"  # Bangkok's day


def test_a_period_names_itself_as_a_memo_does():
    assert Period(2569).name() == "ปีงบประมาณ พ.ศ. ๒๕๖๙"
    assert Period(2569, 1).name() == "ปีงบประมาณ พ.ศ. ๒๕๖๙ ครึ่งปีแรก (ตุลาคม ๒๕๖๘ - มีนาคม ๒๕๖๙)"
    assert Period(2569, 2).name(thai_digits=False) == "ปีงบประมาณ พ.ศ. 2569 ครึ่งปีหลัง (เมษายน 2569 - กันยายน 2569)"


def test_every_day_of_a_year_falls_in_exactly_one_half():
    day, seen = date(2025, 10, 1), {1: 0, 2: 0}
    while day <= date(2026, 9, 30):
        seen[period_of(day).half] += 1
        day += timedelta(days=1)
    assert seen == {1: 182, 2: 183}
