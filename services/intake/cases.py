"""Intake's use cases: record a complaint, keep the case record current, show it to its owner."""
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update

from shared import files
from services.intake import duplicates, tracking
from services.intake import status as case_status
from services.intake.exceptions import IntakeError, NotFound, NotRatable, NotRoutedYet, ReferralError
from services.intake.models import (attachments, case_replies, cases, complainants, disputes, identity_access_log,
                                    inbound_messages, ratings, tracking_sequences)
from shared.events import CASE_RATED, CASE_RECEIVED, CASE_REOPENED, CASE_REPLY_RECEIVED
from shared.store import insert_ignoring_duplicates
from shared.thai import control_character, normalise_text
from shared.times import local_iso, utcnow

FINGERPRINTED = {"national_id": "fp_national_id", "phone": "fp_phone", "email": "fp_email",
                 "line_user_id": "fp_line"}


@dataclass
class IntakeContext:
    """What the use cases need beyond the database: the catalogue, the sealer, the file store."""
    catalogue: object
    sealer: object
    files: object


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


def receive_case(tx, data, ctx, now=None, recorded_by=None):
    """Record a complaint and emit case_received; returns what the complainant is told.

    A complaint disputing a recently closed case reopens it instead; one from the same
    complainant with similar words within 30 days is linked to the earlier case.
    """
    now = now or utcnow()
    session = tx.session
    kind, confidential = _classify(data, ctx.catalogue)
    uploads = _uploads(data)

    disputed = None
    if data.get("disputes"):
        disputed = find_for_owner(session, data["disputes"]["tracking_number"], data["disputes"]["access_code"])
        if disputed is None:
            raise IntakeError({"disputes": ["No case with that tracking number and access code."]})
        if duplicates.dispute_action(disputed.status, disputed.closed_at, now) == "reopen":
            return _reopen(tx, disputed, data, uploads, ctx, now, recorded_by)

    identity = {k: v for k, v in (data.get("complainant") or {}).items() if v}
    complainant_id = _record_complainant(session, identity, ctx.sealer, now) if identity else None
    link_id, link_reason = (disputed.id, "dispute") if disputed else (None, None)
    if complainant_id and not disputed:
        repeat = _find_repeat(session, identity, ctx.sealer, f"{data['subject']}\n{data['description']}", now)
        if repeat:
            link_id, link_reason = repeat.case_id, "repeat"

    case_id = str(uuid.uuid4())
    fiscal_year = tracking.fiscal_year_be(now)
    number = tracking.format_tracking_number(tx.site_id, fiscal_year, next_sequence(session, tx.site_id, fiscal_year))
    access_code = tracking.new_access_code()
    location = data.get("location") or {}
    session.execute(cases.insert().values(
        id=case_id, tracking_number=number, access_code_hash=tracking.hash_access_code(access_code, case_id),
        site_id=tx.site_id, channel=data["channel"], channel_ref=json.dumps(data.get("channel_ref") or {},
                                                                             ensure_ascii=False),
        kind=kind, category=data.get("category"), subject=data["subject"], description=data["description"],
        complainant_id=complainant_id, status=case_status.RECEIVED, received_at=now, updated_at=now,
        recorded_by=recorded_by, confidential=confidential, field_check=bool(disputed),
        linked_case_id=link_id, link_reason=link_reason, **{k: location.get(k) for k in (
            "province", "district", "subdistrict", "latitude", "longitude", "address")}))
    _store_attachments(session, case_id, uploads, ctx, now)
    tx.emit(CASE_RECEIVED, case_id=case_id, occurred_at=now, tracking_number=number, channel=data["channel"],
            kind=kind, subject=data["subject"], description=data["description"], received_at=now,
            complainant_ref=complainant_id,
            contact_channels=[c for c in ("email", "phone", "line", "address") if identity.get(
                "line_user_id" if c == "line" else c)],
            category=data.get("category"), confidential=confidential, field_check=bool(disputed),
            linked_case_id=link_id, link_reason=link_reason,
            location={"province": location.get("province"), "district": location.get("district"),
                      "subdistrict": location.get("subdistrict"),
                      "has_coordinates": location.get("latitude") is not None} if location else None,
            referral=None)
    return {"case_id": case_id, "tracking_number": number, "access_code": access_code, "status": case_status.RECEIVED,
            "received_at": _local(now), "reopened": False,
            "linked_to": _tracking_of(session, link_id) if link_id else None}


