"""Time as Rongtuk keeps and shows it: stored in UTC, shown and counted in Bangkok.

Every moment stored or carried in an event is timezone-aware UTC (`utcnow`); what people read, and
what is counted in days (deadlines, a day's limits), is Bangkok's clock (`BANGKOK`, UTC+7, no
daylight saving).
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def utcnow():
    """Now, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def local_iso(moment, timespec="auto"):
    """A moment as Bangkok's ISO 8601 text (2026-12-01T10:30:00+07:00); None for None."""
    return moment.astimezone(BANGKOK).isoformat(timespec=timespec) if moment is not None else None


def local_date(moment):
    """The Bangkok date of a moment."""
    return moment.astimezone(BANGKOK).date()


def parse_local(text):
    """A date or moment as people type it (ISO 8601): Bangkok's unless it gives its own offset; a date
    is its Bangkok midnight. ValueError for anything else."""
    try:
        moment = datetime.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"not a date or moment (ISO 8601, e.g. 2026-12-01 or 2026-12-01T09:30): {text!r}") from None
    return moment.replace(tzinfo=BANGKOK) if moment.tzinfo is None else moment
