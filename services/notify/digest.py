"""A unit's daily digest of its open cases: the rules, apart from nameko and the database.

Once a day, at NOTIFY.digest_at (Bangkok time, "08:00" by default; empty: no digest), on the site's
business days (sla's calendar), each unit the directory lists that has open cases hears them: its
running and paused clocks (resolution, an answer awaited from another site), soonest due first, each
with its tracking number, kind, deadline, state and business days left. A unit with nothing open is
not written to. One digest per unit and day however many notify processes run and however often they
look (the day's id claims it), sent on the channels the unit's `contacts` reach, like every notice to
the office; it is on no case's timeline. Like every notice to the office it names cases by tracking
number, never by complainant.
"""
import re
import uuid
from datetime import datetime, time

from services.notify import office
from shared.times import BANGKOK

DIGEST = "digest"
DEFAULT_AT = "08:00"
_IDS = uuid.UUID("4b0e8c52-3d5f-4a8e-9c71-2f6d1b0a9e33")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
STATUS_OF_STATE = {"open": "in_progress", "warned": "warned", "breached": "breached", "paused": "waiting"}


def parse_at(value):
    """NOTIFY.digest_at "HH:MM" (Bangkok) as a time, or None for no digest."""
    if value in (None, "", False):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return time(value // 60, value % 60)  # YAML 1.1 reads an unquoted 8:00 as 480 (base 60)
    found = _HHMM.match(str(value).strip())
    if not found:
        raise ValueError(f"NOTIFY.digest_at must be HH:MM (Bangkok time), or empty for no digest, not {value!r}")
    return time(int(found.group(1)), int(found.group(2)))


def due_day(now, at):
    """The Bangkok day whose digest is due at `now` (its time `at` has come), or None."""
    if at is None:
        return None
    local = now.astimezone(BANGKOK)
    return local.date() if local.time() >= at else None


def event_for(site_id, day):
    """The day's digest as an event: its id claims it, once a site and day."""
    return {"event_id": str(uuid.uuid5(_IDS, f"{site_id}:{day.isoformat()}")), "case_id": None,
            "day": day.isoformat()}


def case_ids(workload):
    """The cases of sla's open_clocks_by_unit answer, each once: whose tracking numbers to ask intake."""
    return sorted({clock["case_id"] for clocks in (workload or {}).get("units", {}).values() for clock in clocks})


def notices(workload, numbers, directory):
    """The day's OfficeNotices: one per unit the directory lists that has open cases. `workload` is
    sla's open_clocks_by_unit answer, `numbers` {case id: tracking number} (a case with none is left
    out: it is not here)."""
    found = []
    for unit_id, clocks in sorted((workload or {}).get("units", {}).items()):
        if not office.unit_of(directory, unit_id):  # a site a case was forwarded to, a unit since removed
            continue
        cases, seen = [], set()
        for clock in sorted(clocks, key=lambda c: (c["due_at"] or "", c["case_id"])):
            number = numbers.get(clock["case_id"])
            if number is None or clock["case_id"] in seen:
                continue
            seen.add(clock["case_id"])
            cases.append({"tracking_number": number, "kind": clock.get("kind"),
                          "due_at": datetime.fromisoformat(clock["due_at"]) if clock.get("due_at") else None,
                          "business_days_left": clock.get("business_days_left"),
                          "status": STATUS_OF_STATE.get(clock.get("state"), clock.get("state"))})
        if cases:
            found.append(office.OfficeNotice(
                DIGEST, office.UNIT, unit_id, f"unit {unit_id}", tuple(office.unit_contacts(directory, unit_id)),
                {"unit_name": office.unit_name(directory, unit_id), "cases": cases}))
    return found
