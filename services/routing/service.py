"""routing: who handles each case, why, and the officers' corrections."""
from services.routing import assignments
from services.routing.dependencies import Routing
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.rpc import rpc
from shared.store import Database


class RoutingService:
    name = "routing"

    db = Database()
    metrics = Metrics()
    routing = Routing()

    @event_handler("intake", "case_received")
    def route_case(self, event):
        self.db.handle(event, assignments.route_case, self.routing)

    @rpc(expected_exceptions=assignments.RoutingError)
    def confirm(self, case_id, officer):
        return self.db.run(assignments.confirm, case_id, officer)

    @rpc(expected_exceptions=assignments.RoutingError)
    def reroute(self, case_id, unit_id, reason, officer):
        return self.db.run(assignments.reroute, case_id, unit_id, reason, officer, self.routing.directory)

    @rpc(expected_exceptions=assignments.RoutingError)
    def request_info(self, case_id, question, officer):
        return self.db.run(assignments.request_info, case_id, question, officer)

    @rpc(expected_exceptions=assignments.RoutingError)
    def info_received(self, case_id, officer):
        return self.db.run(assignments.info_received, case_id, officer)

    @rpc
    def search_knowledge(self, text):
        return [{"id": e.id, "answer": e.answer, "unit_id": e.unit_id, "score": s}
                for e, s in (self.routing.knowledge.search(text) if self.routing.knowledge else [])]