def receive_referral(tx, event, ctx, now=None):
    """case_forwarded from another site: record it here as a referral case, once per original case,
    and route it like any other. The complainant is recorded (sealed) only if the event carries them;
    they hold the other site's tracking number, so no access code is made here."""
    now = now or utcnow()
    session = tx.session
    existing = session.execute(select(cases.c.id).where(cases.c.referral_site == event["site_id"],
                                                        cases.c.referral_case_id == event["case_id"])).first()
    if existing is not None:
        raise ReferralError(f"case {event['case_id']} of {event['site_id']} is already here as {existing.id}")
    record = event["record"]
    identity = {k: v for k, v in (event.get("complainant") or {}).items() if v}
    complainant_id = _record_complainant(session, identity, ctx.sealer, now) if identity else None
    category = record["category"] if record["category"] and ctx.catalogue.get(record["category"]) else None
    case_id = str(uuid.uuid4())
    fiscal_year = tracking.fiscal_year_be(now)
    number = tracking.format_tracking_number(tx.site_id, fiscal_year, next_sequence(session, tx.site_id, fiscal_year))
    location = record["location"] or {}
    origin = {"site_id": event["site_id"], "case_id": event["case_id"], "tracking_number": event["tracking_number"]}
    session.execute(cases.insert().values(
        id=case_id, tracking_number=number,
        access_code_hash=tracking.hash_access_code(tracking.new_access_code(), case_id), site_id=tx.site_id,
        channel="referral", channel_ref=json.dumps({**origin, "reason": event["reason"], "officer": event["officer"]},
                                                   ensure_ascii=False),
        kind=record["kind"], category=category, subject=record["subject"], description=record["description"],
        complainant_id=complainant_id, status=case_status.RECEIVED, received_at=now, updated_at=now,
        recorded_by=f"site {event['site_id']}", confidential=record["confidential"], field_check=False,
        referral_site=event["site_id"], referral_case_id=event["case_id"],
        referral_tracking_number=event["tracking_number"],
        **{k: location.get(k) for k in ("province", "district", "subdistrict")}))
    tx.emit(CASE_RECEIVED, case_id=case_id, occurred_at=now, tracking_number=number, channel="referral",
            kind=record["kind"], subject=record["subject"], description=record["description"], received_at=now,
            complainant_ref=complainant_id,
            contact_channels=[c for c in ("email", "phone") if identity.get(c)],
            category=category, confidential=record["confidential"], field_check=False, linked_case_id=None,
            link_reason=None, location=record["location"], referral=origin)
    return {"case_id": case_id, "tracking_number": number}


def forward_record(tx, case_id, to_site, with_identity, sealer):
    """What another site gets with a forwarded case: the record, and the complainant's name and contacts
    only when the receiving site may have them and the case is not confidential. Nothing is recorded
    here: the disclosure is what the case_forwarded event carries (record_forward)."""
    row = tx.session.execute(select(cases).where(cases.c.id == case_id)).first()
    if row is None:
        raise IntakeError({"case_id": [f"No case {case_id}."]})
    record = {"channel": row.channel, "kind": row.kind, "subject": row.subject, "description": row.description,
              "received_at": row.received_at.isoformat(), "category": row.category,
              "location": ({"province": row.province, "district": row.district, "subdistrict": row.subdistrict,
                            "has_coordinates": row.latitude is not None}
                           if any((row.province, row.district, row.subdistrict, row.latitude)) else None),
              "confidential": bool(row.confidential)}
    complainant = None
    if with_identity and not row.confidential and row.complainant_id:
        identity, _ = identity_of(tx.session, case_id, sealer)
        complainant = {k: identity.get(k) for k in ("name", "email", "phone")}
        if not any(complainant.values()):
            complainant = None
    return {"record": record, "complainant": complainant}


