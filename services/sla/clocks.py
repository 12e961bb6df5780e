"""SLA's use cases: start, sweep, pause, resume, stop, reopen and re-time the clocks of cases.

Each step of a clock (warning, breach, each escalation) is recorded in `clock_steps` under its
(clock, step) key in the same transaction as its event, so it happens exactly once, however
often or late the sweep runs; its event is stamped with the step's true time.
"""
import uuid

from sqlalchemy import and_, func, select, update

from services.sla import clock_states
from services.sla.calendar import closing_time
from services.sla.calendars import DEFAULT_SITE, Calendars, day_bounds, put_day, remove_day
from services.sla.exceptions import NotStartedYet
from services.sla.models import clock_steps, clocks
from services.sla.policy import BUSINESS_DAY_TARGETS, business_days_left, describe_time_left, time_left
from shared import events
from shared.store import insert_ignoring_duplicates
from shared.times import BANGKOK

STEP_EVENTS = {"warning": events.SLA_WARNING, "breach": events.SLA_BREACHED, "escalation": events.SLA_ESCALATED}
START_TARGETS = ("resolution", "first_notice")


def start_clocks(tx, event, policy):
    """case_routed: start the case's clocks from its receipt; a re-route only moves them to the new unit."""
    session = tx.session
    calendar = Calendars(session)(event["site_id"])
    started = []
    for target in START_TARGETS:
        existing = session.execute(select(clocks.c.id).where(
            clocks.c.case_id == event["case_id"], clocks.c.target == target)).first()
        if existing:
            session.execute(update(clocks).where(clocks.c.case_id == event["case_id"], clocks.c.target == target,
                                                 clocks.c.stopped_at.is_(None))
                            .values(unit_id=event["unit_id"]))
            continue
        started.append(_start(tx, event["case_id"], event["site_id"], target, event["kind"], event["unit_id"],
                              event["received_at"], 0, calendar, policy))
    return started


def _start(tx, case_id, site_id, target, kind, unit_id, started_at, generation, calendar, policy):
    due_at = policy.deadline(calendar, target, kind, started_at)
    first = policy.steps(calendar, target, started_at, due_at)[0]
    clock_id = str(uuid.uuid4())
    tx.session.execute(clocks.insert().values(
        id=clock_id, case_id=case_id, site_id=site_id, target=target, generation=generation, kind=kind,
        unit_id=unit_id, business_days=policy.target_days(target, kind), started_at=started_at, due_at=due_at,
        state=clock_states.OPEN, paused_business_days=0, next_step=0, next_check_at=first.at, updated_at=started_at))
    tx.emit(events.SLA_CLOCK_STARTED, case_id=case_id, clock_id=clock_id, target=target, kind=kind,
            unit_id=unit_id, started_at=started_at, due_at=due_at, business_days=policy.target_days(target, kind))
    return clock_id


def sweep(tx, now, policy, limit=500):
    """Fire every step that has come due, for at most `limit` clocks; returns what fired."""
    session = tx.session
    query = (select(clocks).where(clocks.c.next_check_at <= now)
             .order_by(clocks.c.next_check_at).limit(limit))
    if session.get_bind().dialect.name == "postgresql":  # several sla processes share the sweep
        query = query.with_for_update(skip_locked=True)
    calendars = Calendars(session)
    fired = []
    for row in session.execute(query).all():
        fired += _advance(tx, row, now, policy, calendars(row.site_id))
    return fired


def _advance(tx, row, now, policy, calendar):
    steps = policy.steps(calendar, row.target, row.started_at, row.due_at)
    fired, next_step = [], row.next_step
    for step in steps[row.next_step:]:
        if step.at > now:
            break
        recorded = insert_ignoring_duplicates(tx.session, clock_steps, {
            "clock_id": row.id, "step": step.index, "name": step.name, "role": step.role or None,
            "due_at": step.at, "fired_at": now})
        if recorded:
            extra = {"step": step.number, "role": step.role} if step.name == "escalation" else {}
            tx.emit(STEP_EVENTS[step.name], case_id=row.case_id, occurred_at=step.at, clock_id=row.id,
                    target=row.target, kind=row.kind, unit_id=row.unit_id, due_at=row.due_at, **extra)
            fired.append({"step": step.name, "site_id": row.site_id, "unit_id": row.unit_id, "kind": row.kind,
                          "target": row.target})
        next_step = step.index + 1
    tx.session.execute(update(clocks).where(clocks.c.id == row.id).values(
        next_step=next_step, state=clock_states.running(next_step), updated_at=now,
        next_check_at=steps[next_step].at if next_step < len(steps) else None))
    return fired


