"""Notify's use cases: plan a notice, attempt it, record every outcome in the delivery log."""
import logging
import uuid
from datetime import timedelta

from sqlalchemy import or_, select, update

from services.notify import messages
from services.notify.models import deliveries
from shared.events import NOTIFICATION_RECORDED
from shared.store import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE_PENDING = timedelta(minutes=2)


def retry_delay(attempts):
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def acknowledged_elsewhere(event):
    """A case another site forwarded here: that site acknowledged it and will tell the result, with
    its own tracking number; a second notice from here would only confuse the complainant."""
    return event.get("referral") is not None


def plan_acknowledgment(tx, event, contact):
    """Log the acknowledgment of a new case; the id to send now, or None when there is no address."""
    return _plan(tx, event, contact, "acknowledgment",
                 messages.acknowledgment(event["tracking_number"], contact.get("name")))


def plan_kb_answer(tx, event, contact):
    """Log the knowledge base's answer to an inquiry; the id to send now, or None without an address."""
    return _plan(tx, event, contact, "kb_answer",
                 messages.kb_answer(event["tracking_number"], event["answer"], contact.get("name")))


def plan_result(tx, event, contact):
    """Log the result of a case for its complainant; the id to send now, or None without an address."""
    by = event["answered_by_site"] if event["answered_by_site"] != event["site_id"] else None
    return _plan(tx, event, contact, "result",
                 messages.result(event["tracking_number"], event["answer"], by, contact.get("name")))


def _plan(tx, event, contact, purpose, message):
    now = utcnow()
    delivery_id = str(uuid.uuid4())
    row = dict(id=delivery_id, case_id=event["case_id"], purpose=purpose, attempts=0,
               created_at=now, updated_at=now)
    channel, recipient = _reachable(contact)
    if not channel:
        tx.session.execute(deliveries.insert().values(status="no_contact", channel=None, **row))
        _record(tx, event["case_id"], delivery_id, None, "no_contact", 0, purpose)
        return None
    tx.session.execute(deliveries.insert().values(
        status="pending", channel=channel, recipient=recipient, subject=message.subject, body=message.body,
        next_attempt_at=now + STALE_PENDING, **row))
    return delivery_id


def _reachable(contact):
    """The channel to answer on: e-mail when given, else LINE (where the complaint came from)."""
    if contact.get("email"):
        return "email", contact["email"]
    if contact.get("line_user_id"):
        return "line", contact["line_user_id"]
    return None, None


def attempt(store, senders, delivery_id):
    """Send one logged delivery and record the outcome (never raises for a mail failure)."""
    with store.reading() as session:
        row = session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    if row is None or row.status not in ("pending", "failed"):
        return None
    error = None
    try:
        senders[row.channel].send(row.recipient, row.subject, row.body)
    except Exception as exc:  # SMTP or LINE down, refused, timed out: logged and retried later
        error = f"{type(exc).__name__}: {exc}"
        log.warning("delivery %s failed (attempt %d): %s", delivery_id, row.attempts + 1, type(exc).__name__)
    return store.run(record_attempt, delivery_id, error)


def record_attempt(tx, delivery_id, error):
    row = tx.session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    attempts = row.attempts + 1
    now = utcnow()
    status = "delivered" if error is None else "failed"
    next_at = None if error is None or attempts >= MAX_ATTEMPTS else now + retry_delay(attempts)
    tx.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
        status=status, attempts=attempts, last_error=error, updated_at=now, next_attempt_at=next_at))
    _record(tx, row.case_id, delivery_id, row.channel, status, attempts, row.purpose)
    return status


def due_for_retry(session, now=None, limit=100):
    """Failed deliveries whose retry time has come, and pending ones a crash left behind."""
    now = now or utcnow()
    return session.execute(
        select(deliveries.c.id)
        .where(deliveries.c.next_attempt_at <= now,
               or_(deliveries.c.status == "failed", deliveries.c.status == "pending"))
        .order_by(deliveries.c.next_attempt_at).limit(limit)).scalars().all()


def _record(tx, case_id, delivery_id, channel, outcome, attempts, purpose):
    tx.emit(NOTIFICATION_RECORDED, case_id=case_id, notification_id=delivery_id,
            purpose=purpose, channel=channel, outcome=outcome, attempts=attempts)
