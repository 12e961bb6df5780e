"""sla: deadlines of every case on the business-day calendar."""
from services.sla import clocks
from services.sla.calendar import BusinessCalendar
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.store import Database


class SlaService:
    name = "sla"

    db = Database()
    metrics = Metrics()
    calendar = BusinessCalendar()

    @event_handler("routing", "case_routed")
    def start_clock(self, event):
        self.db.handle(event, clocks.start_resolution_clock, self.calendar)
