"""SLA's use case: start the resolution clock of a routed case."""
import uuid

from services.sla.calendar import resolution_target
from services.sla.models import clocks
from shared.events import SLA_CLOCK_STARTED


def start_resolution_clock(tx, event, calendar):
    business_days = resolution_target(event["kind"])
    due_at = calendar.deadline(event["received_at"], business_days)
    clock_id = str(uuid.uuid4())
    tx.session.execute(clocks.insert().values(
        id=clock_id, case_id=event["case_id"], target="resolution", kind=event["kind"],
        unit_id=event["unit_id"], business_days=business_days, started_at=event["received_at"],
        due_at=due_at, state="open"))
    tx.emit(SLA_CLOCK_STARTED, case_id=event["case_id"], clock_id=clock_id, target="resolution",
            kind=event["kind"], unit_id=event["unit_id"], started_at=event["received_at"],
            due_at=due_at, business_days=business_days)
    return due_at
