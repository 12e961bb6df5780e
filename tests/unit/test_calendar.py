"""services/sla/calendar.py: the deadline rule.

A case received on a business day at or before 16:30 has that day as its day of receipt; later,
or on a day off, the next business day. The deadline is 16:30 on the Nth business day after it.
"""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.sla.calendar import RESOLUTION_TARGETS, BusinessCalendar, resolution_target
from shared.times import BANGKOK

PLUS7 = timezone(timedelta(hours=7))

# November 2025: Mon 3, Tue 4, Wed 5, Thu 6, Fri 7, Sat 8, Sun 9, Mon 10, Tue 11
MON = date(2025, 11, 3)


def at(day, hour, minute=0, second=0, tz=BANGKOK):
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def due(day):
    return datetime(day.year, day.month, day.day, 16, 30, tzinfo=PLUS7)


CAL = BusinessCalendar()


def test_monday_morning_with_one_business_day_is_due_tuesday_1630():
    deadline = CAL.deadline(at(MON, 10), 1)

    assert deadline == due(date(2025, 11, 4))
    assert deadline.utcoffset() == timedelta(hours=7)
    assert deadline.isoformat() == "2025-11-04T16:30:00+07:00"


def test_zero_business_days_is_due_on_the_day_of_receipt():
    assert CAL.deadline(at(MON, 9), 0) == due(MON)


def test_received_exactly_at_1630_counts_that_day():
    assert CAL.day_of_receipt(at(MON, 16, 30)) == MON
    assert CAL.deadline(at(MON, 16, 30), 1) == due(date(2025, 11, 4))


def test_received_at_1631_counts_the_next_business_day():
    assert CAL.day_of_receipt(at(MON, 16, 31)) == date(2025, 11, 4)
    assert CAL.deadline(at(MON, 16, 31), 1) == due(date(2025, 11, 5))


def test_received_a_second_after_1630_counts_the_next_business_day():
    assert CAL.day_of_receipt(at(MON, 16, 30, 1)) == date(2025, 11, 4)


def test_received_early_morning_counts_that_day():
    assert CAL.day_of_receipt(at(MON, 0, 5)) == MON


@pytest.mark.parametrize("received", [at(date(2025, 11, 8), 10), at(date(2025, 11, 9), 23, 59)])
def test_received_at_the_weekend_has_monday_as_day_of_receipt(received):
    assert CAL.day_of_receipt(received) == date(2025, 11, 10)
    assert CAL.deadline(received, 0) == due(date(2025, 11, 10))


def test_friday_evening_with_one_day_is_due_tuesday():
    friday = date(2025, 11, 7)

    assert CAL.day_of_receipt(at(friday, 17)) == date(2025, 11, 10)
    assert CAL.deadline(at(friday, 17), 1) == due(date(2025, 11, 11))


def test_friday_morning_with_one_day_is_due_monday():
    assert CAL.deadline(at(date(2025, 11, 7), 9), 1) == due(date(2025, 11, 10))


def test_ten_business_days_span_two_weekends():
    assert CAL.deadline(at(MON, 10), 10) == due(date(2025, 11, 17))


def test_utc_input_is_judged_on_the_bangkok_clock():
    # 09:30 UTC is 16:30 in Bangkok: still Monday; 09:31 UTC is after closing
    assert CAL.deadline(datetime(2025, 11, 3, 9, 30, tzinfo=timezone.utc), 1) == due(date(2025, 11, 4))
    assert CAL.deadline(datetime(2025, 11, 3, 9, 31, tzinfo=timezone.utc), 1) == due(date(2025, 11, 5))
    # 20:00 UTC on Sunday 9 Nov is 03:00 on Monday 10 Nov in Bangkok
    assert CAL.day_of_receipt(datetime(2025, 11, 9, 20, 0, tzinfo=timezone.utc)) == date(2025, 11, 10)
    # 20:00 UTC on Monday 3 Nov is 03:00 on Tuesday 4 Nov in Bangkok
    assert CAL.day_of_receipt(datetime(2025, 11, 3, 20, 0, tzinfo=timezone.utc)) == date(2025, 11, 4)


@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1),
                    timezones=st.just(timezone.utc)), st.integers(min_value=0, max_value=40))
def test_utc_input_equals_the_same_instant_in_plus7(moment, days):
    assert CAL.deadline(moment, days) == CAL.deadline(moment.astimezone(PLUS7), days)
    assert CAL.deadline(moment, days) == CAL.deadline(moment.astimezone(BANGKOK), days)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        CAL.deadline(datetime(2025, 11, 3, 10, 0), 1)


