"""Routing's use case: give each received case a unit and say why."""
from services.routing.models import assignments
from shared.events import CASE_ROUTED
from shared.store import utcnow


def route_case(tx, event, directory):
    assignment = directory.assign(event["subject"], event["description"], event["kind"])
    tx.session.execute(assignments.insert().values(
        case_id=event["case_id"], unit_id=assignment.unit.id, reason=assignment.reason,
        assigned_at=utcnow()))
    tx.emit(CASE_ROUTED, case_id=event["case_id"], tracking_number=event["tracking_number"],
            kind=event["kind"], received_at=event["received_at"], unit_id=assignment.unit.id,
            unit_name=assignment.unit.name_th, reason=assignment.reason)
    return assignment
