"""What intake limits, and when it refuses: anonymous cases per address, a client app's cases per key,
wrong access codes per address, per tracking number and per both, and officers' failed logins the same
way (per address, per username and per both); and how long an officer's session lasts. Plain code: the counting is done
in intake's database by services/intake/counters.py; docs/operations.md#limits explains the figures.

Every count is kept in a fixed window of time (a quarter of an hour, an hour, a Bangkok day), aligned
on Bangkok's clock: a count is "this many in the window that began at start", and a client refused
waits until the window ends (Retry-After).

Access codes (8 characters of 31: 31**8 = 852,891,037,441 codes) are checked only after the attempt
has been counted, and a wrong one stays counted; a right one is not. A look-up is refused, before its
code is checked, when counting it takes
  - its address past `lookup_failures` wrong codes in the window (any numbers): an address scanning;
  - the pair (address, number) past `lookup_failures_per_number` in the window: that address waits
    for that number only, and the office's other complainants behind the same address do not;
  - its number past `daily_failures_per_number` wrong codes today (all addresses together), and its
    address has already tried that number today: past its daily figure a number takes one try a
    day from each address, so its complainant, from an address that has not been guessing, still
    gets in with the right code.
"""
import ipaddress
import math
from dataclasses import dataclass

BANGKOK_OFFSET = 7 * 3600  # windows are aligned on Bangkok's clock: a day is a Bangkok day
DAY = 86_400


@dataclass(frozen=True)
class Counter:
    """One count: what is counted (`key`, stored only as a keyed fingerprint) in the window [start, end)."""
    key: str
    start: int
    end: int


