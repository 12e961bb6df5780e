"""Notify's use cases: log a notice, get the complainant's address once, send it, record every outcome.

Asking intake for the address is itself recorded there (every look at a confidential case's
complainant is in its access log), so it is asked once per delivery, not once per delivery of the
event: the notice is logged in the transaction that claims its event, before the address is asked
for, and a redelivered event or a retried handler finds it there. A notice whose address never came
(intake away, the handler given up) waits as `awaiting_contact`, and the retry timer asks again.

What the log keeps (see docs/operations.md, Personal data): the case, the purpose, the channel and what
the notice said, all of it the office's own words; the address only sealed (services/notify/recipients.py).
Automatic notices (the acknowledgment, a knowledge-base answer: nobody at the office decided to send
them) go to one address at most NOTIFY.daily_notices_per_address times a day, counted in this
database by every notify process together; beyond that a delivery is logged as `not_sent`, with why.
"""
import json
import logging
import re
import uuid
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.notify import messages, office, webhooks
from services.notify.exceptions import SendRefused
from services.notify.models import address_counts, deliveries
from services.notify.retry import retry_delay
from shared.events import NOTIFICATION_RECORDED
from shared.store import inbox
from shared.times import utcnow
from shared.times import BANGKOK

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
STALE_PENDING = timedelta(minutes=2)
AWAITING_CONTACT = "awaiting_contact"
COMPLAINANT = "complainant"
WEBHOOK = "webhook"
NOT_SENT = "not_sent"
# notices that go out without anyone at the office deciding to send them: limited per address and day
AUTOMATIC = ("acknowledgment", "kb_answer", "routed")
# A delivery's id follows from its event and purpose, so every attempt at an event finds the same one.
_DELIVERY_IDS = uuid.UUID("c18b4acc-f4fe-4fa3-ac4e-bc4d944e6627")


def acknowledged_elsewhere(event):
    """A case another site forwarded here: that site acknowledged it and will tell the result, with
    its own tracking number; a second notice from here would only confuse the complainant."""
    return event.get("referral") is not None


# each channel notify sends on, and what of the complainant's contacts it needs (in the event's
# contact_channels, and as intake's contact_for_notice names it)
CONTACT_OF = {"email": ("email", "email"), "line": ("line", "line_user_id"), "sms": ("phone", "phone"),
              "letter": ("address", "address")}
# NOTIFY.channel_order unset; SMS only when configured, letters only when LETTERS names the office
DEFAULT_ORDER = ("email", "line", "sms", "letter")
LETTER, QUEUED = "letter", "queued"  # a letter is delivered when an officer has printed it
UNCONFIGURED = ("email", "line")           # what a site has without an SMS gateway


def gave_an_address(event, channels=UNCONFIGURED):
    """Whether a new case's complainant left an address a notice can go to on one of `channels` (those
    configured): if not, intake is not asked (and records nothing)."""
    return bool({CONTACT_OF[c][0] for c in channels if c in CONTACT_OF} & set(event["contact_channels"]))


def tells_routed(event):
    """case_routed: told, unless the case waits for triage (no unit to name yet)."""
    return event["method"] != "triage"


def tells_progress(event):
    """case_unit_status_changed: told when a unit starts work (its note is a working note, not told)."""
    return event["status"] == "in_progress" and event["previous_status"] == "assigned"


def business_days_for(resolution_days, kind):
    """The business days the site's standard gives a case of `kind` (SLA.resolution_days), or None."""
    days = {int(k): v for k, v in (resolution_days or {}).items()}
    return int(days[kind]) if days.get(kind) else None


def delivery_id_of(event, purpose):
    return str(uuid.uuid5(_DELIVERY_IDS, f"{purpose}:{event['event_id']}"))


def notice_of(event, purpose, business_days=None):
    """What the event gives a notice's message; kept with the delivery until the address is known.
    `business_days`: a routed notice's deadline, as the site's standard gives it for the case's kind."""
    notice = {"tracking_number": event["tracking_number"]}
    if purpose in ("kb_answer", "result"):
        notice["answer"] = event["answer"]
    if purpose == "result":
        notice["answered_by"] = event["answered_by_site"] if event["answered_by_site"] != event["site_id"] else None
    if purpose == "routed":
        notice["unit_name"] = event["unit_name"]
        notice["business_days"] = business_days
    if purpose == "info_request":
        notice["question"] = event["question"]
    if purpose == "survey":
        notice["survey_url"] = event["survey_url"]
    return notice


