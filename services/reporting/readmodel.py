"""Reporting's use cases: fold every case event into the read model, and answer from it.

Every event is kept as it was heard (case_events, with its body), and what reporting derives from
the events (case_summaries) can be rebuilt from them (`rebuild`, `rongtuk reporting rebuild`), in the
order they were heard: the same result as folding them as they came.
"""
import json
import uuid

from sqlalchemy import func, select, update

from services.reporting import figures, timeline
from services.reporting.exceptions import ReportingError
from services.reporting.models import case_events, case_figures, case_summaries
from shared import events as contract
from shared.store import insert_ignoring_duplicates
from shared.times import local_iso, utcnow


def record_event(tx, event, source, event_type):
    session = tx.session
    now = utcnow()
    _add_entry(session, event["event_id"], event["case_id"], source, event_type, event["occurred_at"],
               timeline.summary(event_type, event), body=_body(event))
    if _fold(session, event, event_type, now):  # the first event of a case, whichever it is, indexes it
        _add_entry(session, str(uuid.uuid4()), event["case_id"], "reporting", "case_indexed", now,
                   timeline.summary("case_indexed", event))
    _fold_figures(session, event, source, event_type)


def rebuild(tx):
    """Fold every stored event again, in the order they were heard, into empty case_summaries and
    case_figures.
    Returns how many events were folded. Refused (ReportingError) while any event heard before
    bodies were kept (reporting_0003) is stored: what it said would be lost. A summary's updated_at
    becomes the time of its last event."""
    session = tx.session
    heard = session.execute(select(case_events.c.service, case_events.c.event_type, case_events.c.body)
                            .where(case_events.c.service != "reporting").order_by(case_events.c.seq)).all()
    without = sum(1 for row in heard if row.body is None)
    if without:
        raise ReportingError(f"{without} stored event(s) were heard before their bodies were kept: rebuilding "
                             f"would lose what they said")
    session.execute(case_summaries.delete())
    session.execute(case_figures.delete())
    for row in heard:
        event = contract.load(row.service, row.event_type, json.loads(row.body))
        _fold(session, event, row.event_type, event["occurred_at"])
        _fold_figures(session, event, row.service, row.event_type)
    return len(heard)


def _fold_figures(session, event, source, event_type):
    """The case's figures after `event` (services/reporting/figures.py), the row locked while it is
    changed: events of one case arrive on several queues at once."""
    first = figures.fold(None, source, event_type, event)
    if insert_ignoring_duplicates(session, case_figures, {"case_id": event["case_id"], **first}):
        return
    where = case_figures.c.case_id == event["case_id"]
    row = session.execute(select(case_figures).where(where).with_for_update()).mappings().one()
    after = figures.fold({name: row[name] for name in figures.EMPTY}, source, event_type, event)
    session.execute(update(case_figures).where(where).values(**after))


def _body(event):
    return json.dumps(event, ensure_ascii=False, default=lambda value: value.isoformat())


def _fold(session, event, event_type, now):
    """Fold one event into its case's summary; True when it made the summary (the case's first)."""
    fields = timeline.summary_fields(event_type, event)
    status = timeline.STATUS_BY_EVENT.get(event_type)
    created = insert_ignoring_duplicates(session, case_summaries, dict(
        case_id=event["case_id"], site_id=event["site_id"], status=status or "received", updated_at=now,
        **fields))
    if created:
        return True
    # events of one case arrive on several queues at once: serialise on the summary row
    current = session.execute(select(case_summaries.c.status).where(
        case_summaries.c.case_id == event["case_id"]).with_for_update()).one()
    later = {k: v for k, v in fields.items() if k not in timeline.FIRST_ONLY.get(event_type, ())}
    session.execute(update(case_summaries).where(case_summaries.c.case_id == event["case_id"]).values(
        status=timeline.later_status(current.status, status), updated_at=now, **later))
    return False


def _add_entry(session, event_id, case_id, service, event_type, occurred_at, text, body=None):
    session.execute(case_events.insert().values(
        event_id=event_id, case_id=case_id, service=service, event_type=event_type,
        occurred_at=occurred_at, summary=text, body=body))


def case_timeline(session, case_id):
    rows = session.execute(
        select(case_events.c.occurred_at, case_events.c.service, case_events.c.event_type,
               case_events.c.summary)
        .where(case_events.c.case_id == case_id)
        .order_by(case_events.c.occurred_at, case_events.c.seq)).all()
    return [{"at": local_iso(row.occurred_at), "service": row.service,
             "event": row.event_type, "summary": row.summary} for row in rows]


def status_counts(session):
    rows = session.execute(select(case_summaries.c.status, func.count())
                           .group_by(case_summaries.c.status)).all()
    return {status: count for status, count in rows}
