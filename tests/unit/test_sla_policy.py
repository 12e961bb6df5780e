"""The SLA policy's rules: steps and their times, and the properties every deadline must keep."""
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.sla.calendar import BusinessCalendar, OFFICE_CLOSES

from shared.times import BANGKOK
from services.sla.policy import Escalation, SlaPolicy, describe_time_left

CALENDAR = BusinessCalendar()
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31),
                       timezones=st.just(BANGKOK))
kinds = st.sampled_from([1, 2, 3, 4])


def bkk(text):
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


@settings(max_examples=200, deadline=None)
@given(received=moments, kind=kinds, paused=st.integers(min_value=0, max_value=40))
def test_a_pause_never_shortens_a_deadline(received, kind, paused):
    policy = SlaPolicy()
    assert policy.deadline(CALENDAR, "resolution", kind, received, paused) >= \
        policy.deadline(CALENDAR, "resolution", kind, received)


@settings(max_examples=200, deadline=None)
@given(received=moments, kind=kinds, holiday=st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 3, 31)))
def test_adding_a_holiday_never_brings_a_deadline_forward(received, kind, holiday):
    with_holiday = BusinessCalendar(holidays=[holiday])
    policy = SlaPolicy()
    assert policy.deadline(with_holiday, "resolution", kind, received) >= \
        policy.deadline(CALENDAR, "resolution", kind, received)


@settings(max_examples=200, deadline=None)
@given(received=moments, kind=kinds)
def test_a_deadline_is_a_business_day_at_1630_and_steps_come_in_order(received, kind):
    policy = SlaPolicy()
    due = policy.deadline(CALENDAR, "resolution", kind, received)
    local = due.astimezone(BANGKOK)
    assert local.time() == OFFICE_CLOSES and CALENDAR.is_business_day(local.date())
    steps = policy.steps(CALENDAR, "resolution", received, due)
    times = [s.at for s in steps]
    assert times == sorted(times)
    assert [s.index for s in steps] == list(range(len(steps)))
    assert steps[1].at == due and steps[0].at <= due


def test_the_default_steps_of_a_clock():
    policy = SlaPolicy()
    received, due = bkk("2025-12-04T10:00"), bkk("2025-12-11T16:30")
    assert policy.deadline(CALENDAR, "resolution", 2, received) == due
    steps = policy.steps(CALENDAR, "resolution", received, due)
    assert [(s.name, s.role, s.at) for s in steps] == [
        ("warning", "", bkk("2025-12-11T08:30")),
        ("breach", "", due),
        ("escalation", "unit_head", bkk("2025-12-12T16:30")),
        ("escalation", "office_director", bkk("2025-12-16T16:30")),
        ("escalation", "complaint_committee", bkk("2025-12-18T16:30")),
    ]


def test_a_warning_at_a_share_of_the_business_time():
    policy = SlaPolicy(warn_share=0.5, escalations=())
    received, due = bkk("2025-06-09T08:30"), bkk("2025-06-11T16:30")  # Mon 08:30 -> Wed 16:30: 3 days
    assert policy.deadline(CALENDAR, "resolution", 2, received) == bkk("2025-06-12T16:30")
    steps = policy.steps(CALENDAR, "resolution", received, due)
    assert steps[0].at == bkk("2025-06-10T12:30")  # 12 of 24 office hours in
    assert len(steps) == 2


def test_a_case_received_on_its_last_day_is_warned_at_once():
    policy = SlaPolicy()
    received = bkk("2025-06-10T11:00")
    steps = policy.steps(CALENDAR, "resolution", received, bkk("2025-06-10T16:30"))
    assert steps[0].at == received


def test_the_first_notice_counts_calendar_days():
    policy = SlaPolicy()
    received = bkk("2025-04-11T10:00")
    assert policy.deadline(CALENDAR, "first_notice", 2, received) == received + timedelta(days=15)
    steps = policy.steps(CALENDAR, "first_notice", received, received + timedelta(days=15))
    assert [s.name for s in steps] == ["warning", "breach"]


def test_policy_from_config():
    policy = SlaPolicy.from_config({"resolution_days": {"1": 2, "2": 5, "3": 15, "4": 45}, "first_notice_days": 7,
                                    "warn_share": 0.75,
                                    "escalations": [{"role": "director", "after_business_days": 2},
                                                    {"role": "head", "after_business_days": 0}]})
    assert policy.resolution_days == {1: 2, 2: 5, 3: 15, 4: 45}
    assert policy.escalations == (Escalation("head", 0), Escalation("director", 2))
    assert (policy.first_notice_days, policy.warn_share) == (7, 0.75)
    assert SlaPolicy.from_config(None) == SlaPolicy()
    with pytest.raises(ValueError):
        SlaPolicy.from_config({"warn_share": 1.5})
    with pytest.raises(ValueError):
        SlaPolicy().target_days("resolution", 7)


@pytest.mark.parametrize("seconds,business,text", [
    (8 * 3600 * 2 + 3 * 3600, True, "เหลือ 2 วันทำการ 3 ชั่วโมง"),
    (45 * 60, True, "เหลือ 45 นาที"),
    (-3600, True, "เกินกำหนด 1 ชั่วโมง"),
    (0, True, "เหลือ 0 นาที"),
    (24 * 3600 * 3, False, "เหลือ 3 วัน"),
])
def test_time_left_reads_in_thai(seconds, business, text):
    assert describe_time_left(seconds, business) == text


def test_business_seconds_and_days_between():
    assert CALENDAR.business_seconds_between(bkk("2025-06-06T16:00"), bkk("2025-06-09T09:00")) == 3600
    assert CALENDAR.business_seconds_between(bkk("2025-06-09T09:00"), bkk("2025-06-06T16:00")) == -3600
    assert CALENDAR.business_days_between(bkk("2025-06-06T09:00"), bkk("2025-06-11T09:00")) == 3
    assert CALENDAR.add_business_seconds(bkk("2025-06-06T16:00"), 3600) == bkk("2025-06-09T09:00")


def test_business_days_left_count_the_deadlines_day_as_a_unit_reads_its_list():
    from services.sla.policy import business_days_left
    due = bkk("2025-06-06T16:30")  # a Friday
    assert business_days_left(CALENDAR, bkk("2025-06-06T08:00"), due) == 0  # due today
    assert business_days_left(CALENDAR, bkk("2025-06-05T16:00"), due) == 1
    assert business_days_left(CALENDAR, bkk("2025-06-02T09:00"), due) == 3  # Monday; the 3rd is a holiday
    assert business_days_left(CALENDAR, bkk("2025-06-06T17:00"), due) == -1  # half an hour late is late
    assert business_days_left(CALENDAR, bkk("2025-06-09T08:00"), due) == -1  # the weekend is no day
    assert business_days_left(CALENDAR, bkk("2025-06-11T10:00"), due) == -3
    tuesday = bkk("2025-06-10T16:30")
    assert business_days_left(BusinessCalendar(holidays=[date(2025, 6, 9)]), bkk("2025-06-06T09:00"), tuesday) == 1