@pytest.mark.parametrize("days", [-1, -30])
def test_negative_business_days_are_refused(days):
    with pytest.raises(ValueError, match=">= 0"):
        CAL.deadline(at(MON, 10), days)


def test_a_holiday_is_skipped():
    # Wed 5 Nov 2025 as a holiday
    calendar = BusinessCalendar(holidays=[date(2025, 11, 5)])

    assert not calendar.is_business_day(date(2025, 11, 5))
    assert calendar.deadline(at(date(2025, 11, 4), 10), 1) == due(date(2025, 11, 6))
    assert calendar.day_of_receipt(at(date(2025, 11, 5), 10)) == date(2025, 11, 6)


def test_long_holiday_before_a_weekend():
    # Chulalongkorn Day (Thu 23 Oct 2025) and a bridging Friday off
    calendar = BusinessCalendar(holidays={date(2025, 10, 23), date(2025, 10, 24)})

    assert calendar.deadline(at(date(2025, 10, 22), 15), 1) == due(date(2025, 10, 27))


def test_a_saturday_workday_counts():
    saturday = date(2025, 11, 8)
    calendar = BusinessCalendar(workdays=[saturday])

    assert calendar.is_business_day(saturday)
    assert calendar.day_of_receipt(at(saturday, 10)) == saturday
    assert calendar.deadline(at(date(2025, 11, 7), 17), 1) == due(date(2025, 11, 10))
    assert calendar.deadline(at(date(2025, 11, 7), 10), 1) == due(saturday)


def test_a_workday_wins_over_a_holiday_on_the_same_date():
    day = date(2025, 11, 8)

    assert BusinessCalendar(holidays=[day], workdays=[day]).is_business_day(day)


def test_next_business_day_skips_weekend():
    assert CAL.next_business_day(date(2025, 11, 7)) == date(2025, 11, 10)
    assert CAL.next_business_day(MON) == date(2025, 11, 4)


@pytest.mark.parametrize("kind, days", [(1, 1), (2, 3), (3, 10), (4, 30)])
def test_resolution_target(kind, days):
    assert resolution_target(kind) == days


@pytest.mark.parametrize("kind", [0, 5, "1", None])
def test_resolution_target_for_an_unknown_kind_is_a_value_error(kind):
    with pytest.raises(ValueError, match="no resolution target"):
        resolution_target(kind)


def test_resolution_target_uses_given_targets():
    assert resolution_target(2, {2: "5"}) == 5
    with pytest.raises(ValueError):
        resolution_target(1, {2: 5})


def test_resolution_targets_table():
    assert RESOLUTION_TARGETS == {1: 1, 2: 3, 3: 10, 4: 30}


# --- properties ----------------------------------------------------------------------------

receipts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31),
                        timezones=st.sampled_from([BANGKOK, timezone.utc, PLUS7, timezone(timedelta(hours=-5))]))
holiday_sets = st.sets(st.dates(min_value=date(2019, 12, 1), max_value=date(2036, 6, 30)), max_size=40)
workday_sets = st.sets(st.dates(min_value=date(2019, 12, 1), max_value=date(2036, 6, 30)), max_size=10)


@given(receipts, st.integers(min_value=0, max_value=60), holiday_sets, workday_sets)
def test_deadline_is_1630_bangkok_on_a_business_day(received, days, holidays, workdays):
    calendar = BusinessCalendar(holidays=holidays, workdays=workdays)

    deadline = calendar.deadline(received, days).astimezone(BANGKOK)

    assert deadline.time() == time(16, 30)
    assert calendar.is_business_day(deadline.date())


@given(receipts, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60), holiday_sets)
def test_more_business_days_never_give_an_earlier_deadline(received, a, b, holidays):
    calendar = BusinessCalendar(holidays=holidays)
    fewer, more = sorted((a, b))

    assert calendar.deadline(received, fewer) <= calendar.deadline(received, more)
    if fewer < more:
        assert calendar.deadline(received, fewer) < calendar.deadline(received, more)


@given(receipts, st.integers(min_value=0, max_value=60), holiday_sets, workday_sets)
def test_deadline_is_not_before_receipt(received, days, holidays, workdays):
    calendar = BusinessCalendar(holidays=holidays, workdays=workdays)

    deadline = calendar.deadline(received, days)

    assert deadline >= received
    if days >= 1:
        assert deadline > received


@given(receipts, st.integers(min_value=1, max_value=60))
def test_deadline_counts_exactly_n_business_days_after_receipt(received, days):
    receipt = CAL.day_of_receipt(received)
    deadline = CAL.deadline(received, days).date()

    between = [receipt + timedelta(d) for d in range(1, (deadline - receipt).days + 1)]
    assert sum(CAL.is_business_day(d) for d in between) == days