def _store_attachments(session, case_id, uploads, ctx, now):
    for upload in uploads:
        session.execute(attachments.insert().values(
            id=str(uuid.uuid4()), case_id=case_id, filename=upload.filename, content_type=upload.content_type,
            size=len(upload.data), sha256=ctx.files.put(upload.data), created_at=now))


def _classify(data, catalogue):
    category = data.get("category")
    subject = catalogue.get(category) if category else None
    if category and subject is None:
        raise IntakeError({"category": [f"Unknown category {category!r}."]})
    kind = data.get("kind") or (subject.kind if subject else None)  # None: routing reads it from the words
    return kind, bool(data.get("confidential")) or bool(subject and subject.confidential)


def _uploads(data):
    uploads = [files.Upload(a["filename"], a["content_type"], a["data"]) for a in data.get("attachments") or []]
    try:
        return files.check(uploads)
    except files.FileRefused as exc:
        raise IntakeError({"attachments": [str(exc)]}) from exc


def _record_complainant(session, identity, sealer, now):
    complainant_id = str(uuid.uuid4())
    prints = {column: sealer.fingerprint(field, identity[field].casefold())
              for field, column in FINGERPRINTED.items() if identity.get(field)}
    session.execute(complainants.insert().values(id=complainant_id, created_at=now,
                                                 sealed=sealer.seal(identity), **prints))
    return complainant_id


def _find_repeat(session, identity, sealer, text, now):
    conditions = [getattr(complainants.c, column) == sealer.fingerprint(field, identity[field].casefold())
                  for field, column in FINGERPRINTED.items() if identity.get(field)]
    if not conditions:
        return None
    rows = session.execute(
        select(cases.c.id, cases.c.tracking_number, cases.c.received_at, cases.c.subject, cases.c.description)
        .select_from(cases.join(complainants, cases.c.complainant_id == complainants.c.id))
        .where(or_(*conditions), cases.c.received_at >= now - duplicates.REPEAT_WINDOW)
        .order_by(cases.c.received_at.desc()).limit(50)).all()
    return duplicates.find_repeat(text, now, [
        duplicates.Earlier(r.id, r.tracking_number, r.received_at, f"{r.subject}\n{r.description}") for r in rows])


def _reopen(tx, disputed, data, uploads, ctx, now, recorded_by):
    """The dispute reopens the case; what the complainant wrote, and attached, is kept with it."""
    status = case_status.reopen(disputed.status)
    tx.session.execute(update(cases).where(cases.c.id == disputed.id).values(
        status=status, closed_at=None, field_check=True, updated_at=now))
    tx.session.execute(disputes.insert().values(
        id=str(uuid.uuid4()), case_id=disputed.id, channel=data["channel"], subject=data["subject"],
        description=data["description"], recorded_by=recorded_by, received_at=now))
    _store_attachments(tx.session, disputed.id, uploads, ctx, now)
    tx.emit(CASE_REOPENED, case_id=disputed.id, occurred_at=now, tracking_number=disputed.tracking_number,
            reason="dispute", field_check=True)
    return {"case_id": disputed.id, "tracking_number": disputed.tracking_number, "access_code": None,
            "status": status, "received_at": _local(disputed.received_at), "reopened": True, "linked_to": None}


def _tracking_of(session, case_id):
    return session.execute(select(cases.c.tracking_number).where(cases.c.id == case_id)).scalar_one_or_none()


def record_routing(tx, event):
    """case_routed (and case_rerouted): the case now has a unit, and from case_routed the kind routing
    decided; a received case becomes routed (a later status stays)."""
    kind = {"kind": event["kind"]} if "kind" in event else {}
    tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
        unit_id=event["unit_id"], unit_name=event["unit_name"], updated_at=utcnow(), **kind,
        status=case((cases.c.status.in_(case_status.ROUTABLE), case_status.ROUTED), else_=cases.c.status)))


def record_kind(tx, event):
    """case_kind_changed: an officer corrected the kind; the deadline follows from sla. It waits for
    case_routed (another queue), whose kind it corrects, so as not to be overwritten by it."""
    routed = tx.session.execute(select(cases.c.unit_id).where(cases.c.id == event["case_id"])).first()
    if routed is None or routed.unit_id is None:
        raise NotRoutedYet(f"case {event['case_id']} is not routed here yet")
    tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
        kind=event["kind"], updated_at=utcnow()))


