"""Routing's use cases: decide each case's unit (or answer it from the knowledge base), and the
officers' actions on it: confirm, re-route, ask the complainant for more, give it to several
units at once and follow each unit's status."""
from sqlalchemy import delete, select, update

from services.routing import case_states, unit_states
from services.routing.decide import decide
from services.routing.exceptions import RoutingError
from services.routing.kinds import decide_kind
from services.routing.models import assignments, case_units
from services.routing.records import log_action, routed_case
from shared import events
from shared.times import utcnow

MAX_UNITS = 10


def route_case(tx, event, settings):
    """case_received: answer an inquiry from the knowledge base, or decide its unit and say why."""
    now = utcnow()
    text = f"{event['subject']}\n{event['description']}"
    kind = decide_kind(text, event["kind"])
    answer = settings.knowledge.answer_for(text, kind.kind, settings.kb_threshold) if settings.knowledge else None
    if answer:
        entry, score = answer
        _record(tx, event, entry.unit_id or settings.directory.triage_unit.id, f"knowledge base: {entry.id}",
                "knowledge", score, None, kind, case_states.routed(answered_from_kb=True), text, now)
        tx.emit(events.CASE_ANSWERED_FROM_KB, case_id=event["case_id"], tracking_number=event["tracking_number"],
                entry_id=entry.id, answer=entry.answer, score=score)
        return None
    decision = decide(event["subject"], event["description"], event["kind"], settings.directory, settings.model,
                      settings.threshold)
    _record(tx, event, decision.unit.id, decision.reason, decision.method, decision.score, decision.model_version,
            kind, case_states.routed(triage=decision.triage), text, now)
    tx.emit(events.CASE_ROUTED, case_id=event["case_id"], tracking_number=event["tracking_number"],
            kind=decision.kind, received_at=event["received_at"], unit_id=decision.unit.id,
            unit_name=decision.unit.name_th, reason=decision.reason, method=decision.method, score=decision.score,
            model_version=decision.model_version, kind_reason=decision.kind_reason)
    if decision.triage:
        tx.emit(events.CASE_TRIAGE_NEEDED, case_id=event["case_id"], tracking_number=event["tracking_number"],
                reason=decision.reason, candidates=[list(c) for c in decision.candidates])
    return decision


def _record(tx, event, unit_id, reason, method, score, model_version, kind, status, text, now):
    referral = event.get("referral") or {}
    tx.session.execute(assignments.insert().values(
        case_id=event["case_id"], tracking_number=event["tracking_number"], unit_id=unit_id, reason=reason,
        method=method, score=score, model_version=model_version, kind=kind.kind, kind_reason=kind.reason,
        status=status, text=text, assigned_at=now, updated_at=now, referral_site=referral.get("site_id"),
        referral_case_id=referral.get("case_id"), referral_tracking_number=referral.get("tracking_number")))
    tx.session.execute(case_units.insert().values(
        case_id=event["case_id"], unit_id=unit_id, role=unit_states.LEAD,
        status=unit_states.lead_status(answered_from_kb=status == case_states.ANSWERED),
        assigned_at=now, updated_at=now))


def confirm(tx, case_id, officer):
    """The officer agrees with the unit: a confirmed routing, for the indicators and retraining."""
    row = routed_case(tx.session, case_id)
    log_action(tx, case_id, "confirm", officer)
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id)
                       .values(status=case_states.CONFIRMED, updated_at=utcnow()))
    tx.emit(events.CASE_ROUTING_CONFIRMED, case_id=case_id, tracking_number=row.tracking_number,
            unit_id=row.unit_id, officer=officer.strip()[:128])
    return {"case_id": case_id, "unit_id": row.unit_id, "status": case_states.CONFIRMED}


