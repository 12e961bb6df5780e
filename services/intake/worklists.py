"""The officer console's lists: my queue, the triage queue and search, each only of cases the policy
lets the officer read.

The lists are of intake's case record (its copy of the lead unit and the deadline, which routing's and
sla's events keep). A query first narrows by role (site-wide roles: the site; unit roles: their units'
cases and those they recorded; intake officers: those they recorded), then every row is put to the
policy as the case page would be. A unit given a case as one of several (routing's assign_units) finds
it in its queue too: the queue asks routing which cases the officer's units work on.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import and_, false, or_, select

from services.intake import status as case_status
from services.intake.models import cases
from shared import policy
from shared.pages import BANGKOK
from shared.thai import clean_text

LIMIT = 200
SITE_WIDE = ("director", "committee", "officer_key")
UNIT_ROLES = ("unit_officer", "unit_head")
OPEN = tuple(s for s in case_status.STATUSES if not case_status.closes(s))
TRIAGE = (case_status.RECEIVED, case_status.REOPENED)


@dataclass
class Filters:
    """What an officer narrows a list by (all optional): words in the number, subject or description;
    received from/to (dates, Bangkok); status; channel; kind; the SLA colour (queue only)."""
    words: str = ""
    received_from: object = None
    received_to: object = None
    status: str = ""
    channel: str = ""
    kind: int = None
    colour: str = ""

    @classmethod
    def from_args(cls, args):
        def day(name):
            try:
                given = datetime.strptime((args.get(name) or "").strip(), "%Y-%m-%d").date()
            except ValueError:
                return None
            return given if 1900 <= given.year <= 9000 else None
        kind = (args.get("kind") or "").strip()
        return cls(words=clean_text(args.get("q") or "").strip()[:200], received_from=day("from"),
                   received_to=day("to"),
                   status=(args.get("status") or "").strip()[:40], channel=(args.get("channel") or "").strip()[:40],
                   kind=int(kind) if kind in ("1", "2", "3", "4") else None,
                   colour=(args.get("colour") or "").strip()[:10])


def _scope(actor):
    """The cases of the actor's role to look among, as a WHERE clause."""
    here = cases.c.site_id == actor.site_id
    if actor.role in SITE_WIDE:
        return and_(here, cases.c.kind.in_(policy.COMMITTEE_KINDS)) if actor.role == "committee" else here
    mine = cases.c.recorded_by == actor.name[:128]
    if actor.role in UNIT_ROLES:
        return and_(here, or_(cases.c.unit_id.in_(list(actor.units) or [""]), mine))
    if actor.role == "intake_officer":
        return and_(here, mine)
    return false()


def readable(actor, row, assigned=()):
    """Whether the policy lets the actor read the case, as the case page judges it: on intake's lead unit,
    and the actor's units too for a case in `assigned` (routing says those units work on it)."""
    units = ((row.unit_id,) if row.unit_id else ()) + (tuple(actor.units) if row.id in assigned else ())
    return actor.decide("read_case", row.site_id, units, row.recorded_by, bool(row.confidential),
                        row.kind) == policy.ALLOW


def _filtered(query, filters):
    if filters.words:
        like = f"%{filters.words.replace('%', '').replace('_', '')}%"
        query = query.where(or_(cases.c.tracking_number.ilike(like), cases.c.subject.ilike(like),
                                cases.c.description.ilike(like)))
    if filters.received_from:
        query = query.where(cases.c.received_at >= datetime.combine(filters.received_from, time(), BANGKOK))
    if filters.received_to:
        query = query.where(cases.c.received_at < datetime.combine(filters.received_to + timedelta(days=1), time(),
                                                                   BANGKOK))
    if filters.status:
        query = query.where(cases.c.status == filters.status)
    if filters.channel:
        query = query.where(cases.c.channel == filters.channel)
    if filters.kind:
        query = query.where(cases.c.kind == filters.kind)
    return query


def _rows(session, actor, query, assigned=()):
    return [row for row in session.execute(query.limit(LIMIT * 2)).all() if readable(actor, row, assigned)][:LIMIT]


def queue(session, actor, filters, days_left, assigned=()):
    """My queue: the open cases of the officer's units (site-wide roles: of the site), least time left
    first; `days_left` is {case_id: business days left} as sla counts them (none: not yet counted);
    `assigned`, the ids of the cases routing says the officer's units work on (as lead or support)."""
    scope = _scope(actor)
    assigned = set(assigned)
    if actor.role in UNIT_ROLES:
        mine = cases.c.unit_id.in_(list(actor.units) or [""])
        if assigned:
            mine = or_(mine, cases.c.id.in_(list(assigned)))
        scope = and_(cases.c.site_id == actor.site_id, mine)
    query = _filtered(select(cases).where(scope, cases.c.status.in_(OPEN)), filters).order_by(
        cases.c.due_at.is_(None), cases.c.due_at, cases.c.received_at)
    rows = [(row, days_left.get(row.id)) for row in _rows(session, actor, query, assigned)]
    rows.sort(key=lambda pair: (pair[1] is None, pair[1] if pair[1] is not None else 0))
    listed = [{"row": row, "days_left": left, "colour": colour(left)} for row, left in rows]
    return [item for item in listed if not filters.colour or item["colour"] == filters.colour]


def colour(days_left):
    """The SLA colour of business days left: red past the deadline, amber on its last day or the day
    before, green with more; grey when no clock runs (not yet routed, waiting, with another site)."""
    if days_left is None:
        return "grey"
    if days_left < 0:
        return "red"
    return "amber" if days_left <= 1 else "green"


def triage(session, actor, filters, triage_unit):
    """Cases waiting for a person to sort them: routing sent them to the triage unit (no rule matched,
    the model was unsure), or they are not routed yet; oldest first."""
    waiting = or_(cases.c.unit_id == triage_unit, and_(cases.c.unit_id.is_(None), cases.c.status.in_(TRIAGE)))
    query = _filtered(select(cases).where(_scope(actor), cases.c.status.in_(OPEN), waiting),
                      filters).order_by(cases.c.received_at)
    return _rows(session, actor, query)


def search(session, actor, filters):
    """Any of the officer's readable cases by number, words, dates, status, channel and kind, newest first."""
    query = _filtered(select(cases).where(_scope(actor)), filters).order_by(cases.c.received_at.desc())
    return _rows(session, actor, query)
