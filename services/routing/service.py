"""routing: who handles each case."""
from services.routing import assignments
from services.routing.dependencies import DirectoryProvider
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.store import Database


class RoutingService:
    name = "routing"

    db = Database()
    metrics = Metrics()
    directory = DirectoryProvider()

    @event_handler("intake", "case_received")
    def route_case(self, event):
        self.db.handle(event, assignments.route_case, self.directory)
