"""intake: the case record and the public front door."""
import logging

from nameko.dependency_providers import Config

from services.intake import cases
from services.intake.dependencies import Intake
from services.intake.schemas import NewCaseSchema
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.rpc import RpcProxy, RpcTimeout, call_with_timeout, rpc, rpc_timeout
from shared.store import Database
from shared.web import InvalidRequest, http, json_response, load_or_400, read_json_object

log = logging.getLogger(__name__)
new_case_schema = NewCaseSchema()
NOT_FOUND = {"error": "not_found", "message": "No case with that tracking number and access code."}


class IntakeService:
    name = "intake"

    db = Database()
    metrics = Metrics()
    config = Config()
    intake = Intake()
    reporting = RpcProxy("reporting")
    sla = RpcProxy("sla")

    @http("POST", "/api/v1/cases")
    def create_case(self, request):
        try:
            data = load_or_400(new_case_schema, read_json_object(request))
            created = self.db.run(cases.receive_case, data, self.intake)
        except InvalidRequest as exc:
            return exc.response()
        except cases.IntakeError as exc:
            return InvalidRequest(exc.errors).response()
        return json_response(201, created,
                             headers={"Location": f"/api/v1/cases/{created['tracking_number']}"})

    @http("GET", "/api/v1/cases/<tracking_number>")
    def get_case(self, request, tracking_number):
        with self.db.reading() as session:
            row = cases.find_for_owner(session, tracking_number, request.args.get("access_code", ""))
        if row is None:  # a wrong code and an unknown number look the same
            return json_response(404, NOT_FOUND)
        timeline = self._ask(self.reporting.case_timeline, row.id)
        clocks = self._ask(self.sla.case_clocks, row.id)
        return json_response(200, cases.public_view(row, timeline, clocks))

    @http("GET", "/healthz")
    def health(self, request):
        return json_response(200, {"status": "ok"})

    @event_handler("routing", "case_routed")
    def on_case_routed(self, event):
        self.db.handle(event, cases.record_routing)

    @event_handler("sla", "sla_clock_started")
    def on_sla_clock_started(self, event):
        self.db.handle(event, cases.record_deadline)

    @event_handler("sla", "sla_deadline_changed")
    def on_sla_deadline_changed(self, event):
        self.db.handle(event, cases.record_deadline)

    def _ask(self, method, *args):
        """Another service's part of the case page; None when it does not answer in time."""
        try:
            return call_with_timeout(method, *args, timeout=rpc_timeout(self.config))
        except RpcTimeout:
            log.warning("no answer from %s; case shown without it", method.service_name)
            return None

    @rpc
    def contact_for_notice(self, case_id):
        return self.db.run(cases.contact_for_notice, case_id, self.intake.sealer)