def survey_url(template, tracking_number):
    """NOTIFY.survey_url with the case's tracking number put in ({tracking_number}); None when the site
    asks no survey. Never the access code: a link is forwarded, kept in histories and logs."""
    if not template:
        return None
    return str(template).replace("{tracking_number}", tracking_number)


def message_for(purpose, notice, channel=None, wording=None):
    """The notice's words from the office's templates (messages.py): the office's own, whoever the
    complainant said they were. `wording`: the site's NOTIFY settings (templates, thai_digits, english)."""
    return messages.compose(purpose, notice, channel, **(wording or {}))


def notify(store, senders, recipients, contact_of, event, purpose, ask_contact=True, business_days=None,
           wording=None):
    """Tell the complainant about `event`, once however often it is delivered or its handler retried.

    `contact_of(case_id, delivery_id, purpose)` asks intake for the address (which records a look at
    a confidential case once per delivery); it is called only for a delivery still waiting for one,
    after the claim is committed. When it fails the handler fails, and its retry, a
    redelivery or the retry timer asks again: that notice is not lost."""
    delivery_id = store.run(log_notice, event, purpose, store.handler_name, ask_contact, business_days)
    if delivery_id is None:
        return None
    return _address_and_send(store, senders, recipients, contact_of(event["case_id"], delivery_id, purpose),
                             delivery_id, wording)


def log_notice(tx, event, purpose, handler, ask_contact=True, business_days=None):
    """Claim the event for `handler` and log its delivery. The delivery's id while it waits for the
    complainant's address (just logged, or left waiting by an earlier attempt), else None: nothing
    more to do for this event. Without an address to ask for, it is logged as no_contact at once."""
    delivery_id = delivery_id_of(event, purpose)
    now = utcnow()
    if not tx.claim(event["event_id"], handler):
        # the event again (redelivered, or this handler retried): only a delivery whose address never
        # came is taken up, and held back from the retry timer meanwhile
        waiting = tx.session.execute(update(deliveries).where(
            deliveries.c.id == delivery_id, deliveries.c.status == AWAITING_CONTACT).values(
            next_attempt_at=now + STALE_PENDING, updated_at=now)).rowcount
        return delivery_id if waiting else None
    tx.session.execute(deliveries.insert().values(
        id=delivery_id, case_id=event["case_id"], purpose=purpose, audience=COMPLAINANT, status=AWAITING_CONTACT,
        attempts=0, notice=json.dumps(notice_of(event, purpose, business_days), ensure_ascii=False), created_at=now,
        updated_at=now,
        next_attempt_at=now + STALE_PENDING))
    if not ask_contact:
        address(tx, delivery_id, {}, None)
        return None
    return delivery_id


def address(tx, delivery_id, contact, recipients, channels=UNCONFIGURED, wording=None):
    """The address has come: compose the message, seal the address and make the delivery ready to send
    (True) on the first of `channels` (those configured, in the site's order) the complainant can be
    reached on; or log that they cannot be reached, or that this address has had its automatic notices
    for the day (not_sent). False also when another attempt addressed it first."""
    row = tx.session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    if row is None or row.status != AWAITING_CONTACT:
        return False
    now = utcnow()
    if contact.get("told_elsewhere"):  # a case another site forwarded here: that site tells its complainant
        tx.session.execute(update(deliveries).where(
            deliveries.c.id == delivery_id, deliveries.c.status == AWAITING_CONTACT).values(
            status=NOT_SENT, notice=None, next_attempt_at=None, updated_at=now,
            reason="not sent: the site that forwarded the case tells its complainant"))
        return False
    channel, recipient = _reachable(contact, channels)
    if channel:  # the name intake gives with the address is not used: see messages.py
        message = message_for(row.purpose, json.loads(row.notice), channel, wording)
        values = dict(status="pending", channel=channel, sealed=recipients.seal({"recipient": recipient}),
                      subject=message.subject, body=message.short if channel == "sms" else message.body,
                      next_attempt_at=now + STALE_PENDING)
    else:
        values = dict(status="no_contact", next_attempt_at=None)
    taken = tx.session.execute(update(deliveries).where(
        deliveries.c.id == delivery_id, deliveries.c.status == AWAITING_CONTACT).values(
        notice=None, updated_at=now, **values)).rowcount
    if not taken:
        return False
    if not channel:
        _record(tx, row.case_id, delivery_id, None, "no_contact", 0, row.purpose)
        return False
    if row.purpose in AUTOMATIC and not _counted(tx, recipients, channel, recipient, now):
        tx.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
            status=NOT_SENT, next_attempt_at=None,
            reason=f"not sent: its address has had {recipients.daily_limit} automatic notices today "
                   f"(NOTIFY.daily_notices_per_address)"))
        log.info("delivery %s (%s) not sent: its address has had %d automatic notices today", delivery_id,
                 row.purpose, recipients.daily_limit)
        return False
    return True


