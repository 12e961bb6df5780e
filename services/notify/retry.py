"""When a delivery is tried again: plain rules (no nameko, no database)."""
import time
from datetime import timedelta
from email.utils import parsedate_to_datetime

MAX_WAIT = timedelta(hours=24)  # a Retry-After further off than this is taken as this


def retry_delay(attempts, retry_after=None) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s doubling to an hour, or longer when the
    channel asked for longer (Retry-After, in seconds; at most MAX_WAIT)."""
    delay = timedelta(seconds=min(30 * 2 ** (max(attempts, 1) - 1), 3600))
    if retry_after:
        delay = max(delay, min(timedelta(seconds=retry_after), MAX_WAIT))
    return delay


def retry_after_seconds(value):
    """Retry-After in seconds (a number, or an HTTP date from now); None when absent or unreadable."""
    if not value:
        return None
    value = str(value).strip()
    if value.isdigit():
        return int(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return max(0, int(moment.timestamp() - time.time()))