def record_status(tx, event, status):
    """A status another service decided (waiting for the complainant, answered from the KB...)."""
    closed = {"closed_at": event["occurred_at"]} if case_status.closes(status) else {}
    tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
        status=status, updated_at=utcnow(), **closed))


def record_forward(tx, event):
    """case_forwarded: the case is with another site; if the complainant's name and contacts went
    with it, that disclosure is recorded, as sent, by whom and where (once: the inbox)."""
    record_status(tx, event, case_status.FORWARDED)
    if event.get("complainant"):
        tx.session.execute(identity_access_log.insert().values(
            case_id=event["case_id"], requested_by=event["officer"][:128],
            purpose=f"case forwarded to site {event['to_site']}", at=event["occurred_at"]))


def record_answer(tx, event):
    """case_answered: the case is closed with its result, which its page shows to the complainant."""
    tx.session.execute(update(cases).where(cases.c.id == event["case_id"]).values(
        status=case_status.ANSWERED, closed_at=event["occurred_at"], answered_at=event["occurred_at"],
        result=event["answer"], result_by_site=event["answered_by_site"], updated_at=utcnow(),
        result_documents=json.dumps([{k: d[k] for k in RESULT_DOCUMENT_FIELDS} for d in event["documents"]],
                                    ensure_ascii=False)))


RESULT_DOCUMENT_FIELDS = ("id", "filename", "content_type", "size", "site_id")


def result_documents_of(row):
    """The documents the case's result came with, as its page lists them."""
    return json.loads(row.result_documents) if row.result_documents else []


def kept_here(row, document_id, site_id):
    """A document the case's result lists and this site keeps; NotFound saying why not."""
    listed = next((d for d in result_documents_of(row) if d["id"] == document_id), None)
    if listed is None:
        raise NotFound("The case's result has no such document.")
    if listed["site_id"] != site_id:
        raise NotFound(f"The document is kept at site {listed['site_id']}, which answered the case.")
    return listed


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


def public_view(row, timeline, clocks=None, replies=None, rating=None):
    """What the complainant may see: no personal data (their own replies are the case's words, like its
    description: shown to them and to officers)."""
    return {
        "tracking_number": row.tracking_number,
        "status": row.status,
        "channel": row.channel,
        "kind": row.kind,
        "category": row.category,
        "subject": row.subject,
        "received_at": _local(row.received_at),
        "unit": {"id": row.unit_id, "name": row.unit_name} if row.unit_id else None,
        "deadline": _local(row.due_at) if row.due_at else None,
        "field_check": bool(row.field_check),
        "result": ({"answer": row.result, "answered_at": _local(row.answered_at), "by_site": row.result_by_site,
                    "documents": result_documents_of(row)} if row.result else None),
        "clocks": clocks,
        "replies": replies or [],
        "rating": rating,
        "timeline": timeline,
    }


def rate(tx, row, score, comment=None, now=None):
    """The complainant's rating of their case's handling: once, and only once it is answered. The score
    goes out as case_rated (reporting counts it); the comment, their own words, stays here."""
    if row.status not in case_status.CLOSED_STATUSES:
        raise NotRatable("The case is not answered yet: it can be rated once it is.")
    now = now or utcnow()
    if not insert_ignoring_duplicates(tx.session, ratings, {"case_id": row.id, "score": score,
                                                            "comment": comment or None, "rated_at": now}):
        raise NotRatable("The case has been rated already.")
    tx.emit(CASE_RATED, case_id=row.id, occurred_at=now, tracking_number=row.tracking_number, score=score)
    return {"tracking_number": row.tracking_number, "score": score, "rated_at": _local(now)}


def rating_of(session, case_id):
    """The case's rating ({score, comment, rated_at}), or None."""
    row = session.execute(select(ratings).where(ratings.c.case_id == case_id)).first()
    return {"score": row.score, "comment": row.comment, "rated_at": _local(row.rated_at)} if row else None