def notify_office(store, senders, recipients, event, notices, wording=None):
    """Tell the office about `event`: each of `notices` (services/notify/office.OfficeNotice) to every
    contact of its unit or role that a configured channel reaches; once however often the event comes.
    What quiet hours hold back is sent by the retry timer when they end."""
    due = store.run(log_office_notices, event, store.handler_name, notices, recipients, tuple(senders), wording)
    return [attempt(store, senders, recipients, delivery_id) for delivery_id in due]


def log_office_notices(tx, event, handler, notices, recipients, channels, wording=None):
    """Claim the event and log a delivery per notice and contact (the address known, so ready to send);
    a notice nobody can be reached for is logged as no_contact, with why. The ids to send now."""
    if not tx.claim(event["event_id"], handler):
        return []
    now, due = utcnow(), []
    for notice in notices:
        reached = office.reachable(notice.contacts, channels)
        common = dict(case_id=event["case_id"], purpose=notice.purpose, audience=notice.audience,
                      role=notice.role, attempts=0, created_at=now, updated_at=now)
        if not reached:
            delivery_id = _office_delivery_id(event, notice)
            why = "on a configured channel " if notice.contacts else ""
            tx.session.execute(deliveries.insert().values(
                id=delivery_id, status="no_contact", reason=f"no contact {why}for {notice.who} in the directory",
                **common))
            _record(tx, event["case_id"], delivery_id, None, "no_contact", 0, notice.purpose, notice.audience,
                    notice.role)
            continue
        for channel, address in reached:
            delivery_id = _office_delivery_id(event, notice, channel, address)
            message = message_for(notice.purpose, notice.notice, channel, wording)
            tx.session.execute(deliveries.insert().values(
                id=delivery_id, status="pending", channel=channel, sealed=recipients.seal({"recipient": address}),
                subject=message.subject, body=message.short if channel == "sms" else message.body,
                next_attempt_at=notice.send_after or now + STALE_PENDING, **common))
            if notice.send_after is None:
                due.append(delivery_id)
    return due


def claimed(session, event_id, handler):
    """Whether `handler` has claimed `event_id` already (a day's digest sent, say)."""
    return session.execute(select(inbox.c.event_id).where(inbox.c.handler == handler,
                                                          inbox.c.event_id == str(event_id))).first() is not None


def hook(store, senders, recipients, source, name, event):
    """Send the event to every webhook endpoint that wants it (webhooks.py), once per endpoint however
    often it comes; a failure is retried like any delivery."""
    sender = senders.get(WEBHOOK)
    if sender is None or not sender.wanting(source, name):
        return []
    due = store.run(log_webhooks, event, store.handler_name, source, name, sender.wanting(source, name), recipients)
    return [attempt(store, senders, recipients, delivery_id) for delivery_id in due]


def log_webhooks(tx, event, handler, source, name, endpoints, recipients):
    if not tx.claim(event["event_id"], handler):
        return []
    now, due = utcnow(), []
    for endpoint in endpoints:
        delivery_id = str(uuid.uuid5(_DELIVERY_IDS, f"{WEBHOOK}:{event['event_id']}:{endpoint.name}"))
        body = json.dumps(webhooks.payload(source, name, event, endpoint.text), ensure_ascii=False, sort_keys=True)
        tx.session.execute(deliveries.insert().values(
            id=delivery_id, case_id=event["case_id"], purpose=WEBHOOK, audience=WEBHOOK, channel=WEBHOOK,
            sealed=recipients.seal({"recipient": endpoint.name}), subject=f"{source}.{name}", body=body,
            status="pending", attempts=0, created_at=now, updated_at=now, next_attempt_at=now + STALE_PENDING))
        due.append(delivery_id)
    return due


