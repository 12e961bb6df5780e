"""Reporting's use cases: fold every case event into the read model, and answer from it."""
import uuid

from sqlalchemy import func, select, update

from services.reporting import timeline
from services.reporting.models import case_events, case_summaries
from shared.store import insert_ignoring_duplicates
from shared.times import local_iso, utcnow


def record_event(tx, event, source, event_type):
    session = tx.session
    now = utcnow()
    _add_entry(session, event["event_id"], event["case_id"], source, event_type, event["occurred_at"],
               timeline.summary(event_type, event))
    fields = timeline.summary_fields(event_type, event)
    status = timeline.STATUS_BY_EVENT.get(event_type)
    created = insert_ignoring_duplicates(session, case_summaries, dict(
        case_id=event["case_id"], site_id=event["site_id"], status=status or "received", updated_at=now,
        **fields))
    if created:  # the first event of a case, whichever it is, indexes it
        _add_entry(session, str(uuid.uuid4()), event["case_id"], "reporting", "case_indexed", now,
                   timeline.summary("case_indexed", event))
        return
    # events of one case arrive on several queues at once: serialise on the summary row
    current = session.execute(select(case_summaries.c.status).where(
        case_summaries.c.case_id == event["case_id"]).with_for_update()).one()
    later = {k: v for k, v in fields.items() if k not in timeline.FIRST_ONLY.get(event_type, ())}
    session.execute(update(case_summaries).where(case_summaries.c.case_id == event["case_id"]).values(
        status=timeline.later_status(current.status, status), updated_at=now, **later))


def _add_entry(session, event_id, case_id, service, event_type, occurred_at, text):
    session.execute(case_events.insert().values(
        event_id=event_id, case_id=case_id, service=service, event_type=event_type,
        occurred_at=occurred_at, summary=text))


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