def tracking_number_of(session, case_id):
    """The case's tracking number (what a notice about it may name), or None for a case not here."""
    return session.execute(select(cases.c.tracking_number).where(cases.c.id == str(case_id))).scalar_one_or_none()


def tracking_numbers_of(session, case_ids):
    """{case id: tracking number} of the cases here among `case_ids` (at most 1,000 at a time each)."""
    ids, found = [str(c) for c in case_ids], {}
    for start in range(0, len(ids), 1000):
        found.update(session.execute(select(cases.c.id, cases.c.tracking_number)
                                     .where(cases.c.id.in_(ids[start:start + 1000]))).tuples().all())
    return found


def identity_of(session, case_id, sealer):
    """The complainant's identity behind a case, unsealed; {} when anonymous."""
    row = session.execute(
        select(complainants, cases.c.confidential, cases.c.tracking_number)
        .select_from(cases.join(complainants, cases.c.complainant_id == complainants.c.id))
        .where(cases.c.id == case_id)).first()
    if row is None:
        return {}, False
    if row.sealed:
        identity = sealer.unseal(row.sealed)
    else:  # rows recorded before identities were sealed
        identity = {k: getattr(row, k) for k in ("name", "email", "phone") if getattr(row, k)}
    return identity, bool(row.confidential)


def reveal_identity(tx, case_id, requested_by, purpose, sealer, now=None):
    """The dedicated way to see who complained: every call is recorded with who asked and why."""
    if not requested_by or not purpose or not purpose.strip():
        raise IntakeError({"purpose": ["Say who asks and why: the request is recorded."]})
    identity, confidential = identity_of(tx.session, case_id, sealer)
    tx.session.execute(identity_access_log.insert().values(
        case_id=case_id, requested_by=requested_by[:128], purpose=purpose.strip(), at=now or utcnow()))
    return {"identity": identity, "confidential": confidential}


NOTICE_PURPOSES = {"acknowledgment": "acknowledgment to the complainant",
                   "kb_answer": "the knowledge base's answer to the complainant",
                   "result": "the result to the complainant",
                   "routed": "the unit and deadline to the complainant",
                   "progress": "progress to the complainant",
                   "info_request": "an officer's question to the complainant",
                   "reopened": "the reopening to the complainant",
                   "survey": "the satisfaction survey to the complainant"}
# what the site that forwarded a case tells its complainant itself (this site tells the result back)
TOLD_BY_THE_REFERRING_SITE = ("routed", "progress", "info_request", "reopened")


def contact_for_notice(tx, case_id, sealer, delivery_id=None, purpose=None):
    """How notify reaches a case's complainant; recorded in the access log when the case is
    confidential: once per delivery, however often the same delivery asks. For a case another site
    forwarded here, that site tells its complainant of progress: {"told_elsewhere": True}, unread.
    `notify_by` is the channel the complainant chose, `came_by` the one the case came by: notify answers
    on the chosen one, else the like of the one it came by, first."""
    if purpose in TOLD_BY_THE_REFERRING_SITE and tx.session.execute(select(cases.c.referral_site).where(
            cases.c.id == case_id)).scalar_one_or_none():
        return {"told_elsewhere": True}
    identity, confidential = identity_of(tx.session, case_id, sealer)
    if confidential and identity:
        row = {"case_id": case_id, "requested_by": "notify", "at": utcnow(), "delivery_id": delivery_id,
               "purpose": NOTICE_PURPOSES.get(purpose, NOTICE_PURPOSES["acknowledgment"])}
        if delivery_id:
            insert_ignoring_duplicates(tx.session, identity_access_log, row)
        else:  # a caller that names no delivery: every look is a record
            tx.session.execute(identity_access_log.insert().values(**row))
    contact = {k: identity[k] for k in ("name", "email", "phone", "line_user_id", "address", "notify_by")
               if identity.get(k)}
    came_by = tx.session.execute(select(cases.c.channel).where(cases.c.id == case_id)).scalar_one_or_none()
    return {**contact, "came_by": came_by} if contact and came_by else contact


def _local(moment: datetime):
    return local_iso(moment)


