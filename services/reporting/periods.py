"""Reporting periods and how official documents write numbers and dates (seed 003 s.12-13, seed 004).

The fiscal year runs October to September and is named by its Buddhist Era year: ปีงบประมาณ
พ.ศ. 2569 is 1 October 2025 to 30 September 2026. Its first half is October to March, its second
April to September. A period is the Bangkok days it covers, as moments [start, end) in UTC, so that
a case received at 23:30 on 31 March in Bangkok belongs to the first half.

Official documents print Thai digits (๒๕๖๙) and Buddhist Era dates (๑ ตุลาคม ๒๕๖๘) by default.
A plain module: no framework, no database.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from shared.times import BANGKOK

BE_OFFSET = 543                     # Buddhist Era year = Common Era year + 543
EARLIEST_FISCAL_YEAR = 2500         # 1956-57: older figures are not Rongtuk's
LATEST_FISCAL_YEAR = 2700
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.",
                     "ธ.ค.")


class PeriodError(ValueError):
    """A fiscal year or half that cannot be a reporting period; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """A fiscal year, or one half of it (half 1: October-March, half 2: April-September)."""
    fiscal_year: int        # Buddhist Era, e.g. 2569
    half: int | None = None

    def __post_init__(self):
        if not isinstance(self.fiscal_year, int) or isinstance(self.fiscal_year, bool) \
                or not EARLIEST_FISCAL_YEAR <= self.fiscal_year <= LATEST_FISCAL_YEAR:
            raise PeriodError(f"a fiscal year is a Buddhist Era year from {EARLIEST_FISCAL_YEAR} to "
                              f"{LATEST_FISCAL_YEAR}, not {self.fiscal_year!r}")
        if self.half not in (None, 1, 2):
            raise PeriodError(f"half is 1 (October-March) or 2 (April-September), not {self.half!r}")

    @property
    def first_day(self) -> date:
        ce = self.fiscal_year - BE_OFFSET  # the CE year the fiscal year ends in
        return date(ce - 1, 10, 1) if self.half in (None, 1) else date(ce, 4, 1)

    @property
    def last_day(self) -> date:
        ce = self.fiscal_year - BE_OFFSET
        return date(ce, 3, 31) if self.half == 1 else date(ce, 9, 30)

    @property
    def start(self) -> datetime:
        """The first moment of the period (Bangkok midnight of its first day), in UTC."""
        return _bangkok_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        """The first moment after the period, in UTC: the period is [start, end)."""
        return _bangkok_midnight(self.last_day + timedelta(days=1))

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def previous_year(self) -> "Period":
        """The same span of the fiscal year before (s.13 compares the number of complaints with it)."""
        return Period(self.fiscal_year - 1, self.half)

    def name(self, thai_digits=True) -> str:
        """How a document names it: "ปีงบประมาณ พ.ศ. ๒๕๖๙", "ครึ่งปีแรก (ตุลาคม ๒๕๖๘ - มีนาคม ๒๕๖๙)"."""
        year = f"ปีงบประมาณ พ.ศ. {self.fiscal_year}"
        if self.half is None:
            return digits(year, thai_digits)
        which = "ครึ่งปีแรก" if self.half == 1 else "ครึ่งปีหลัง"
        first, last = self.first_day, self.last_day
        span = (f"{THAI_MONTHS[first.month - 1]} {first.year + BE_OFFSET} - "
                f"{THAI_MONTHS[last.month - 1]} {last.year + BE_OFFSET}")
        return digits(f"{year} {which} ({span})", thai_digits)


def fiscal_year_of(moment) -> int:
    """The Buddhist Era fiscal year a moment (an aware datetime, read in Bangkok) or a date falls in."""
    day = moment.astimezone(BANGKOK).date() if isinstance(moment, datetime) else moment
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def period_of(moment, halves=True) -> Period:
    """The fiscal half (or, with halves=False, the fiscal year) a moment falls in."""
    day = moment.astimezone(BANGKOK).date() if isinstance(moment, datetime) else moment
    return Period(fiscal_year_of(day), (1 if day.month >= 10 or day.month <= 3 else 2) if halves else None)


def parse_period(fiscal_year, half=None) -> Period:
    """A period from query parameters or command options (text or numbers): `fiscal_year` in the
    Buddhist Era (Thai digits allowed), `half` 1 or 2 or absent. A Common Era year is refused with
    the Buddhist Era year it probably meant."""
    year = _whole_number("fiscal_year", fiscal_year)
    if year is None:
        raise PeriodError("fiscal_year is required: a Buddhist Era year such as 2569")
    if 1900 <= year < EARLIEST_FISCAL_YEAR:  # a Common Era year
        raise PeriodError(f"fiscal_year is in the Buddhist Era: {year + BE_OFFSET} for October {year - 1} - "
                          f"September {year}, not {year}")
    number = _whole_number("half", half)
    return Period(year, number)


def digits(text, thai=True) -> str:
    """The text with its digits as Thai digits (thai=True) or as Arabic digits."""
    return str(text).translate(THAI_DIGITS if thai else ARABIC_DIGITS)


def thai_date(day, thai_digits=True, short=False) -> str:
    """A date as official documents write it: "๑ ตุลาคม ๒๕๖๘" (short: "๑ ต.ค. ๒๕๖๘")."""
    if isinstance(day, datetime):
        day = day.astimezone(BANGKOK).date()
    month = (THAI_MONTHS_SHORT if short else THAI_MONTHS)[day.month - 1]
    return digits(f"{day.day} {month} {day.year + BE_OFFSET}", thai_digits)


def _bangkok_midnight(day):
    return datetime(day.year, day.month, day.day, tzinfo=BANGKOK).astimezone(timezone.utc)


def _whole_number(name, value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise PeriodError(f"{name} must be a whole number, not {value!r}")
    if isinstance(value, int):
        return value
    text = digits(str(value).strip(), thai=False)
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise PeriodError(f"{name} must be a whole number, not {str(value)[:20]!r}")
    return int(text)
