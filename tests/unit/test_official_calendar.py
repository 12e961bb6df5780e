"""Resolution deadlines across 2025-2026, each worked out by hand against the official calendar.

Holidays used (government offices; weekends aside), from the Cabinet's announcements:
2025: 1 Jan; 12 Feb Makha Bucha; 7 Apr Chakri (in lieu); 14-16 Apr Songkran (16th in lieu);
      5 May Coronation (in lieu); 9 May Royal Ploughing; 12 May Visakha (in lieu);
      2 Jun Cabinet extra day; 3 Jun Queen's birthday; 10-11 Jul Asalha Bucha, Buddhist Lent;
      28 Jul King's birthday; 11 Aug Cabinet extra day; 12 Aug Mother's Day; 13 Oct; 23 Oct;
      5 Dec Father's Day; 10 Dec Constitution Day; 31 Dec.
2026: 1 Jan; 2 Jan Cabinet extra day; 3 Mar Makha Bucha; 6 Apr Chakri; 13-15 Apr Songkran;
      4 May Coronation; 13 May Royal Ploughing; 1 Jun Visakha (in lieu); 3 Jun;
      28 Jul King's birthday; 29 Jul Asalha Bucha; 30 Jul Buddhist Lent; 12 Aug; 13 Oct; 23 Oct;
      7 Dec Father's Day (in lieu); 10 Dec; 31 Dec.
Labour Day (1 May) is a working day for government offices.
Rule: the day of receipt is the day itself if a business day and at or before 16:30, else the
next business day; the deadline is 16:30 on the Nth business day after it.
"""
from datetime import date, datetime

import pytest

from services.sla.calendar import BusinessCalendar, resolution_target

from shared.times import BANGKOK

CASES = [
    # received (ISO-8601), kind, expected deadline day (16:30 Bangkok), why
    ("2025-04-11T10:00:00+07:00", 2, "2025-04-21", "Songkran 14-16 Apr 2025 skipped"),
    ("2025-04-10T16:30:00+07:00", 1, "2025-04-11", "at 16:30 the day still counts"),
    ("2025-04-10T16:31:00+07:00", 1, "2025-04-17", "after 16:30: received Fri 11, then Songkran"),
    ("2025-04-14T07:00:00+07:00", 1, "2025-04-18", "received on Songkran, before office hours"),
    ("2025-04-04T09:00:00+07:00", 1, "2025-04-08", "Chakri Day in lieu, Mon 7 Apr"),
    ("2025-12-30T14:00:00+07:00", 2, "2026-01-07", "31 Dec, 1 Jan and the Cabinet's 2 Jan 2026"),
    ("2025-12-31T10:00:00+07:00", 1, "2026-01-06", "received on New Year's Eve: day of receipt Mon 5 Jan"),
    ("2025-02-11T11:00:00+07:00", 1, "2025-02-13", "Makha Bucha 2025"),
    ("2026-03-02T15:00:00+07:00", 2, "2026-03-06", "Makha Bucha 2026"),
    ("2025-05-02T10:00:00+07:00", 3, "2025-05-21", "Coronation in lieu, Royal Ploughing, Visakha in lieu"),
    ("2025-04-30T10:00:00+07:00", 1, "2025-05-01", "Labour Day 2025 is a working day"),
    ("2025-05-01T09:00:00+07:00", 1, "2025-05-02", "received on Labour Day: it is the day of receipt"),
    ("2026-04-30T16:00:00+07:00", 1, "2026-05-01", "Labour Day 2026 is a working day"),
    ("2025-05-30T10:00:00+07:00", 1, "2025-06-04", "the Cabinet's 2 Jun 2025 and the Queen's birthday"),
    ("2025-07-09T13:00:00+07:00", 2, "2025-07-16", "Asalha Bucha and Buddhist Lent 2025"),
    ("2025-07-25T17:00:00+07:00", 1, "2025-07-30", "after hours Friday, then the King's birthday"),
    ("2025-08-08T08:00:00+07:00", 1, "2025-08-13", "before 08:30 counts; the Cabinet's 11 Aug, Mother's Day"),
    ("2025-10-10T12:00:00+07:00", 1, "2025-10-14", "King Bhumibol Memorial Day"),
    ("2025-10-22T10:00:00+07:00", 2, "2025-10-28", "Chulalongkorn Day"),
    ("2025-12-04T10:00:00+07:00", 3, "2025-12-22", "Father's Day and Constitution Day"),
    ("2025-11-15T10:00:00+07:00", 1, "2025-11-18", "received on a Saturday"),
    ("2026-02-15T20:00:00+07:00", 2, "2026-02-19", "received on a Sunday night"),
    ("2025-06-05T09:29:59+00:00", 1, "2025-06-06", "UTC input: 16:29:59 in Bangkok"),
    ("2025-06-05T09:31:00Z", 1, "2025-06-09", "UTC input: 16:31 in Bangkok"),
    ("2025-06-05T23:00:00+00:00", 1, "2025-06-09", "UTC input: already Fri 06:00 in Bangkok"),
    ("2026-04-10T10:00:00+07:00", 2, "2026-04-20", "Songkran 2026"),
    ("2026-04-03T10:00:00+07:00", 1, "2026-04-07", "Chakri Day 2026"),
    ("2026-05-01T10:00:00+07:00", 2, "2026-05-07", "received on Labour Day 2026, Coronation Day"),
    ("2026-05-12T10:00:00+07:00", 1, "2026-05-14", "Royal Ploughing 2026"),
    ("2026-05-29T10:00:00+07:00", 2, "2026-06-05", "Visakha in lieu and the Queen's birthday 2026"),
    ("2026-07-27T10:00:00+07:00", 1, "2026-07-31", "King's birthday, Asalha Bucha, Buddhist Lent 2026"),
    ("2025-12-01T10:00:00+07:00", 4, "2026-01-19", "30 business days across the year end"),
    ("2026-08-11T16:30:00+07:00", 1, "2026-08-13", "at 16:30, then Mother's Day 2026"),
    ("2026-12-04T10:00:00+07:00", 2, "2026-12-11", "Father's Day in lieu and Constitution Day 2026"),
]