REPLY_ADDRESS = {"email": "email", "line": "line_user_id"}  # the identity field a reply's sender must match


def receive_line_reply(tx, external_id, user_id, text, tracking_numbers, sealer, now=None):
    """A LINE message from a complainant: their reply to a case when it names one of their cases, or
    else when exactly one of their cases waits for their answer (the latest received, if several do).
    receive_reply's answer; None when it is no reply (then it is a complaint of its own)."""
    if tracking_numbers:
        return receive_reply(tx, "line", external_id, tracking_numbers, user_id, text, sealer, now)
    if not user_id:
        return None
    waiting = tx.session.execute(
        select(cases.c.tracking_number).join(complainants, cases.c.complainant_id == complainants.c.id)
        .where(complainants.c.fp_line == sealer.fingerprint("line_user_id", user_id.casefold()),
               cases.c.status == case_status.WAITING_FOR_COMPLAINANT)
        .order_by(cases.c.received_at.desc()).limit(1)).scalars().all()
    return receive_reply(tx, "line", external_id, waiting, user_id, text, sealer, now) if waiting else None


def receive_reply(tx, channel, external_id, tracking_numbers, sender, text, sealer, now=None):
    """A message that names one of this site's cases and comes from that case's complainant (the
    address they gave, compared without case): kept as their reply to it, not made a new case. When
    the case waits for the complainant's answer (an officer's question), case_reply_received says so
    and routing takes it as the information received. Returns {case_id, tracking_number, reply_id,
    answers_request}; {"repeat": True} for a message already kept; None when it is no reply (no such
    case here, or someone else wrote): then it is a complaint of its own."""
    now = now or utcnow()
    for number in dict.fromkeys(tracking_numbers):
        row = tx.session.execute(select(cases.c.id, cases.c.status).where(cases.c.tracking_number == number)).first()
        if row is None:
            continue
        identity, _ = identity_of(tx.session, row.id, sealer)
        given = identity.get(REPLY_ADDRESS[channel]) or ""
        if not sender or given.strip().casefold() != sender.strip().casefold():
            continue
        if not insert_ignoring_duplicates(tx.session, inbound_messages, {
                "channel": channel, "external_id": external_id[:255], "received_at": now, "case_id": row.id}):
            return {"repeat": True}
        reply_id = str(uuid.uuid4())
        answers = row.status == case_status.WAITING_FOR_COMPLAINANT
        tx.session.execute(case_replies.insert().values(id=reply_id, case_id=row.id, channel=channel, text=text,
                                                        answers_request=answers, received_at=now))
        tx.emit(CASE_REPLY_RECEIVED, case_id=row.id, occurred_at=now, tracking_number=number, channel=channel,
                reply_id=reply_id, answers_request=answers)
        return {"case_id": row.id, "tracking_number": number, "reply_id": reply_id, "answers_request": answers}
    return None


REPLY_MAX = 5000
WEB_REPLIES_A_DAY = 20  # a complainant's messages on the tracking page, per case in 24 hours


def receive_web_reply(tx, row, text, now=None):
    """What the complainant wrote on their case's tracking page (they gave its number and access code):
    kept as their reply, as an e-mail's; when the case waits for their answer, case_reply_received says
    so and routing takes it as the information received. A closed case takes no reply (its complainant
    disputes the result instead): NotRatable. Returns {reply_id, answers_request}."""
    now = now or utcnow()
    text = normalise_text(text or "").strip()
    if not text or len(text) > REPLY_MAX:
        raise IntakeError({"text": [f"Length must be between 1 and {REPLY_MAX}."]})
    bad = control_character(text, multiline=True)
    if bad is not None:
        raise IntakeError({"text": [f"Contains a control character (U+{ord(bad):04X})."]})
    if case_status.closes(row.status):
        raise NotRatable("The case is closed: dispute its result instead.")
    today = tx.session.execute(select(func.count()).select_from(case_replies).where(
        case_replies.c.case_id == row.id, case_replies.c.channel == "web",
        case_replies.c.received_at > now - timedelta(days=1))).scalar()
    if today >= WEB_REPLIES_A_DAY:
        raise IntakeError({"text": [f"Too many messages: at most {WEB_REPLIES_A_DAY} a day on the tracking page."]})
    reply_id = str(uuid.uuid4())
    answers = row.status == case_status.WAITING_FOR_COMPLAINANT
    tx.session.execute(case_replies.insert().values(id=reply_id, case_id=row.id, channel="web", text=text,
                                                    answers_request=answers, received_at=now))
    tx.emit(CASE_REPLY_RECEIVED, case_id=row.id, occurred_at=now, tracking_number=row.tracking_number,
            channel="web", reply_id=reply_id, answers_request=answers)
    return {"reply_id": reply_id, "answers_request": answers}


