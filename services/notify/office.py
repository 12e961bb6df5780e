"""Who at the office hears of a case, and when: the rules, apart from nameko and the database.

- a unit given a case (case_routed, case_rerouted, case_units_assigned) hears it is theirs: the
  directory's `contacts` of that unit (services/routing/directory.py);
- a unit hears each warning (a deadline near) and breach (a deadline passed) of its case's clocks;
- each escalation goes to the holder of the role the standard names (SLA.escalations): the role as
  the unit itself names it, else as the unit above it names it (`parent`, upwards), else as the
  directory names it for the whole site. A role with no contacts is logged as `no_contact`, once.

What they are told is the office's own words about the case: its tracking number, unit, kind and
deadline. Never the complainant's name or contacts, nor any text the complainant wrote; so a message
about a confidential case carries nothing that identifies its complainant either.

Quiet hours (NOTIFY.quiet_hours, e.g. "20:00-07:00", Bangkok time): a notice that is not urgent (a
new case, a warning) found in them waits for their end; a breach or an escalation goes at once.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from shared.times import BANGKOK

URGENT = ("breach", "escalation")
# the audiences of notify's deliveries: the complainant's notices, and the office's
UNIT, ROLE = "unit", "role"
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class OfficeNotice:
    """One notice to the office about an event: to every contact of a unit, or of a role's holder."""
    purpose: str             # assigned | warning | breach | escalation
    audience: str            # unit | role
    key: str                 # which unit (or role) of the event, so each is logged once
    who: str                 # the unit or role, as a delivery that reaches nobody says
    contacts: tuple          # ((channel, address), ...)
    notice: dict = field(default_factory=dict)  # what the message says
    role: str = None
    send_after: datetime = None  # held back by quiet hours until then


def to_unit(purpose, event, directory, tracking_number, unit_id, now=None, quiet_hours=None, business_days=None):
    """A notice of `purpose` (assigned, warning, breach) to the contacts of `unit_id`."""
    notice = notice_for(purpose, {**event, "unit_id": unit_id}, directory, tracking_number,
                        business_days=business_days)
    return OfficeNotice(purpose, UNIT, unit_id, f"unit {unit_id}", tuple(unit_contacts(directory, unit_id)),
                        notice, send_after=quiet_until(now, quiet_hours, purpose) if now else None)


def to_role(event, directory, tracking_number):
    """An escalation (sla_escalated) to whoever holds the role it names, for the clock's unit."""
    title, contacts = role_holder(directory, event["unit_id"], event["role"])
    notice = notice_for("escalation", event, directory, tracking_number, role_title=title)
    return OfficeNotice("escalation", ROLE, event["role"], f"role {event['role']} of unit {event['unit_id']}",
                        tuple(contacts), notice, role=event["role"])


def unit_of(directory, unit_id):
    """The unit's entry in the directory's plain form (routing's `directory` RPC), or {}."""
    return (directory.get("units") or {}).get(unit_id) or {}


def unit_name(directory, unit_id):
    """The unit's Thai name; a unit the directory no longer lists (or a site, for a forwarded case's
    clock) is named by its id."""
    return unit_of(directory, unit_id).get("name_th") or unit_id


def unit_contacts(directory, unit_id):
    """[(channel, address), ...] of the unit's contacts."""
    return [(c["channel"], c["address"]) for c in unit_of(directory, unit_id).get("contacts") or ()]


def role_holder(directory, unit_id, role):
    """(title, [(channel, address), ...]) of who holds `role` for the unit: the unit's own, else the
    nearest unit above it that names one, else the site's. (None, []) when nobody does."""
    seen, current = set(), unit_id
    while current and current not in seen:
        seen.add(current)
        unit = unit_of(directory, current)
        holder = (unit.get("roles") or {}).get(role)
        if holder:
            return holder["title"], [(c["channel"], c["address"]) for c in holder.get("contacts") or ()]
        current = unit.get("parent")
    holder = (directory.get("roles") or {}).get(role)
    if holder:
        return holder["title"], [(c["channel"], c["address"]) for c in holder.get("contacts") or ()]
    return None, []


def reachable(contacts, channels):
    """The contacts a configured channel can reach, in the directory's order."""
    return [(channel, address) for channel, address in contacts if channel in channels]


def parse_quiet_hours(value):
    """NOTIFY.quiet_hours "HH:MM-HH:MM" (may wrap past midnight) as (start, end) times, or None."""
    if value in (None, "", False):
        return None
    parts = str(value).replace(" ", "").split("-")
    matches = [_HHMM.match(p) for p in parts] if len(parts) == 2 else []
    if len(matches) != 2 or not all(matches):
        raise ValueError(f"NOTIFY.quiet_hours must be HH:MM-HH:MM (Bangkok time), not {value!r}")
    start, end = (time(int(m.group(1)), int(m.group(2))) for m in matches)
    if start == end:
        raise ValueError("NOTIFY.quiet_hours: start and end are the same time")
    return start, end


def quiet_until(now, quiet_hours, purpose):
    """When a notice of `purpose` made at `now` may go: None (at once), or the end of the quiet hours
    it falls in (an aware datetime)."""
    if quiet_hours is None or purpose in URGENT:
        return None
    start, end = quiet_hours
    local = now.astimezone(BANGKOK)
    clock = local.time()
    if start < end:
        inside = start <= clock < end
    else:  # wraps past midnight
        inside = clock >= start or clock < end
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=BANGKOK)


def notice_for(purpose, event, directory, tracking_number, role_title=None, business_days=None):
    """What a notice to the office says (all of it the office's own): see messages' officer purposes."""
    notice = {"tracking_number": tracking_number, "unit_name": unit_name(directory, event["unit_id"])}
    if purpose == "assigned":
        notice.update(kind=event.get("kind"), due_at=None, business_days=business_days)
    else:
        notice.update(target=event["target"], due_at=event["due_at"])
    if purpose == "escalation":
        notice.update(role=event["role"], role_title=role_title, step=event["step"])
    return notice