def reroute(tx, case_id, unit_id, reason, officer, directory):
    """Move the case to another unit, with a reason (the 'forwarded correctly' indicator counts these)."""
    row = routed_case(tx.session, case_id)
    unit = directory.units.get(unit_id)
    if unit is None:
        raise RoutingError(f"unknown unit {unit_id!r}")
    if unit_id == row.unit_id:
        raise RoutingError(f"the case is already with {unit_id}")
    if not reason or not reason.strip():
        raise RoutingError("a re-route needs a reason")
    log_action(tx, case_id, "reroute", officer, f"{row.unit_id} -> {unit_id}: {reason.strip()}")
    now = utcnow()
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id).values(
        unit_id=unit_id, method="officer", reason=f"officer: {reason.strip()}", status=case_states.REROUTED,
        updated_at=now))
    # the new unit leads (a supporting unit is promoted); the old lead is off the case
    tx.session.execute(delete(case_units).where(case_units.c.case_id == case_id,
                                                case_units.c.unit_id.in_((row.unit_id, unit_id))))
    tx.session.execute(case_units.insert().values(case_id=case_id, unit_id=unit_id, role=unit_states.LEAD,
                                                  status=unit_states.ASSIGNED, assigned_at=now, updated_at=now))
    tx.emit(events.CASE_REROUTED, case_id=case_id, tracking_number=row.tracking_number, from_unit_id=row.unit_id,
            unit_id=unit_id, unit_name=unit.name_th, reason=reason.strip()[:500], officer=officer.strip()[:128])
    return {"case_id": case_id, "unit_id": unit_id, "status": case_states.REROUTED}


def change_kind(tx, case_id, kind, reason, officer):
    """An officer corrects the case's kind, either way: every service follows the event (intake's
    record, the deadlines computed again from receipt, the timeline says who and why)."""
    if isinstance(kind, bool) or kind not in events.KINDS:
        raise RoutingError("a kind is 1, 2, 3 or 4")
    if not isinstance(reason, str) or not reason.strip():
        raise RoutingError("a change of kind needs a reason")
    row = routed_case(tx.session, case_id)
    if row.method == "knowledge":
        raise RoutingError("the case was answered from the knowledge base: it has no deadline to follow a kind")
    if row.kind == kind:
        raise RoutingError(f"the case is already kind {kind}")
    log_action(tx, case_id, "change_kind", officer, f"{row.kind} -> {kind}: {reason.strip()}")
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id).values(
        kind=kind, kind_reason=f"officer {officer.strip()[:100]}: {reason.strip()[:300]}", updated_at=utcnow()))
    tx.emit(events.CASE_KIND_CHANGED, case_id=case_id, tracking_number=row.tracking_number, kind=kind,
            previous_kind=row.kind, reason=reason.strip()[:500], officer=officer.strip()[:128])
    return {"case_id": case_id, "kind": kind, "previous_kind": row.kind}


def request_info(tx, case_id, question, officer):
    """Ask the complainant for more: the SLA clock pauses until the answer is recorded."""
    row = routed_case(tx.session, case_id)
    if not question or not question.strip():
        raise RoutingError("say what the complainant should provide")
    status = case_states.request_info(row.status)
    log_action(tx, case_id, "request_info", officer, question.strip())
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id)
                       .values(status=status, updated_at=utcnow()))
    tx.emit(events.CASE_INFO_REQUESTED, case_id=case_id, tracking_number=row.tracking_number,
            officer=officer.strip()[:128], question=question.strip()[:2000])
    return {"case_id": case_id, "status": status}


def info_received(tx, case_id, officer):
    row = routed_case(tx.session, case_id)
    status = case_states.info_received(row.status)
    log_action(tx, case_id, "info_received", officer)
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id)
                       .values(status=status, updated_at=utcnow()))
    tx.emit(events.CASE_INFO_RECEIVED, case_id=case_id, tracking_number=row.tracking_number,
            officer=officer.strip()[:128])
    return {"case_id": case_id, "status": status}


COMPLAINANT_BY = {"email": "ผู้ร้อง (ตอบกลับทางอีเมล)", "line": "ผู้ร้อง (ตอบกลับทาง LINE)"}


def reply_received(tx, event):
    """case_reply_received: the complainant answered the question the case waits on; taken as the
    information received (the clocks run again). A case no longer waiting (an officer recorded the
    answer first) is left as it is."""
    row = tx.session.execute(select(assignments.c.status).where(assignments.c.case_id == event["case_id"])).first()
    if not event["answers_request"] or row is None or row.status != case_states.WAITING:
        return None
    return info_received(tx, event["case_id"], COMPLAINANT_BY[event["channel"]])


def confirmed_examples(session):
    """(text, unit) of every routing an officer confirmed or corrected: what retraining learns from."""
    rows = session.execute(select(assignments.c.text, assignments.c.unit_id)
                           .where(assignments.c.status.in_(case_states.TAUGHT),
                                  assignments.c.text.is_not(None))).all()
    return [(r.text, r.unit_id) for r in rows]