def _office_delivery_id(event, notice, channel="", address=""):
    return str(uuid.uuid5(_DELIVERY_IDS, f"{notice.purpose}:{event['event_id']}:{notice.key}:{channel}:{address}"))


def _counted(tx, recipients, channel, recipient, now):
    """Count one more automatic notice to this address today, if it has had fewer than the limit; in
    one statement, so that notify processes addressing at the same moment cannot both take the last."""
    limit = recipients.daily_limit
    if limit <= 0:  # the limit turned off
        return True
    dialect = postgresql if tx.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(address_counts).values(
        fingerprint=recipients.fingerprint(channel, recipient), day=_day(now), count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[address_counts.c.fingerprint, address_counts.c.day],
        set_={"count": address_counts.c.count + 1}, where=address_counts.c.count < limit,
    ).returning(address_counts.c.count)
    return tx.session.execute(statement).first() is not None


def _day(moment):
    return moment.astimezone(BANGKOK).date().isoformat()


def forget_old_counts(tx, now=None):
    """Yesterday's counts are kept a while (a notice addressed just before midnight); older ones go."""
    tx.session.execute(delete(address_counts).where(
        address_counts.c.day < _day((now or utcnow()) - timedelta(days=2))))


# the notice channel like the one a case came by: a LINE message is answered on LINE, a hotline call
# by SMS, a letter by letter, a mail by mail; a case from the web, a counter or elsewhere has none
ANSWERED_LIKE = {"email": "email", "line": "line", "hotline": "sms", "phone": "sms", "letter": "letter",
                 "po_box": "letter"}


def _reachable(contact, channels=UNCONFIGURED):
    """The channel to answer on and its address: the one the complainant chose (`notify_by`), else the
    one like the channel the case came by (`came_by`), when the site has it and the complainant left its
    address; else the first of `channels` (those configured, in the site's order) they can be reached on."""
    for first in reversed([ANSWERED_LIKE.get(contact.get("came_by")), contact.get("notify_by")]):
        if first in channels:
            channels = (first, *[c for c in channels if c != first])
            break
    for channel in channels:
        key = CONTACT_OF.get(channel, (None, None))[1]
        if key and contact.get(key):
            return channel, contact[key]
    return None, None


def _address_and_send(store, senders, recipients, contact, delivery_id, wording=None):
    if store.run(address, delivery_id, contact, recipients, tuple(senders), wording):
        return attempt(store, senders, recipients, delivery_id)
    return None


def contents(row, recipients):
    """(address, subject, body) of a logged delivery: the address unsealed; the subject and body as
    logged, or from the seal for a row logged before they were the office's words alone."""
    if not row.sealed:  # logged before notify_0004 and not sealed yet (notify seals those at start)
        return row.recipient, row.subject, row.body
    opened = recipients.unseal(row.sealed)
    return opened["recipient"], opened.get("subject", row.subject), opened.get("body", row.body)


def attempt(store, senders, recipients, delivery_id):
    """Send one logged delivery and record the outcome (never raises for a mail failure)."""
    with store.reading() as session:
        row = session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    if row is None or row.status not in ("pending", "failed"):
        return None
    error, recipient, final, retry_after = None, None, False, None
    try:
        recipient, subject, body = contents(row, recipients)
        sender = senders.get(row.channel)
        if sender is None:
            raise SendRefused(f"channel {row.channel} is no longer configured")
        sender.send(recipient, subject, body, reference=delivery_id)
    except SendRefused as exc:  # refused as such (an SMS gateway's 4xx): sending again changes nothing
        error, final = _without(recipient, f"{type(exc).__name__}: {exc}"), True
        log.warning("delivery %s refused, not retried: %s", delivery_id, type(exc).__name__)
    except Exception as exc:  # SMTP, LINE or the gateway down, timed out, 5xx: logged and retried later
        error = _without(recipient, f"{type(exc).__name__}: {exc}")
        retry_after = getattr(exc, "retry_after", None)  # a 429's Retry-After
        log.warning("delivery %s failed (attempt %d): %s", delivery_id, row.attempts + 1, type(exc).__name__)
    return store.run(record_attempt, delivery_id, error, final, retry_after)


