"""Business days and deadlines, as a Thai government office counts them.

A business day is Monday to Friday that is neither a Thai public holiday nor a government
holiday (the `holidays` package: lunar holidays, substitution days, the Cabinet's bridge
holidays it knows of, the Royal Ploughing Ceremony), except Labour Day, on which government
offices work; plus the extra holidays and working days an admin adds (the Cabinet announces
special holidays every year). Office hours are 08:30-16:30, Asia/Bangkok.

The deadline rule (the first day is not counted, as in the Civil and Commercial Code s.193/3):
a case received on a business day at or before 16:30 has that day as its day of receipt; one
received later, or on a day off, has the next business day. The deadline is 16:30 on the Nth
business day after the day of receipt.
"""
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from shared.times import BANGKOK

OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(16, 30)
RESOLUTION_TARGETS = {1: 1, 2: 3, 3: 10, 4: 30}  # kind -> business days (seed 003 s.7)


@lru_cache(maxsize=64)
def thai_government_holidays(year: int) -> dict:
    """{date: name} of the days Thai government offices are closed in `year` (weekends aside)."""
    days = holidays.country_holidays("TH", years=year, categories=("public", "government"),
                                     language="en_US")
    # Labour Day (and its substitute) is a holiday for employees, not for government offices
    return {day: name for day, name in days.items() if "Labor Day" not in name and "Labour Day" not in name}


class BusinessCalendar:
    """The official calendar plus a site's own extra holidays and working days."""

    def __init__(self, holidays=(), workdays=(), official=True):
        self.extra_holidays = frozenset(holidays)
        self.extra_workdays = frozenset(workdays)
        self.official = official

    def holiday_name(self, day: date):
        if day in self.extra_workdays:
            return None
        if day in self.extra_holidays:
            return "extra holiday"
        if self.official:
            return thai_government_holidays(day.year).get(day)
        return None

    def is_business_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day.weekday() >= 5:
            return False
        return self.holiday_name(day) is None

    def next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        for _ in range(count):
            day = self.next_business_day(day)
        return day

    def day_of_receipt(self, received_at: datetime) -> date:
        if received_at.tzinfo is None:
            raise ValueError("received_at must be timezone-aware")
        local = received_at.astimezone(BANGKOK)
        if self.is_business_day(local.date()) and local.time() <= OFFICE_CLOSES:
            return local.date()
        return self.next_business_day(local.date())

    def deadline(self, received_at: datetime, business_days: int) -> datetime:
        """16:30 Bangkok time on the `business_days`-th business day after the day of receipt."""
        if business_days < 0:
            raise ValueError("business_days must be >= 0")
        day = self.add_business_days(self.day_of_receipt(received_at), business_days)
        return closing_time(day)

    def business_seconds_between(self, start: datetime, end: datetime) -> int:
        """Office-hours seconds from start to end (negative if end is earlier)."""
        if end < start:
            return -self.business_seconds_between(end, start)
        start, end = start.astimezone(BANGKOK), end.astimezone(BANGKOK)
        total, day = 0, start.date()
        while day <= end.date():
            if self.is_business_day(day):
                opens = datetime.combine(day, OFFICE_OPENS, tzinfo=BANGKOK)
                closes = closing_time(day)
                lo, hi = max(opens, start), min(closes, end)
                if hi > lo:
                    total += int((hi - lo).total_seconds())
            day += timedelta(days=1)
        return total

    def add_business_seconds(self, start: datetime, seconds: int) -> datetime:
        """The moment `seconds` of office hours after `start`."""
        moment = start.astimezone(BANGKOK)
        day = moment.date()
        remaining = seconds
        while True:
            if self.is_business_day(day):
                lo = max(opening_time(day), moment)
                hi = closing_time(day)
                if hi > lo:
                    available = (hi - lo).total_seconds()
                    if remaining <= available:
                        return lo + timedelta(seconds=remaining)
                    remaining -= available
            day += timedelta(days=1)

    def business_days_between(self, start: datetime, end: datetime) -> int:
        """Whole business days after the day of receipt of `start` up to and including end's day."""
        first = self.day_of_receipt(start)
        last = end.astimezone(BANGKOK).date()
        count, day = 0, first
        while day < last:
            day = self.next_business_day(day)
            if day <= last:
                count += 1
        return count


def closing_time(day: date) -> datetime:
    return datetime.combine(day, OFFICE_CLOSES, tzinfo=BANGKOK)


def opening_time(day: date) -> datetime:
    return datetime.combine(day, OFFICE_OPENS, tzinfo=BANGKOK)


def resolution_target(kind: int, targets=None) -> int:
    targets = targets or RESOLUTION_TARGETS
    try:
        return int(targets[kind])
    except KeyError:
        raise ValueError(f"no resolution target for kind {kind!r}") from None
