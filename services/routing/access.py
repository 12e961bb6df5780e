"""Who may take routing's officer actions: the acting officer (shared/actors.py) and the case, as the
policy (shared/policy.py) decides, checked in the transaction that carries the action out.

routing knows what the policy asks of its actions: the case's units (the lead and the others it was
given to) and its kind (the committee acts on kinds 3 and 4 only). Whether the officer recorded the
case and whether it is confidential make no difference to a routing action (tests/unit/test_policy.py
holds the table to that), so routing needs neither. Every decision is on the audit log: a denial in a
transaction of its own, an allowed action with the action itself.
"""
from sqlalchemy import select

from services.routing.models import assignments, case_units
from shared import audit, policy

DENIED = object()  # what `act` returns for a denied action: the service raises Forbidden once it is on record

# the RPC that carries out each policy action
ACTIONS = {"confirm": "confirm", "reroute": "reroute", "change_kind": "change_kind", "request_info": "request_info",
           "info_received": "info_received", "assign_units": "assign_units", "set_unit_status": "unit_status",
           "forward": "forward", "answer": "answer"}


def case_facts(session, case_id):
    """(units, kind) of the case: every unit it is with, the lead first; its kind (None if not routed)."""
    units = [unit for (unit,) in session.execute(select(case_units.c.unit_id).where(
        case_units.c.case_id == case_id).order_by(case_units.c.role, case_units.c.unit_id)).all()]
    lead = session.execute(select(assignments.c.unit_id, assignments.c.kind)
                           .where(assignments.c.case_id == case_id)).first()
    if lead is not None and lead.unit_id not in units:
        units.insert(0, lead.unit_id)
    return tuple(units), (lead.kind if lead is not None else None)


def check(tx, actor, action, site_id, case_id):
    """True if the policy allows `actor` the action on the case; a denial is recorded."""
    units, kind = case_facts(tx.session, case_id)
    if actor.decide(action, site_id, units, kind=kind) == policy.ALLOW:
        return True
    audit.record(tx.session, actor, action, "denied", case_id, detail={"units": list(units), "kind": kind})
    return False


def act(tx, actor, action, site_id, case_id, use_case, *args, **kwargs):
    """`use_case(tx, case_id, *args, **kwargs)` if the policy allows it (recorded with it), else DENIED."""
    if not check(tx, actor, action, site_id, case_id):
        return DENIED
    result = use_case(tx, case_id, *args, **kwargs)
    audit.record(tx.session, actor, action, "allowed", case_id)
    return result


def site_act(tx, actor, action, detail, use_case, *args, **kwargs):
    """A site-wide action (the knowledge base): `use_case(tx, *args, **kwargs)` if allowed, else DENIED."""
    if actor.decide(action) != policy.ALLOW:
        audit.record(tx.session, actor, action, "denied", detail=detail)
        return DENIED
    result = use_case(tx, *args, **kwargs)
    audit.record(tx.session, actor, action, "allowed", detail=detail)
    return result


def record_allowed(tx, actor, action, case_id):
    audit.record(tx.session, actor, action, "allowed", case_id)
