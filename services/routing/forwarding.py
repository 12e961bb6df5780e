"""Cases between sites: forward a case to another complaint centre, answer a case, and record the
answer that comes back for a case this site forwarded.

The hub forwards a case to the agency or district that can act (`case_forwarded`, carrying the
case record); that site records it as a referral, handles it like any case, and its answer
(`case_answered`, addressed back) closes the original at the hub. The complainant's identity goes
with a forwarded case only to a site the directory marks `personal_data: true`, and never when
the case is confidential.

intake records the identity as disclosed to the site when it hands over the record, so
`forward_case` asks it last: only a forward that nothing can refuse any more asks, and the event
that really sends the record is written in the same transaction.
"""
import base64
import uuid

from sqlalchemy import select, update

from services.routing import case_states, result_documents
from services.routing.exceptions import RoutingError, SiteMismatch
from services.routing.models import assignments, case_units
from services.routing.models import result_documents as result_documents_table
from services.routing.records import log_action, routed_case
from shared import events
from shared.rpc import RpcTimeout
from shared.times import utcnow


def forward_terms(directory, own_site, to_site, linked=True):
    """The site a case may be forwarded to, and whether the complainant's identity may go with it."""
    if not linked:
        raise RoutingError("this site runs on the in-memory broker and has no link to other sites: run it on "
                           "RabbitMQ and link the sites (rongtuk sites link) to forward cases")
    if not isinstance(to_site, str) or not to_site.strip():
        raise RoutingError("name the site to forward to")
    to_site = to_site.strip().upper()
    if to_site == own_site:
        raise RoutingError("a case cannot be forwarded to this site itself")
    site = directory.sites.get(to_site)
    if site is None:
        known = ", ".join(s for s in directory.sites if s != own_site) or "none"
        raise RoutingError(f"unknown site {to_site!r} (the directory knows: {known})")
    return site


def forward_words(reason, officer):
    """The reason and the officer of a forward, both required (both are recorded and sent)."""
    if not isinstance(reason, str) or not reason.strip():
        raise RoutingError("a forward needs a reason")
    if not isinstance(officer, str) or not officer.strip():
        raise RoutingError("say which officer acts: it is recorded")
    return reason.strip(), officer.strip()


def check_forward(session, case_id, to_site, lock=False):
    """Raise RoutingError if the case cannot be forwarded now (before anything is fetched for it).
    With `lock`, the case's row stays locked until the transaction ends."""
    if lock:  # FOR UPDATE on PostgreSQL; SQLite ignores it (an embedded site cannot forward)
        session.execute(select(assignments.c.case_id).where(assignments.c.case_id == case_id).with_for_update())
    row = routed_case(session, case_id)
    case_states.forward(row.status, to_site, row.forwarded_to, row.referral_site)
    return row


def forward_case(store, directory, case_id, to_site, reason, officer, record_of, linked=True):
    """Forward a case to another site: the `forward` RPC. `record_of(case_id, site_id, with_identity)`
    is intake's forward_record, which logs the identity it gives as disclosed to that site.

    So it is called only after every check that could refuse the forward, with the case's row locked
    until the forward is written (no other action on the case can make it fail in between), and the
    event that carries the record is written after it, in that transaction: a refused forward asks
    intake nothing, and one intake does not answer writes and emits nothing."""
    site = forward_terms(directory, store.site_id, to_site, linked)
    reason, officer = forward_words(reason, officer)
    with store.transaction() as tx:
        check_forward(tx.session, case_id, site.id, lock=True)
        try:
            case_record = record_of(case_id, site.id, site.personal_data)
        except RpcTimeout:
            raise RoutingError("intake did not answer in time; nothing was forwarded") from None
        return forward(tx, case_id, site, reason, officer, case_record)


def forward(tx, case_id, site, reason, officer, case_record):
    """Send the case to another site. `case_record` is what intake gives for it: {record, complainant},
    the complainant already left out unless the rules allow it."""
    row = check_forward(tx.session, case_id, site.id)
    reason, officer = forward_words(reason, officer)
    complainant = case_record.get("complainant") if site.personal_data else None
    log_action(tx, case_id, "forward", officer, f"-> {site.id}: {reason}"
         + (" (with the complainant's contacts)" if complainant else ""))
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id).values(
        status=case_states.FORWARDED, forwarded_to=site.id, updated_at=utcnow()))
    tx.emit(events.CASE_FORWARDED, case_id=case_id, tracking_number=row.tracking_number, to_site=site.id,
            reason=reason[:500], officer=officer[:128],
            # the kind routing decided is the case's kind (intake may not have heard it yet)
            record={**case_record["record"], "kind": row.kind or case_record["record"]["kind"]},
            complainant=complainant)
    return {"case_id": case_id, "status": case_states.FORWARDED, "to_site": site.id,
            "complainant_shared": complainant is not None}