def _case_clocks(session, case_id, where, lock=True):
    query = select(clocks).where(clocks.c.case_id == case_id, where)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.execute(query).all()


def pause(tx, case_id, now, reason=""):
    """Waiting for the complainant: business-day clocks stop counting until resumed."""
    paused = []
    for row in _case_clocks(tx.session, case_id, and_(clocks.c.state.in_(clock_states.RUNNING),
                                                      clocks.c.target.in_(BUSINESS_DAY_TARGETS))):
        tx.session.execute(update(clocks).where(clocks.c.id == row.id).values(
            state=clock_states.pause(row.state), paused_at=now, next_check_at=None, updated_at=now))
        tx.emit(events.SLA_CLOCK_PAUSED, case_id=case_id, occurred_at=now, clock_id=row.id, target=row.target,
                kind=row.kind, unit_id=row.unit_id, due_at=row.due_at, reason=reason[:200])
        paused.append(row.id)
    return paused


def resume(tx, case_id, now, policy):
    """The complainant answered: the business days the clock stood still are added to its deadline."""
    calendars = Calendars(tx.session)
    resumed = []
    for row in _case_clocks(tx.session, case_id, clocks.c.state == clock_states.PAUSED):
        calendar = calendars(row.site_id)
        added = calendar.business_days_between(row.paused_at, now)
        paused_days = row.paused_business_days + added
        due_at = policy.deadline(calendar, row.target, row.kind, row.started_at, paused_days)
        _retime(tx, row, due_at, calendar, policy, now, clock_states.resume(row.state, row.next_step),
                paused_business_days=paused_days, paused_at=None)
        tx.emit(events.SLA_CLOCK_RESUMED, case_id=case_id, occurred_at=now, clock_id=row.id, target=row.target,
                kind=row.kind, unit_id=row.unit_id, due_at=due_at, paused_business_days=added)
        if due_at != row.due_at:
            tx.emit(events.SLA_DEADLINE_CHANGED, case_id=case_id, occurred_at=now, clock_id=row.id,
                    target=row.target, kind=row.kind, unit_id=row.unit_id, due_at=due_at,
                    previous_due_at=row.due_at, reason="paused")
        resumed.append(row.id)
    return resumed


def _retime(tx, row, due_at, calendar, policy, now, state, **values):
    """Give a clock a new deadline (and `state`); steps already fired stay fired, the rest move with it."""
    steps = policy.steps(calendar, row.target, row.started_at, due_at)
    next_at = None if state == clock_states.PAUSED or row.next_step >= len(steps) else steps[row.next_step].at
    tx.session.execute(update(clocks).where(clocks.c.id == row.id).values(
        due_at=due_at, next_check_at=next_at, updated_at=now, state=state, **values))


def stop(tx, case_id, now, targets=None):
    """The case is resolved or closed: its clocks stop, met or late. Returns what stopped."""
    where = clocks.c.stopped_at.is_(None)
    if targets:
        where = and_(where, clocks.c.target.in_(targets))
    calendars = Calendars(tx.session)
    stopped = []
    for row in _case_clocks(tx.session, case_id, where):
        state, outcome = clock_states.stop(row.state, in_time=now <= row.due_at)
        used = calendars(row.site_id).business_days_between(row.started_at, now)
        tx.session.execute(update(clocks).where(clocks.c.id == row.id).values(
            state=state, stopped_at=now, outcome=outcome, next_check_at=None, paused_at=None, updated_at=now))
        tx.emit(events.SLA_CLOCK_STOPPED, case_id=case_id, occurred_at=now, clock_id=row.id, target=row.target,
                kind=row.kind, unit_id=row.unit_id, due_at=row.due_at, outcome=outcome, business_days_used=used)
        stopped.append({"site_id": row.site_id, "kind": row.kind, "target": row.target, "business_days": used,
                        "outcome": outcome})
    return stopped


def reopen(tx, case_id, now, policy):
    """A reopened case gets new clocks, counted from the reopening."""
    calendars = Calendars(tx.session)
    started = []
    for target in START_TARGETS:
        last = tx.session.execute(select(clocks).where(clocks.c.case_id == case_id, clocks.c.target == target)
                                  .order_by(clocks.c.generation.desc()).limit(1)).first()
        if last is None or last.stopped_at is None:
            continue
        started.append(_start(tx, case_id, last.site_id, target, last.kind, last.unit_id, now,
                              last.generation + 1, calendars(last.site_id), policy))
    return started