def window(now: float, seconds: int, key: str) -> Counter:
    """The counter of `key` for the fixed window of `seconds` that holds the moment `now` (epoch seconds)."""
    start = int((now + BANGKOK_OFFSET) // seconds * seconds - BANGKOK_OFFSET)
    return Counter(key, start, start + seconds)


def wait(counter: Counter, now: float) -> int:
    """Whole seconds until the counter's window ends (Retry-After), at least 1."""
    return max(1, math.ceil(counter.end - now))


def client_key(address: str) -> str:
    """The address as counted: an IPv4 address as it is; an IPv6 address by its /64 network, which one
    machine usually holds whole (and an IPv4-mapped one as its IPv4 address); anything else as given."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "-").strip()[:64] or "-"
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def tracking_key(tracking_number: str) -> str:
    return (tracking_number or "").strip().upper()


@dataclass(frozen=True)
class LookupCounters:
    """The four counts a wrong access code adds one to."""
    address: Counter    # the address, any numbers, this window
    pair: Counter       # the address and the number, this window
    number: Counter     # the number, all addresses, today
    pair_day: Counter   # the address and the number, today

    def all(self):
        return (self.address, self.pair, self.number, self.pair_day)  # always in this order (row locks)


def _four(now, seconds, what, whole, client, name):
    """The four counts of an attempt at `name` (a tracking number, a username) from `client`: the
    address and the pair in windows of `seconds`, `name` from everywhere and the pair in the day."""
    return LookupCounters(
        address=window(now, seconds, f"{what}-address:{client}"),
        pair=window(now, seconds, f"{what}-pair:{client}:{name}"),
        number=window(now, DAY, f"{what}-{whole}:{name}"),
        pair_day=window(now, DAY, f"{what}-pair-day:{client}:{name}"))


# INTAKE.* settings and their defaults (docs/operations.md#limits; both deploy files)
DEFAULTS = {
    "lookup_window": 900,               # seconds: the window of the first two look-up counts
    "lookup_failures": 30,              # wrong codes from one address, any numbers, per window
    "lookup_failures_per_number": 5,    # wrong codes from one address for one number, per window
    "daily_failures_per_number": 20,    # wrong codes for one number from all addresses, per Bangkok day
    "cases_window": 3600,               # seconds: the window of the case counts
    "cases_per_address": 30,            # anonymous POST /api/v1/cases per address, per window (0: no limit)
    "cases_per_client_key": 600,        # Open311 POST requests per client app's key, per window (0: no limit)
    "login_window": 900,                # seconds: the window of the first two login counts
    "login_failures_per_address": 50,   # failed logins from one address, any usernames, per window
    "login_failures_per_account": 5,    # failed logins for one username from one address, per window
    "daily_login_failures": 20,         # failed logins for one username from all addresses, per Bangkok day
    "login_tries_under_attack": 3,      # past that, tries a day for that username from each address
    "session_idle": 1800,               # seconds: a session unused this long has ended
    "session_max": 36000,               # seconds: a session ends this long after its login, however busy
    "approval_valid": 86400,            # seconds: an approved look at a confidential complainant lasts
}
LONGEST_SESSION = 7 * DAY
MAY_BE_OFF = {"cases_per_address", "cases_per_client_key"}


@dataclass(frozen=True)
class Limits:
    lookup_window: int = DEFAULTS["lookup_window"]
    lookup_failures: int = DEFAULTS["lookup_failures"]
    lookup_failures_per_number: int = DEFAULTS["lookup_failures_per_number"]
    daily_failures_per_number: int = DEFAULTS["daily_failures_per_number"]
    cases_window: int = DEFAULTS["cases_window"]
    cases_per_address: int = DEFAULTS["cases_per_address"]
    cases_per_client_key: int = DEFAULTS["cases_per_client_key"]
    login_window: int = DEFAULTS["login_window"]
    login_failures_per_address: int = DEFAULTS["login_failures_per_address"]
    login_failures_per_account: int = DEFAULTS["login_failures_per_account"]
    daily_login_failures: int = DEFAULTS["daily_login_failures"]
    login_tries_under_attack: int = DEFAULTS["login_tries_under_attack"]
    session_idle: int = DEFAULTS["session_idle"]
    session_max: int = DEFAULTS["session_max"]
    approval_valid: int = DEFAULTS["approval_valid"]

    @classmethod
    def from_settings(cls, section):
        """The INTAKE section's limits, checked; ValueError says which setting is wrong."""
        section = section or {}
        values = {}
        for name, default in DEFAULTS.items():
            value = section.get(name)
            value = default if value is None or value == "" else value
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ValueError(f"INTAKE.{name} must be a whole number, not {value!r}") from None
            if value < 0 or (value == 0 and name not in MAY_BE_OFF):
                raise ValueError(f"INTAKE.{name} must be more than 0"
                                 + (" (0 turns it off)" if name in MAY_BE_OFF else ""))
            if name.endswith("_window") and value > DAY:
                raise ValueError(f"INTAKE.{name} must be a day (86400 s) at most")
            if name in ("session_idle", "session_max", "approval_valid") and value > LONGEST_SESSION:
                raise ValueError(f"INTAKE.{name} must be a week ({LONGEST_SESSION} s) at most")
            values[name] = value
        if values["session_idle"] > values["session_max"]:
            raise ValueError("INTAKE.session_idle must not be longer than INTAKE.session_max")
        return cls(**values)

    # -- access codes -------------------------------------------------------------------------

    def lookup_counters(self, address, tracking_number, now) -> LookupCounters:
        return _four(now, self.lookup_window, "lookup", "number", client_key(address), tracking_key(tracking_number))

    def lookup_wait(self, counters: LookupCounters, counts, now) -> int:
        """Seconds to wait (0: check the code) for a look-up whose attempt makes the counts `counts`
        (address, pair, number, pair_day: each including this attempt)."""
        address, pair, number, pair_day = counts
        waits = []
        if address > self.lookup_failures:
            waits.append(wait(counters.address, now))
        if pair > self.lookup_failures_per_number:
            waits.append(wait(counters.pair, now))
        if number > self.daily_failures_per_number and pair_day > 1:
            waits.append(wait(counters.pair_day, now))
        return max(waits, default=0)

    # -- new cases ----------------------------------------------------------------------------

    def case_counter(self, now, address=None, client_key_id=None):
        """The count an anonymous case (by address) or a client app's (by its key) adds one to, and
        its limit; None when that limit is off. Officers' cases are not counted."""
        if client_key_id is not None:
            limit, key = self.cases_per_client_key, f"cases-key:{client_key_id}"
        else:
            limit, key = self.cases_per_address, f"cases-address:{client_key(address)}"
        if not limit:
            return None
        return window(now, self.cases_window, key), limit

    @staticmethod
    def case_wait(counter: Counter, limit, count, now) -> int:
        """Seconds to wait (0: take the case) when this case makes the count `count`."""
        return wait(counter, now) if count > limit else 0

    # -- officers' logins -----------------------------------------------------------------------

    def login_counters(self, address, username, now) -> LookupCounters:
        """A login's counts, as a look-up's: the address, the (address, username) pair, the username
        from everywhere today, the pair today. A username is counted whether or not there is such an
        account, so the answers say nothing of which usernames exist."""
        return _four(now, self.login_window, "login", "account", client_key(address),
                     (username or "").strip().lower()[:64])

    def login_wait(self, counters: LookupCounters, counts, now) -> int:
        """Seconds to wait (0: check the password) for a login whose attempt makes `counts` (each
        including this attempt). Past its daily figure a username (under attack from many addresses)
        takes `login_tries_under_attack` tries a day from each address: its officer, from an address
        that has not been guessing, still logs in; the guessers' addresses wait until tomorrow."""
        address, pair, account, pair_day = counts
        waits = []
        if address > self.login_failures_per_address:
            waits.append(wait(counters.address, now))
        if pair > self.login_failures_per_account:
            waits.append(wait(counters.pair, now))
        if account > self.daily_login_failures and pair_day > self.login_tries_under_attack:
            waits.append(wait(counters.pair_day, now))
        return max(waits, default=0)