ADMIN_CASES = [
    # received, kind, extra holidays, extra workdays, expected, why
    ("2025-11-17T10:00:00+07:00", 1, ["2025-11-18"], [], "2025-11-19", "an admin-added holiday"),
    ("2025-11-21T10:00:00+07:00", 1, [], ["2025-11-22"], "2025-11-22", "an admin-added Saturday workday"),
    ("2025-11-22T10:00:00+07:00", 1, [], ["2025-11-22"], "2025-11-24", "received on that working Saturday"),
]


def deadline(received, kind, holidays=(), workdays=()):
    calendar = BusinessCalendar(holidays=[date.fromisoformat(d) for d in holidays],
                                workdays=[date.fromisoformat(d) for d in workdays])
    return calendar.deadline(datetime.fromisoformat(received), resolution_target(kind))


@pytest.mark.parametrize("received,kind,expected,why", CASES, ids=[c[3] for c in CASES])
def test_deadlines_on_the_official_calendar(received, kind, expected, why):
    due = deadline(received, kind)
    assert due == datetime.fromisoformat(f"{expected}T16:30:00").replace(tzinfo=BANGKOK), why
    assert due.isoformat() == f"{expected}T16:30:00+07:00"


@pytest.mark.parametrize("received,kind,holidays,workdays,expected,why", ADMIN_CASES,
                         ids=[c[5] for c in ADMIN_CASES])
def test_deadlines_with_the_admins_extra_days(received, kind, holidays, workdays, expected, why):
    assert deadline(received, kind, holidays, workdays).isoformat() == f"{expected}T16:30:00+07:00", why


def test_there_are_at_least_thirty_checked_deadlines():
    assert len(CASES) + len(ADMIN_CASES) >= 30


@pytest.mark.parametrize("day", ["2025-05-01", "2026-05-01"])
def test_labour_day_is_a_business_day(day):
    assert BusinessCalendar().is_business_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2025-06-02", "2025-08-11", "2026-01-02", "2025-05-09", "2026-05-13",
                                 "2025-04-16", "2026-12-07"])
def test_cabinet_days_ploughing_and_substitutes_are_holidays(day):
    assert not BusinessCalendar().is_business_day(date.fromisoformat(day))
