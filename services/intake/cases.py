"""Intake's use cases: record a complaint, keep the case record current, show it to its owner."""
import uuid
from datetime import datetime

from sqlalchemy import case, select, update

from services.intake import tracking
from services.intake.models import cases, complainants, tracking_sequences
from shared.events import CASE_RECEIVED
from shared.store import insert_ignoring_duplicates, utcnow

BANGKOK = tracking.BANGKOK


def next_sequence(session, site_id, fiscal_year):
    """The next number of a site's fiscal year, safe under concurrent writers."""
    insert_ignoring_duplicates(session, tracking_sequences,
                               {"site_id": site_id, "fiscal_year": fiscal_year, "last_value": 0})
    return session.execute(
        update(tracking_sequences)
        .where(tracking_sequences.c.site_id == site_id, tracking_sequences.c.fiscal_year == fiscal_year)
        .values(last_value=tracking_sequences.c.last_value + 1)
        .returning(tracking_sequences.c.last_value)
    ).scalar_one()


def receive_case(tx, data, now=None):
    """Record a complaint and emit case_received; returns what the complainant is told."""
    now = now or utcnow()
    session = tx.session
    case_id = str(uuid.uuid4())
    fiscal_year = tracking.fiscal_year_be(now)
    number = tracking.format_tracking_number(tx.site_id, fiscal_year,
                                             next_sequence(session, tx.site_id, fiscal_year))
    access_code = tracking.new_access_code()

    contact = {k: v for k, v in (data.get("complainant") or {}).items() if v}
    complainant_id = None
    if contact:
        complainant_id = str(uuid.uuid4())
        session.execute(complainants.insert().values(id=complainant_id, created_at=now, **contact))

    session.execute(cases.insert().values(
        id=case_id, tracking_number=number, access_code_hash=tracking.hash_access_code(access_code, case_id),
        site_id=tx.site_id, channel=data["channel"], kind=data["kind"], subject=data["subject"],
        description=data["description"], complainant_id=complainant_id, status="received",
        received_at=now, updated_at=now,
    ))
    tx.emit(CASE_RECEIVED, case_id=case_id, occurred_at=now, tracking_number=number,
            channel=data["channel"], kind=data["kind"], subject=data["subject"],
            description=data["description"], received_at=now, complainant_ref=complainant_id,
            contact_channels=[c for c in ("email", "phone") if contact.get(c)])
    return {"case_id": case_id, "tracking_number": number, "access_code": access_code,
            "status": "received", "received_at": _local(now)}


def record_routing(tx, event):
    """case_routed: the case now has a unit; a received case becomes routed (a later status stays)."""
    tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
        unit_id=event["unit_id"], unit_name=event["unit_name"], updated_at=utcnow(),
        status=case((cases.c.status == "received", "routed"), else_=cases.c.status)))


def record_deadline(tx, event):
    if event["target"] == "resolution":
        tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
            due_at=event["due_at"], updated_at=utcnow()))


def find_for_owner(session, tracking_number, access_code):
    """The case behind a tracking number and its access code; None if either is wrong."""
    row = session.execute(select(cases).where(cases.c.tracking_number == tracking_number.strip().upper())).first()
    if row is None or not access_code or not tracking.access_code_matches(access_code, row.id, row.access_code_hash):
        return None
    return row


def public_view(row, timeline, clocks=None):
    """What the complainant may see: no personal data."""
    return {
        "tracking_number": row.tracking_number,
        "status": row.status,
        "channel": row.channel,
        "kind": row.kind,
        "subject": row.subject,
        "received_at": _local(row.received_at),
        "unit": {"id": row.unit_id, "name": row.unit_name} if row.unit_id else None,
        "deadline": _local(row.due_at) if row.due_at else None,
        "clocks": clocks,
        "timeline": timeline,
    }


def contact_for_notice(session, case_id):
    """How to reach a case's complainant, for notify only; {} when they left no contact."""
    row = session.execute(
        select(complainants.c.name, complainants.c.email, complainants.c.phone, cases.c.tracking_number)
        .select_from(cases.join(complainants, cases.c.complainant_id == complainants.c.id))
        .where(cases.c.id == case_id)).first()
    if row is None:
        return {}
    return {k: v for k, v in row._asdict().items() if v}


def _local(moment: datetime):
    return moment.astimezone(BANGKOK).isoformat() if moment else None