def _without(recipient, text):
    """An error as the log keeps it: a mail server's refusal names the address, which stays sealed."""
    if recipient:
        text = re.sub(re.escape(recipient), "<address>", text, flags=re.IGNORECASE)
    return text


def record_attempt(tx, delivery_id, error, final=False, retry_after=None):
    """The outcome of one attempt; a failure is tried again later (with backoff, or after the seconds
    the channel asked for in `retry_after` if longer; MAX_ATTEMPTS in all) unless it is `final`."""
    row = tx.session.execute(select(deliveries).where(deliveries.c.id == delivery_id)).first()
    attempts = row.attempts + 1
    now = utcnow()
    status = "delivered" if error is None else "failed"
    if status == "delivered" and row.channel == LETTER:  # in the print queue: delivered once printed
        tx.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
            status=QUEUED, attempts=attempts, last_error=None, updated_at=now, next_attempt_at=None))
        return QUEUED
    next_at = None if error is None or final or attempts >= MAX_ATTEMPTS else now + retry_delay(attempts, retry_after)
    tx.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
        status=status, attempts=attempts, last_error=error, updated_at=now, next_attempt_at=next_at))
    if row.audience != WEBHOOK:  # a webhook is no notice to anyone: its log is the delivery's row
        _record(tx, row.case_id, delivery_id, row.channel, status, attempts, row.purpose, row.audience, row.role)
    return status


def sms_reported(tx, delivery_id, outcome, status, now=None):
    """An SMS gateway's delivery report (sms_reports.read): kept with the delivery. A message the
    gateway took but the handset never got becomes failed, with why, not tried again (an officer may
    send it again) and recorded so on the case's timeline. None for no such SMS delivery here; else
    the delivery's status after the report."""
    row = tx.session.execute(select(deliveries).where(deliveries.c.id == str(delivery_id),
                                                      deliveries.c.channel == "sms")).first()
    if row is None:
        return None
    now = now or utcnow()
    values = {"reported": f"{outcome or 'interim'}: {status}"[:48], "reported_at": now, "updated_at": now}
    if outcome == "failed" and row.status == "delivered":
        values.update(status="failed", next_attempt_at=None,
                      last_error=f"the SMS gateway reported it undelivered ({status})")
        tx.session.execute(update(deliveries).where(deliveries.c.id == row.id).values(**values))
        _record(tx, row.case_id, row.id, "sms", "failed", row.attempts, row.purpose, row.audience, row.role)
        return "failed"
    tx.session.execute(update(deliveries).where(deliveries.c.id == row.id).values(**values))
    return row.status


def letters_waiting(session, limit=500):
    """Letters in the print queue, oldest first: the delivery, case and purpose (never the address)."""
    return [dict(row._mapping) for row in session.execute(
        select(deliveries.c.id, deliveries.c.case_id, deliveries.c.purpose, deliveries.c.subject,
               deliveries.c.updated_at)
        .where(deliveries.c.status == QUEUED, deliveries.c.channel == LETTER)
        .order_by(deliveries.c.updated_at).limit(limit)).all()]


def letter_printed(tx, delivery_id):
    """An officer printed the letter (to post it): it is delivered, and recorded as such (a letter that
    tells progress meets the first-notice clock from then). False for no letter waiting."""
    row = tx.session.execute(select(deliveries).where(
        deliveries.c.id == delivery_id, deliveries.c.status == QUEUED, deliveries.c.channel == LETTER)).first()
    if row is None:
        return False
    tx.session.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
        status="delivered", updated_at=utcnow()))
    _record(tx, row.case_id, delivery_id, LETTER, "delivered", row.attempts, row.purpose, row.audience, row.role)
    return True


def failed(session, limit=200):
    """Deliveries that failed for good (refused, or out of attempts), newest first: what an officer
    may send again. Never the address: it stays sealed."""
    return [dict(row._mapping) for row in session.execute(
        select(deliveries.c.id, deliveries.c.case_id, deliveries.c.purpose, deliveries.c.channel,
               deliveries.c.attempts, deliveries.c.last_error, deliveries.c.updated_at)
        .where(deliveries.c.status == "failed", deliveries.c.next_attempt_at.is_(None))
        .order_by(deliveries.c.updated_at.desc()).limit(limit)).all()]