def move_to_unit(tx, event):
    """case_rerouted: the running clocks follow the case to its new unit."""
    tx.session.execute(update(clocks).where(clocks.c.case_id == event["case_id"], clocks.c.stopped_at.is_(None))
                       .values(unit_id=event["unit_id"], updated_at=event["occurred_at"]))


def start_forward_clock(tx, event, policy):
    """case_forwarded: the other site's answer is due within the case's business days, counted from
    the forward; a case forwarded again gets a new generation."""
    last = tx.session.execute(select(clocks.c.generation, clocks.c.stopped_at).where(
        clocks.c.case_id == event["case_id"], clocks.c.target == "forward_answer")
        .order_by(clocks.c.generation.desc()).limit(1)).first()
    if last is not None and last.stopped_at is None:
        stop(tx, event["case_id"], event["occurred_at"], ("forward_answer",))
    calendar = Calendars(tx.session)(event["site_id"])
    return _start(tx, event["case_id"], event["site_id"], "forward_answer", event["record"]["kind"],
                  f"site:{event['to_site']}", event["occurred_at"], 0 if last is None else last.generation + 1,
                  calendar, policy)


def waive_first_notice(tx, event):
    """case_received of a referral: the site that forwarded the case tells the complainant of its
    progress, so no first-notice clock runs here. Whichever event comes first, the clock ends up
    superseded: one started already is stopped, and a placeholder keeps case_routed from starting it."""
    if not event.get("referral"):
        return None
    session = tx.session
    running = _case_clocks(session, event["case_id"],
                           and_(clocks.c.target == "first_notice", clocks.c.stopped_at.is_(None)))
    now = event["occurred_at"]
    for row in running:
        state, outcome = clock_states.supersede(row.state)
        session.execute(update(clocks).where(clocks.c.id == row.id).values(
            state=state, stopped_at=now, outcome=outcome, next_check_at=None, paused_at=None, updated_at=now))
        tx.emit(events.SLA_CLOCK_STOPPED, case_id=row.case_id, occurred_at=now, clock_id=row.id,
                target=row.target, kind=row.kind, unit_id=row.unit_id, due_at=row.due_at, outcome=outcome,
                business_days_used=0)
    if not running and not session.execute(select(clocks.c.id).where(
            clocks.c.case_id == event["case_id"], clocks.c.target == "first_notice")).first():
        state, outcome = clock_states.supersede()
        session.execute(clocks.insert().values(
            id=str(uuid.uuid4()), case_id=event["case_id"], site_id=event["site_id"], target="first_notice",
            generation=0, kind=event["kind"], unit_id="", business_days=0, started_at=event["received_at"],
            due_at=event["received_at"], state=state, paused_business_days=0, next_step=0,
            next_check_at=None, stopped_at=event["received_at"], outcome=outcome, updated_at=now))
    return len(running)


def stop_on_answer(tx, event):
    """case_answered: the complainant is given the result; every running clock of the case stops."""
    return stop(tx, event["case_id"], event["occurred_at"])


def progress_told(tx, event):
    """notification_recorded: a notice that tells the complainant of progress, delivered, meets the
    first-notice clock (a failed or unaddressed one does not). It may overtake the case_routed that
    starts the clock (another queue): then it waits for it."""
    if (event["outcome"] != "delivered" or event["purpose"] not in events.PROGRESS_PURPOSES
            or event["audience"] != "complainant"):
        return []
    if tx.session.execute(select(clocks.c.id).where(clocks.c.case_id == event["case_id"],
                                                    clocks.c.target == "first_notice").limit(1)).first() is None:
        raise NotStartedYet(f"case {event['case_id']} has no first-notice clock yet")
    return stop(tx, event["case_id"], event["occurred_at"], ("first_notice",))


def pause_for_information(tx, event):
    return pause(tx, event["case_id"], event["occurred_at"], "waiting for the complainant")


def resume_after_information(tx, event, policy):
    return resume(tx, event["case_id"], event["occurred_at"], policy)


def reopen_disputed(tx, event, policy):
    """case_reopened: the disputed case's clocks start again from the reopening."""
    return reopen(tx, event["case_id"], event["occurred_at"], policy)