def answer(tx, case_id, text, officer, unit_id=None, uploads=(), files=None):
    """This site's answer to a case: it is told to the complainant, and goes back to the site that
    forwarded the case here, if one did. `uploads` are its result documents, already checked
    (result_documents.decode), kept in `files` (a shared.files.FileStore) and listed on the event.
    The case's row is locked first: of two answers at the same moment, the second finds it answered."""
    tx.session.execute(select(assignments.c.case_id).where(assignments.c.case_id == case_id).with_for_update())
    row = routed_case(tx.session, case_id)
    if not isinstance(text, str) or not text.strip():
        raise RoutingError("the answer is empty")
    if len(text.strip()) > 5000:
        raise RoutingError("an answer is at most 5000 characters")
    status = case_states.answer(row.status)
    if unit_id is not None:
        on_case = tx.session.execute(select(case_units.c.unit_id).where(
            case_units.c.case_id == case_id, case_units.c.unit_id == unit_id)).first()
        if on_case is None:
            raise RoutingError(f"unit {unit_id!r} is not on the case")
    log_action(tx, case_id, "answer", officer, text.strip()[:500]
               + (f" (+{len(uploads)} document{'s' if len(uploads) > 1 else ''})" if uploads else ""))
    now = utcnow()
    documents = _keep_documents(tx, case_id, uploads, files, officer, now)
    tx.session.execute(update(assignments).where(assignments.c.case_id == case_id).values(
        status=status, answer=text.strip(), answered_by_site=tx.site_id, answered_at=now, updated_at=now))
    referral = ({"site_id": row.referral_site, "case_id": row.referral_case_id,
                 "tracking_number": row.referral_tracking_number} if row.referral_site else None)
    tx.emit(events.CASE_ANSWERED, case_id=case_id, occurred_at=now, tracking_number=row.tracking_number,
            answer=text.strip(), officer=officer.strip()[:128], unit_id=unit_id or row.unit_id,
            answered_by_site=tx.site_id, referral=referral, to_site=row.referral_site, documents=documents)
    return {"case_id": case_id, "status": status, "sent_to_site": row.referral_site,
            "documents": [{k: d[k] for k in ("id", "filename", "content_type", "size")} for d in documents]}


def _keep_documents(tx, case_id, uploads, files, officer, now):
    """Each file kept by its checksum (a commit that fails leaves an unlisted file, never a listed
    one without its file) and its row written in the answer's transaction."""
    if uploads and files is None:
        raise RoutingError("this routing process keeps no files: result documents cannot be taken")
    kept = []
    for upload in uploads:
        document = result_documents.described(str(uuid.uuid4()), upload, files.put(upload.data), tx.site_id)
        tx.session.execute(result_documents_table.insert().values(
            id=document["id"], case_id=case_id, filename=document["filename"], content_type=document["content_type"],
            size=document["size"], sha256=document["sha256"], officer=officer.strip()[:128], created_at=now))
        kept.append(document)
    return kept


def result_document(session, files, case_id, document_id):
    """A result document of the case, {filename, content_type, content_base64}; None when the case has
    none by that id here (another site's answer lists documents that site keeps)."""
    row = session.execute(select(result_documents_table).where(
        result_documents_table.c.case_id == case_id, result_documents_table.c.id == document_id)).first()
    if row is None or files is None:
        return None
    try:
        data = files.get(row.sha256)
    except FileNotFoundError:
        return None
    return {"filename": row.filename, "content_type": row.content_type,
            "content_base64": base64.b64encode(data).decode("ascii")}


def record_site_answer(tx, event):
    """Another site answered a case this site forwarded to it: the case here has its answer."""
    origin = event["referral"]
    if origin is None or origin["site_id"] != tx.site_id:
        raise SiteMismatch(f"answer from {event['site_id']} names no case of this site")
    row = tx.session.execute(select(assignments).where(assignments.c.case_id == origin["case_id"])).first()
    if row is None or row.forwarded_to != event["site_id"]:
        raise SiteMismatch(f"case {origin['case_id']} was not forwarded to {event['site_id']}")
    status = case_states.site_answer(row.status)
    if status is None:
        return None  # answered here meanwhile; the site's answer is on its own timeline
    now = utcnow()
    tx.session.execute(update(assignments).where(assignments.c.case_id == row.case_id).values(
        status=status, answer=event["answer"], answered_by_site=event["site_id"], answered_at=now,
        updated_at=now))
    return tx.emit(events.CASE_ANSWERED, case_id=row.case_id, occurred_at=event["occurred_at"],
                   tracking_number=row.tracking_number, answer=event["answer"], officer=event["officer"],
                   unit_id=None, answered_by_site=event["site_id"],
                   referral={"site_id": event["site_id"], "case_id": event["case_id"],
                             "tracking_number": event["tracking_number"]}, to_site=None,
                   documents=event["documents"])  # listed here, kept at the site that answered