def send_again(tx, delivery_id, now=None):
    """Put a delivery that failed for good back in line: the retry timer sends it at its next round,
    with a fresh count of attempts. Returns False for a delivery that is not one (unknown, delivered,
    or still being retried)."""
    now = now or utcnow()
    return bool(tx.session.execute(update(deliveries).where(
        deliveries.c.id == delivery_id, deliveries.c.status == "failed", deliveries.c.next_attempt_at.is_(None))
        .values(attempts=0, next_attempt_at=now, updated_at=now)).rowcount)


def due_for_retry(session, now=None, limit=100):
    """Failed deliveries whose retry time has come, pending ones a crash left behind, and ones whose
    address never came."""
    now = now or utcnow()
    return session.execute(
        select(deliveries.c.id)
        .where(deliveries.c.next_attempt_at <= now,
               or_(deliveries.c.status == "failed", deliveries.c.status == "pending",
                   deliveries.c.status == AWAITING_CONTACT))
        .order_by(deliveries.c.next_attempt_at).limit(limit)).scalars().all()


def retry_due(store, senders, recipients, contact_of, now=None, wording=None):
    """The retry timer's round: every delivery due is tried again, each on its own."""
    store.run(forget_old_counts, now)
    with store.reading() as session:
        due = due_for_retry(session, now)
    return [retry(store, senders, recipients, contact_of, delivery_id, now, wording) for delivery_id in due]


def retry(store, senders, recipients, contact_of, delivery_id, now=None, wording=None):
    """Send a failed delivery again; for one still waiting for its address, ask for it first. If intake
    cannot say yet, the delivery waits for the next round instead of holding up the others."""
    waiting = store.run(_take_awaiting, delivery_id, now or utcnow())
    if waiting is None:
        return attempt(store, senders, recipients, delivery_id)
    case_id, purpose = waiting
    try:
        contact = contact_of(case_id, delivery_id, purpose)
    except Exception as exc:  # intake away or failing: nothing was recorded there, and we ask again later
        log.warning("no address yet for delivery %s: %s", delivery_id, type(exc).__name__)
        return None
    return _address_and_send(store, senders, recipients, contact, delivery_id, wording)


def _take_awaiting(tx, delivery_id, now):
    """Hold a delivery waiting for its address for this round (another process's timer, or a handler
    retrying its event, leaves it alone meanwhile); (case id, purpose), or None if it waits for nothing."""
    taken = tx.session.execute(update(deliveries).where(
        deliveries.c.id == delivery_id, deliveries.c.status == AWAITING_CONTACT,
        deliveries.c.next_attempt_at <= now).values(next_attempt_at=now + STALE_PENDING, updated_at=now)).rowcount
    if not taken:
        return None
    return tuple(tx.session.execute(select(deliveries.c.case_id, deliveries.c.purpose)
                                    .where(deliveries.c.id == delivery_id)).one())


def _record(tx, case_id, delivery_id, channel, outcome, attempts, purpose, audience=None, role=None):
    if case_id is None:  # a digest: about no one case, on no case's timeline (its log is the delivery's row)
        return
    tx.emit(NOTIFICATION_RECORDED, case_id=case_id, notification_id=delivery_id, purpose=purpose,
            channel=channel, outcome=outcome, attempts=attempts, audience=audience or COMPLAINANT, role=role)


def seal_logged_addresses(session, recipients, batch=500):
    """Seal what rows logged before notify_0004 keep in the clear: the address, and the subject and
    body (which could greet the complainant by name). Returns how many rows it sealed."""
    sealed = 0
    while True:
        rows = session.execute(select(deliveries.c.id, deliveries.c.recipient, deliveries.c.subject,
                                      deliveries.c.body, deliveries.c.last_error)
                               .where(deliveries.c.sealed.is_(None), deliveries.c.recipient.is_not(None))
                               .limit(batch)).all()
        if not rows:
            return sealed
        for row in rows:
            session.execute(update(deliveries).where(deliveries.c.id == row.id, deliveries.c.sealed.is_(None))
                            .values(sealed=recipients.seal({"recipient": row.recipient, "subject": row.subject,
                                                            "body": row.body}),
                                    recipient=None, subject=None, body=None,
                                    last_error=_without(row.recipient, row.last_error) if row.last_error else None))
        session.commit()
        sealed += len(rows)