def kind_changed(tx, event, policy):
    """case_kind_changed: an officer corrected the kind. It may overtake the case_routed that starts
    the clocks (another queue): then it waits for it, instead of the clocks starting on the old kind."""
    if tx.session.execute(select(clocks.c.id).where(clocks.c.case_id == event["case_id"]).limit(1)).first() is None:
        raise NotStartedYet(f"case {event['case_id']} has no clocks yet")
    return change_kind(tx, event["case_id"], event["kind"], event["occurred_at"], policy)


def change_kind(tx, case_id, kind, now, policy):
    """The kind was corrected: deadlines are computed again from receipt with the new target."""
    calendars = Calendars(tx.session)
    changed = []
    for row in _case_clocks(tx.session, case_id, and_(clocks.c.stopped_at.is_(None),
                                                      clocks.c.target.in_(BUSINESS_DAY_TARGETS))):
        calendar = calendars(row.site_id)
        due_at = policy.deadline(calendar, row.target, kind, row.started_at, row.paused_business_days)
        _retime(tx, row, due_at, calendar, policy, now, clock_states.retimed(row.state, row.next_step), kind=kind,
                business_days=policy.target_days(row.target, kind))
        tx.emit(events.SLA_DEADLINE_CHANGED, case_id=case_id, occurred_at=now, clock_id=row.id, target=row.target,
                kind=kind, unit_id=row.unit_id, due_at=due_at, previous_due_at=row.due_at, reason="kind_changed")
        changed.append(row.id)
    return changed


def change_calendar(tx, action, day, policy, now, kind=None, name=None, site_id=DEFAULT_SITE):
    """Add or remove an extra day, then re-time the running clocks whose span covers it."""
    day = put_day(tx, day, kind, name, site_id) if action == "put" else remove_day(tx, day, site_id)
    start, end = day_bounds(day)
    where = and_(clocks.c.stopped_at.is_(None), clocks.c.target.in_(BUSINESS_DAY_TARGETS),
                 clocks.c.started_at <= end, clocks.c.due_at >= start)
    if site_id != DEFAULT_SITE:
        where = and_(where, clocks.c.site_id == site_id)
    calendars = Calendars(tx.session)
    changed = 0
    for row in tx.session.execute(select(clocks).where(where)).all():
        calendar = calendars(row.site_id)
        due_at = policy.deadline(calendar, row.target, row.kind, row.started_at, row.paused_business_days)
        if due_at == row.due_at:
            continue
        _retime(tx, row, due_at, calendar, policy, now, clock_states.retimed(row.state, row.next_step))
        tx.emit(events.SLA_DEADLINE_CHANGED, case_id=row.case_id, occurred_at=now, clock_id=row.id,
                target=row.target, kind=row.kind, unit_id=row.unit_id, due_at=due_at,
                previous_due_at=row.due_at, reason="calendar")
        changed += 1
    return {"day": day.isoformat(), "clocks_changed": changed}


def case_clocks(session, case_id, now, policy):
    """Every clock of a case as a person reads it: state, deadline, time left, steps taken."""
    calendars = Calendars(session)
    rows = session.execute(select(clocks).where(clocks.c.case_id == case_id)
                           .order_by(clocks.c.generation, clocks.c.target)).all()
    fired = {}
    for step in session.execute(select(clock_steps).where(clock_steps.c.clock_id.in_([r.id for r in rows]))
                                .order_by(clock_steps.c.step)).all():
        fired.setdefault(step.clock_id, []).append(
            {"step": step.name, "role": step.role, "at": _local(step.due_at)})
    view = []
    for row in rows:
        business = row.target in BUSINESS_DAY_TARGETS
        reference = row.stopped_at or (row.paused_at if row.state == clock_states.PAUSED else now)
        left = time_left(calendars(row.site_id), row.target, reference, row.due_at)
        view.append({"target": row.target, "generation": row.generation, "state": row.state,
                     "started_at": _local(row.started_at), "due_at": _local(row.due_at),
                     "business_days": row.business_days if business else None,
                     "paused_business_days": row.paused_business_days, "outcome": row.outcome,
                     "time_left_seconds": left, "time_left": describe_time_left(left, business),
                     "steps": fired.get(row.id, [])})
    return view


BY_CLOCK = (clocks.c.site_id, clocks.c.unit_id, clocks.c.kind, clocks.c.target)


