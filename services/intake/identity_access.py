"""Who complained: shown to an officer only as the policy allows, for a reason on record, and for a
confidential case only after a second person has approved.

`ask` is an officer's request to see a case's complainant. The policy (shared/policy.py) answers:
- allow: the identity is shown, and the view recorded with its reason;
- approval (a confidential case): a request is recorded and waits for a second person, a unit head
  or director of the case's units, or the committee for a grave case, never the one who asked; once
  approved, its officer sees the identity (each view recorded) for INTAKE.approval_valid seconds;
- deny: refused, and the denial recorded.
Every request, approval, refusal, view and denial goes to the audit log (shared/audit.py) and every
view to the identity access log as before. The use cases return what happened; the service turns a
denial into a 403 after the record of it is committed.
"""
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from services.intake.cases import identity_of
from services.intake.exceptions import IntakeError, NotFound
from services.intake.models import identity_access_log, identity_requests
from shared import audit, policy
from shared.actors import Actor
from shared.times import utcnow

APPROVED, REFUSED = "approved", "refused"


@dataclass(frozen=True)
class CaseFacts:
    """What the policy asks of a case, as intake knows it (its units from routing)."""
    case_id: str
    tracking_number: str
    site_id: str
    units: tuple
    recorded_by: str
    confidential: bool
    kind: int

    def decide(self, actor, action):
        return actor.decide(action, self.site_id, self.units, self.recorded_by, self.confidential, self.kind)


@dataclass(frozen=True)
class Outcome:
    """`shown` with the identity; `requested` with the request waiting for approval; `denied`."""
    state: str
    identity: dict = None
    request: dict = None
    message: str = None


def ask(tx, actor, facts, reason, sealer, approval_valid, now=None):
    """An officer asks to see who complained (see the module's doc)."""
    now = now or utcnow()
    problem = policy.reason_problem(reason)
    if problem:
        raise IntakeError({"reason": [problem]})
    reason = " ".join(reason.split())
    decision = facts.decide(actor, "reveal_identity")
    if decision == policy.DENY:
        audit.record(tx.session, actor, "reveal_identity", "denied", facts.case_id, reason, at=now)
        return Outcome("denied", message="Your role may not see who complained in this case.")
    if decision == policy.APPROVAL:
        approved = _approved_request(tx.session, actor, facts.case_id, now - timedelta(seconds=approval_valid))
        if approved is None:
            return Outcome("requested", request=_request(tx, actor, facts, reason, now))
        detail = {"request_id": approved.id, "approved_by": approved.decided_by}
    else:
        detail = None
    identity, confidential = identity_of(tx.session, facts.case_id, sealer)
    tx.session.execute(identity_access_log.insert().values(
        case_id=facts.case_id, requested_by=actor.name[:128], purpose=reason, at=now))
    audit.record(tx.session, actor, "reveal_identity", "viewed", facts.case_id, reason, detail, at=now)
    return Outcome("shown", identity={"identity": identity, "confidential": confidential})


def _approved_request(session, actor, case_id, since):
    return next(_theirs(session.execute(select(identity_requests).where(
        identity_requests.c.case_id == case_id, identity_requests.c.requested_by == actor.name[:200],
        identity_requests.c.decision == APPROVED, identity_requests.c.decided_at >= since)
        .order_by(identity_requests.c.decided_at.desc())).all(), actor), None)


def _theirs(rows, actor):
    """The requests of this very actor: the same name and the same account (or key), so that two keys
    given one name do not share an approval."""
    for row in rows:
        requester = Actor.from_json(row.requester)
        if requester is not None and requester.account_id == actor.account_id:
            yield row


def _request(tx, actor, facts, reason, now):
    """The officer's waiting request for the case (one at a time: asking again changes nothing)."""
    waiting = next(_theirs(tx.session.execute(select(identity_requests).where(
        identity_requests.c.case_id == facts.case_id, identity_requests.c.requested_by == actor.name[:200],
        identity_requests.c.decision.is_(None))).all(), actor), None)
    if waiting is not None:
        return view(waiting, facts.tracking_number)
    request_id = str(uuid.uuid4())
    tx.session.execute(identity_requests.insert().values(
        id=request_id, case_id=facts.case_id, requested_by=actor.name[:200], requester=actor.to_json(),
        reason=reason, requested_at=now))
    audit.record(tx.session, actor, "reveal_identity", "requested", facts.case_id, reason,
                 {"request_id": request_id}, at=now)
    return view(tx.session.execute(select(identity_requests).where(identity_requests.c.id == request_id)).one(),
                facts.tracking_number)


def request_case(session, request_id):
    """The case id a request is about (NotFound for no such request)."""
    case_id = session.execute(select(identity_requests.c.case_id).where(
        identity_requests.c.id == str(request_id)[:36])).scalar_one_or_none()
    if case_id is None:
        raise NotFound("No such request.")
    return case_id


def decide(tx, actor, facts, request_id, approve, note=None, now=None):
    """A second person approves (or refuses) a waiting request. Outcome `approved`/`refused`, or
    `denied` when the policy does not let them (they asked it themselves, or their role or units do
    not reach the case). A request decided already is not decided again (IntakeError)."""
    now = now or utcnow()
    row = tx.session.execute(select(identity_requests).where(identity_requests.c.id == request_id)).first()
    if row is None or row.case_id != facts.case_id:
        raise NotFound("No such request.")
    if not may_decide(row, actor, facts):
        audit.record(tx.session, actor, "approve_reveal", "denied", facts.case_id, note,
                     {"request_id": row.id, "requested_by": row.requested_by}, at=now)
        why = "The one who asked cannot approve their own request." if asked_by(row, actor) else \
            "Your role may not approve a look at who complained in this case."
        return Outcome("denied", message=why)
    if row.decision is not None:
        raise IntakeError({"request": [f"already {row.decision} by {row.decided_by}"]})
    decision = APPROVED if approve else REFUSED
    tx.session.execute(update(identity_requests).where(identity_requests.c.id == row.id).values(
        decided_by=actor.name[:200], decision=decision, decision_note=(note or "").strip()[:2000] or None,
        decided_at=now))
    audit.record(tx.session, actor, "approve_reveal", decision, facts.case_id, note,
                 {"request_id": row.id, "requested_by": row.requested_by, "request_reason": row.reason}, at=now)
    return Outcome(decision, request=view(tx.session.execute(select(identity_requests).where(
        identity_requests.c.id == row.id)).one(), facts.tracking_number))


def asked_by(row, actor):
    """Whether `actor` is the one who made the request (by name or by account): they cannot decide it."""
    requester = Actor.from_json(row.requester)
    return row.requested_by == actor.name[:200] or bool(
        requester is not None and requester.account_id and requester.account_id == actor.account_id)


def may_decide(row, actor, facts):
    """Whether `actor` may approve or refuse the request `row` about the case of `facts`."""
    return not asked_by(row, actor) and facts.decide(actor, "approve_reveal") == policy.ALLOW


def waiting(session, limit=200):
    """Requests not decided yet, oldest first, with their case ids (the caller keeps those its
    officer may decide)."""
    return session.execute(select(identity_requests).where(identity_requests.c.decision.is_(None))
                           .order_by(identity_requests.c.requested_at).limit(limit)).all()


def view(row, tracking_number):
    return {"id": row.id, "tracking_number": tracking_number, "requested_by": row.requested_by,
            "reason": row.reason, "requested_at": row.requested_at.isoformat(),
            "status": row.decision or "waiting", "decided_by": row.decided_by,
            "decided_at": row.decided_at.isoformat() if row.decided_at else None}
