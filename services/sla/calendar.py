"""Business days and deadlines, as a Thai government office counts them.

The deadline rule (the first day is not counted, as in the Civil and Commercial Code s.193/3):
a case received on a business day at or before 16:30 has that day as its day of receipt; one
received later, or on a day off, has the next business day. The deadline is 16:30 on the Nth
business day after the day of receipt. For now a business day is Monday to Friday; the Thai
public and government holidays join in `BusinessCalendar.is_business_day`.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(16, 30)
RESOLUTION_TARGETS = {1: 1, 2: 3, 3: 10, 4: 30}  # kind -> business days (seed 003 s.7)


class BusinessCalendar:
    def __init__(self, holidays=(), workdays=()):
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)

    def is_business_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
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
        day = self.day_of_receipt(received_at)
        for _ in range(business_days):
            day = self.next_business_day(day)
        return datetime.combine(day, OFFICE_CLOSES, tzinfo=BANGKOK)


def resolution_target(kind: int, targets=None) -> int:
    targets = targets or RESOLUTION_TARGETS
    try:
        return int(targets[kind])
    except KeyError:
        raise ValueError(f"no resolution target for kind {kind!r}") from None