def attachments_of(session, case_id):
    """The files the complaint came with (names, types and sizes; an officer's view)."""
    return [{"id": r.id, "filename": r.filename, "content_type": r.content_type, "size": r.size}
            for r in session.execute(select(attachments).where(attachments.c.case_id == case_id)
                                     .order_by(attachments.c.created_at, attachments.c.filename)).all()]


def attachment_of(session, case_id, attachment_id):
    """One of the case's attachments (its row: filename, content_type, sha256), or None."""
    return session.execute(select(attachments).where(attachments.c.case_id == case_id,
                                                     attachments.c.id == str(attachment_id)[:36])).first()


def channel_ref_of(row):
    """The channel's own reference the case was recorded with (a letter's number and date...)."""
    try:
        given = json.loads(row.channel_ref or "{}")
    except ValueError:
        return {}
    return given if isinstance(given, dict) else {}


def replies_of(session, case_id):
    """What the complainant wrote back about the case, oldest first (an officer's view)."""
    return [{"id": r.id, "channel": r.channel, "text": r.text, "answers_request": r.answers_request,
             "received_at": _local(r.received_at)}
            for r in session.execute(select(case_replies).where(case_replies.c.case_id == case_id)
                                     .order_by(case_replies.c.received_at)).all()]


def receive_inbound(tx, channel, external_id, data, ctx, now=None):
    """A complaint from a polled or pushed channel (e-mail, LINE): processed once per external id,
    however often it is fetched again; returns what receive_case returns, or None for a repeat."""
    now = now or utcnow()
    if not insert_ignoring_duplicates(tx.session, inbound_messages, {
            "channel": channel, "external_id": external_id[:255], "received_at": now}):
        return None
    created = receive_case(tx, data, ctx, now=now)
    tx.session.execute(update(inbound_messages).where(inbound_messages.c.channel == channel,
                                                      inbound_messages.c.external_id == external_id[:255])
                       .values(case_id=created["case_id"]))
    return created


def public_requests(session, filters):
    """Cases as Open311 lists them: never confidential ones; newest first, at most filters['limit']."""
    query = select(cases).where(cases.c.confidential.is_(False))
    if filters.get("ids"):
        query = query.where(cases.c.tracking_number.in_(filters["ids"]))
    if filters.get("codes"):
        query = query.where(cases.c.category.in_(filters["codes"]))
    if filters.get("start"):
        query = query.where(cases.c.received_at >= filters["start"])
    if filters.get("end"):
        query = query.where(cases.c.received_at <= filters["end"])
    statuses = set(filters.get("statuses") or ())
    if statuses == {"closed"}:
        query = query.where(cases.c.status.in_(case_status.CLOSED_STATUSES))
    elif statuses == {"open"}:
        query = query.where(cases.c.status.not_in(case_status.CLOSED_STATUSES))
    return session.execute(query.order_by(cases.c.received_at.desc()).limit(filters.get("limit", 1000))).all()


def public_request(session, tracking_number=None, case_id=None):
    query = select(cases).where(cases.c.confidential.is_(False))
    if tracking_number is not None:
        query = query.where(cases.c.tracking_number == tracking_number.strip().upper())
    else:
        query = query.where(cases.c.id == case_id)
    return session.execute(query).first()


def by_tracking_number(session, tracking_number):
    return session.execute(select(cases).where(cases.c.tracking_number == tracking_number.strip().upper())).first()


def by_id(session, case_id):
    return session.execute(select(cases).where(cases.c.id == case_id)).first()