def assign_units(tx, case_id, unit_ids, reason, officer, directory):
    """Give the case to more units at once; each gets its own status, the lead unit stays the lead."""
    row = routed_case(tx.session, case_id)
    if not isinstance(unit_ids, (list, tuple)) or not unit_ids or not all(isinstance(u, str) for u in unit_ids):
        raise RoutingError("name the units to assign, as a list of unit ids")
    wanted = list(dict.fromkeys(u.strip() for u in unit_ids))
    if len(wanted) > MAX_UNITS:
        raise RoutingError(f"at most {MAX_UNITS} units at once")
    unknown = [u for u in wanted if u not in directory.units]
    if unknown:
        raise RoutingError(f"unknown unit {', '.join(map(repr, unknown))}")
    if not reason or not reason.strip():
        raise RoutingError("say why the case needs these units")
    case_states.take_units(row.status)
    current = {u.unit_id: u for u in tx.session.execute(
        select(case_units).where(case_units.c.case_id == case_id)).all()}
    already = [u for u in wanted if u in current and unit_states.on_the_case(current[u].status)]
    if already:
        raise RoutingError(f"already on the case: {', '.join(already)}")
    log_action(tx, case_id, "assign_units", officer, f"{', '.join(wanted)}: {reason.strip()}")
    now = utcnow()
    for unit_id in wanted:
        if unit_id in current:
            tx.session.execute(update(case_units).where(case_units.c.case_id == case_id,
                                                        case_units.c.unit_id == unit_id)
                               .values(status=unit_states.ASSIGNED, note=None, updated_at=now))
        else:
            tx.session.execute(case_units.insert().values(case_id=case_id, unit_id=unit_id, role=unit_states.SUPPORT,
                                                          status=unit_states.ASSIGNED, assigned_at=now, updated_at=now))
    tx.emit(events.CASE_UNITS_ASSIGNED, case_id=case_id, tracking_number=row.tracking_number,
            units=[{"unit_id": u, "unit_name": directory.units[u].name_th,
                    "role": current[u].role if u in current else unit_states.SUPPORT} for u in wanted],
            reason=reason.strip()[:500], officer=officer.strip()[:128])
    return units_of(tx.session, case_id)


def set_unit_status(tx, case_id, unit_id, status, officer, note=None):
    """One unit's part moves on: in_progress, answered (with what it found), or withdrawn."""
    row = routed_case(tx.session, case_id)
    part = tx.session.execute(select(case_units).where(case_units.c.case_id == case_id,
                                                       case_units.c.unit_id == unit_id)).first()
    if part is None:
        raise RoutingError(f"unit {unit_id!r} is not on the case")
    note = unit_states.move(unit_id, part.role, part.status, status, note)
    log_action(tx, case_id, "unit_status", officer,
               f"{unit_id}: {part.status} -> {status}" + (f": {note}" if note else ""))
    tx.session.execute(update(case_units).where(case_units.c.case_id == case_id, case_units.c.unit_id == unit_id)
                       .values(status=status, note=note, updated_at=utcnow()))
    tx.emit(events.CASE_UNIT_STATUS_CHANGED, case_id=case_id, tracking_number=row.tracking_number, unit_id=unit_id,
            status=status, previous_status=part.status, note=note, officer=officer.strip()[:128])
    return units_of(tx.session, case_id)


def cases_of_units(session, unit_ids, limit=5000):
    """The cases the units still work on (assigned or in progress, as lead or support): their ids."""
    units = [str(u)[:64] for u in (unit_ids or ())][:100]
    if not units:
        return []
    return list(session.execute(select(case_units.c.case_id).where(
        case_units.c.unit_id.in_(units), case_units.c.status.in_((unit_states.ASSIGNED, unit_states.IN_PROGRESS)))
        .distinct().limit(limit)).scalars())


def units_of(session, case_id):
    """The case's units, the lead first, each with its status."""
    rows = session.execute(select(case_units).where(case_units.c.case_id == case_id)
                           .order_by(case_units.c.role, case_units.c.assigned_at, case_units.c.unit_id)).all()
    return {"case_id": case_id, "units": [
        {"unit_id": r.unit_id, "role": r.role, "status": r.status, "note": r.note,
         "assigned_at": r.assigned_at.isoformat(), "updated_at": r.updated_at.isoformat()} for r in rows]}
