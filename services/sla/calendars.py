"""The admin's extra holidays and working days, per site ("*" for the default all sites share)."""
from datetime import date, datetime, time, timezone

from sqlalchemy import delete, extract, or_, select

from services.sla.calendar import BusinessCalendar, thai_government_holidays

from shared.times import BANGKOK
from services.sla.exceptions import CalendarError
from services.sla.models import calendar_days
from shared.times import utcnow

DEFAULT_SITE = "*"
KINDS = ("holiday", "workday")


def load(session, site_id):
    """The business calendar of a site: the official one, the shared extra days, then its own."""
    rows = session.execute(select(calendar_days.c.site_id, calendar_days.c.day, calendar_days.c.kind)
                           .where(calendar_days.c.site_id.in_([DEFAULT_SITE, site_id]))).all()
    chosen = {}
    for row in sorted(rows, key=lambda r: r.site_id != DEFAULT_SITE):  # a site's own day wins
        chosen[row.day] = row.kind
    return BusinessCalendar(holidays=[d for d, k in chosen.items() if k == "holiday"],
                            workdays=[d for d, k in chosen.items() if k == "workday"])


class Calendars:
    """Loads each site's calendar once per unit of work."""

    def __init__(self, session):
        self.session = session
        self._cache = {}

    def __call__(self, site_id):
        if site_id not in self._cache:
            self._cache[site_id] = load(self.session, site_id)
        return self._cache[site_id]


def parse_day(text):
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise CalendarError(f"{text!r} is not a date like 2026-05-01") from None


def put_day(tx, day, kind, name, site_id=DEFAULT_SITE):
    """Add (or replace) an extra holiday or working day; returns the days a clock must be rechecked for."""
    if kind not in KINDS:
        raise CalendarError(f"kind must be one of {', '.join(KINDS)}")
    day = parse_day(day)
    name = (name or "").strip()
    if not name:
        raise CalendarError("a name is required (e.g. the Cabinet resolution)")
    tx.session.execute(delete(calendar_days).where(calendar_days.c.site_id == site_id,
                                                   calendar_days.c.day == day))
    tx.session.execute(calendar_days.insert().values(site_id=site_id, day=day, kind=kind, name=name,
                                                     created_at=utcnow()))
    return day


def remove_day(tx, day, site_id=DEFAULT_SITE):
    day = parse_day(day)
    removed = tx.session.execute(delete(calendar_days).where(calendar_days.c.site_id == site_id,
                                                             calendar_days.c.day == day)).rowcount
    if not removed:
        raise CalendarError(f"no extra day on {day} for site {site_id}")
    return day


def listing(session, year, site_id=DEFAULT_SITE):
    """Every day off and extra working day of a year: official ones and the admin's, in date order."""
    calendar = load(session, site_id)
    extra = session.execute(
        select(calendar_days).where(calendar_days.c.site_id.in_([DEFAULT_SITE, site_id]),
                                    or_(extract("year", calendar_days.c.day) == year))).all()
    days = {day: {"day": day.isoformat(), "kind": "holiday", "name": name, "source": "official"}
            for day, name in thai_government_holidays(year).items() if day.weekday() < 5}
    for row in sorted(extra, key=lambda r: r.site_id != DEFAULT_SITE):
        days[row.day] = {"day": row.day.isoformat(), "kind": row.kind, "name": row.name,
                         "source": "site" if row.site_id != DEFAULT_SITE else "admin"}
    return [entry for day, entry in sorted(days.items())
            if entry["kind"] == "workday" or not calendar.is_business_day(day)]


def day_bounds(day):
    """The UTC instants a Bangkok date begins and ends."""
    start = datetime.combine(day, time(0), tzinfo=BANGKOK).astimezone(timezone.utc)
    end = datetime.combine(day, time(23, 59, 59), tzinfo=BANGKOK).astimezone(timezone.utc)
    return start, end