def open_clock_counts(session):
    """Running and paused clocks by site, unit, kind, target and state: one grouped query."""
    rows = session.execute(select(*BY_CLOCK, clocks.c.state, func.count()).where(clocks.c.stopped_at.is_(None))
                           .group_by(*BY_CLOCK, clocks.c.state)).all()
    return [tuple(r) for r in rows]


def due_soon_counts(session, now):
    """Running clocks (not paused) due from now to the close of the next business day at their site, by
    site, unit, kind and target (0 for a group with clocks running but none due so soon): one grouped
    query per site."""
    calendars = Calendars(session)
    today = now.astimezone(BANGKOK).date()
    counts = []
    sites = session.execute(select(clocks.c.site_id).where(clocks.c.stopped_at.is_(None)).distinct()).scalars()
    for site in list(sites):
        until = closing_time(calendars(site).next_business_day(today))
        counts += [tuple(r) for r in session.execute(
            select(*BY_CLOCK, func.count()).where(
                clocks.c.site_id == site, clocks.c.stopped_at.is_(None), clocks.c.state != clock_states.PAUSED,
                clocks.c.due_at > now, clocks.c.due_at <= until).group_by(*BY_CLOCK)).all()]
    counted = {tuple(r[:-1]): r[-1] for r in counts}
    return [(*group, counted.get(tuple(group), 0)) for group in _running_groups(session)]


STEP_NAMES = ("warning", "breach", "escalation")
STOP_OUTCOMES = (clock_states.MET, clock_states.LATE)


def _running_groups(session):
    """The groups (site, unit, kind, target) with a clock not stopped."""
    return [tuple(g) for g in session.execute(select(*BY_CLOCK).where(clocks.c.stopped_at.is_(None)).distinct())]


def _with_zeros(session, rows, values):
    """`rows` (group..., value, count), and a 0 for every value a group of clocks still running has none
    of. A counter's series so exists before its first event can happen (a step fires on a running clock,
    a clock stops from running), and Prometheus's increase() sees that event; a group whose clocks have
    all stopped keeps only the series it counted, not a row of zeros for every unit and kind it ever had."""
    counted = {tuple(r[:-1]): r[-1] for r in rows}
    zeros = {(*group, value): 0 for group in _running_groups(session) for value in values}
    return [(*key, count) for key, count in {**zeros, **counted}.items()]


def step_counts(session):
    """Every warning, breach and escalation ever fired, by site, unit (the clock's now), kind, target and
    step: counted from the steps recorded, so every process of sla says the same, before and after a restart."""
    rows = session.execute(select(*BY_CLOCK, clock_steps.c.name, func.count())
                           .select_from(clock_steps.join(clocks, clocks.c.id == clock_steps.c.clock_id))
                           .group_by(*BY_CLOCK, clock_steps.c.name)).all()
    return _with_zeros(session, rows, STEP_NAMES)


def stopped_counts(session):
    """Clocks stopped met or late (not superseded), by site, unit, kind, target and outcome."""
    rows = session.execute(select(*BY_CLOCK, clocks.c.outcome, func.count())
                           .where(clocks.c.outcome.in_(STOP_OUTCOMES))
                           .group_by(*BY_CLOCK, clocks.c.outcome)).all()
    return _with_zeros(session, rows, STOP_OUTCOMES)


def open_by_unit(session, now, site_id=DEFAULT_SITE, limit=5000):
    """What each unit has before it, for its daily digest: the running and paused clocks of business-day
    targets (resolution; an answer awaited from another site), soonest due first, each with its case,
    kind, deadline, state and business days left (policy.business_days_left: 0 due today, negative
    overdue; a paused clock's as of its pause), and whether
    today is a business day at `site_id`."""
    calendars = Calendars(session)
    units = {}
    rows = session.execute(select(clocks).where(clocks.c.stopped_at.is_(None),
                                                clocks.c.target.in_(BUSINESS_DAY_TARGETS))
                           .order_by(clocks.c.due_at, clocks.c.case_id).limit(limit)).all()
    for row in rows:
        reference = row.paused_at if row.state == clock_states.PAUSED and row.paused_at else now
        left = business_days_left(calendars(row.site_id), reference, row.due_at)
        units.setdefault(row.unit_id, []).append({
            "case_id": row.case_id, "target": row.target, "kind": row.kind, "due_at": _local(row.due_at),
            "state": row.state, "business_days_left": left})
    return {"business_day": calendars(site_id).is_business_day(now.astimezone(BANGKOK).date()), "units": units}


def _local(moment):
    return moment.astimezone(BANGKOK).isoformat() if moment else None

