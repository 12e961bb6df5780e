"""The rows every officer's action on a routed case starts from: the case's assignment, and the log
of who did what to it. assignments.py (routing within the site) and forwarding.py (between sites)
both use them."""
from sqlalchemy import select

from services.routing.exceptions import RoutingError
from services.routing.models import actions, assignments
from shared.times import utcnow

OFFICER_CHARS = 128


def routed_case(session, case_id):
    """The case's assignment row; RoutingError if routing has not routed it."""
    row = session.execute(select(assignments).where(assignments.c.case_id == case_id)).first()
    if row is None:
        raise RoutingError(f"no routed case {case_id}")
    return row


def log_action(tx, case_id, action, officer, detail=None):
    """Record an officer's action on the case; RoutingError if no officer is named: every action is
    recorded with who took it."""
    if not officer or not officer.strip():
        raise RoutingError("say which officer acts: it is recorded")
    tx.session.execute(actions.insert().values(case_id=case_id, action=action, officer=officer.strip()[:OFFICER_CHARS],
                                               detail=detail, at=utcnow()))
