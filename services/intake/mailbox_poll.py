"""The e-mail channel's use case: each new message in the mailbox becomes a case, once.

Once, even across crashes and restarts: the message is recorded under its external id (the
Message-ID) in the same transaction as its case (cases.receive_inbound), and only then marked
seen on the server. A crash between the two leaves it unseen; the next poll fetches it again
and receive_inbound recognises it. The mailbox's \\Seen flag is therefore only a hint that
keeps polls cheap; the database decides what was processed.

The acknowledgment e-mail is not sent from here: notify hears case_received and writes to the
complainant like for any other channel.

No nameko here: the intake service's timer calls poll_mailbox with its Store (shared.store).
Log lines name IMAP UIDs and tracking numbers only: senders, subjects and bodies are personal data.
"""
import logging
import traceback

from services.intake import cases, imap
from services.intake.exceptions import ImapError, IntakeError, MailboxError
from services.intake.mailbox import message_to_case, named_cases, reply_text

log = logging.getLogger(__name__)


def poll_mailbox(store, ctx, settings, fetch=imap.fetch_unseen, mark_seen=imap.mark_seen):
    """Turn the mailbox's unseen messages into cases; returns the tracking numbers created.

    Never raises for the mailbox's sake: an unreachable server means nothing this time (the
    next poll tries again); a message that fails for a passing reason (the database) is left
    unseen for the next poll, without holding up the others.
    """
    try:
        messages = fetch(settings)
    except ImapError as exc:
        log.warning("mailbox %s not read: %s", settings.host, exc)
        return []
    created, handled = [], []
    for uid, raw in messages:
        done, tracking_number = _take(store, ctx, uid, raw)
        if done:
            handled.append(uid)
        if tracking_number:
            created.append(tracking_number)
    _mark(settings, handled, mark_seen)
    return created


def _take(store, ctx, uid, raw):
    """One message: (done, its new tracking number or None). Not done means it failed for a
    reason that may pass, so it stays unseen for the next poll; done without a number means it
    needs no case (already recorded, unreadable, or refused)."""
    try:
        mail = message_to_case(raw)
    except MailboxError as exc:
        log.warning("mailbox message uid %s skipped, no case made: %s", uid, exc)
        return True, None
    try:
        named = named_cases(mail.data["subject"])
        if named:  # a reply to a notice, from the case's complainant: kept with that case
            reply = store.run(cases.receive_reply, "email", mail.external_id, named,
                              mail.data["complainant"]["email"], reply_text(mail.data["description"]), ctx.sealer)
            if reply is not None:
                if reply.get("repeat"):
                    log.info("mailbox message uid %s was already recorded; marking it seen", uid)
                else:
                    log.info("mailbox message uid %s recorded as a reply on %s", uid, reply["tracking_number"])
                return True, None
        result = store.run(cases.receive_inbound, "email", mail.external_id, mail.data, ctx)
    except IntakeError as exc:  # would fail the same way every time: do not retry
        log.warning("mailbox message uid %s refused by intake (fields: %s)", uid, ", ".join(sorted(exc.errors)))
        return True, None
    except Exception as exc:
        # the type and where, not the message: a database error's text quotes the row (personal data)
        log.warning("mailbox message uid %s not recorded (%s); left unseen for the next poll\n%s",
                    uid, type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__)))
        return False, None
    if result is None:
        log.info("mailbox message uid %s was already recorded; marking it seen", uid)
        return True, None
    log.info("mailbox message uid %s recorded as %s", uid, result["tracking_number"])
    return True, result["tracking_number"]


def _mark(settings, uids, mark_seen):
    """Mark handled messages seen; if that fails they are fetched again and recognised as repeats."""
    try:
        mark_seen(settings, uids)
    except ImapError as exc:
        log.warning("mailbox %s: %d handled messages not marked seen (%s); they will be recognised "
                    "as already recorded at the next poll", settings.host, len(uids), exc)
