"""reporting: the read model of every case event, and the figures drawn from it."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.reporting import readmodel
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.rpc import RpcTimeout, call_with_timeout, rpc, rpc_timeout
from shared.store import Database
from shared.web import http, json_response


class ReportingService:
    name = "reporting"

    db = Database()
    metrics = Metrics()
    config = Config()
    intake = RpcProxy("intake")

    @event_handler("intake", "case_received")
    def on_case_received(self, event):
        self.db.handle(event, readmodel.record_event, "intake", "case_received")

    @event_handler("intake", "case_reopened")
    def on_case_reopened(self, event):
        self.db.handle(event, readmodel.record_event, "intake", "case_reopened")

    @event_handler("routing", "case_routed")
    def on_case_routed(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_routed")

    @event_handler("routing", "case_kind_changed")
    def on_case_kind_changed(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_kind_changed")

    @event_handler("routing", "case_triage_needed")
    def on_case_triage_needed(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_triage_needed")

    @event_handler("routing", "case_rerouted")
    def on_case_rerouted(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_rerouted")

    @event_handler("routing", "case_routing_confirmed")
    def on_case_routing_confirmed(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_routing_confirmed")

    @event_handler("routing", "case_info_requested")
    def on_case_info_requested(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_info_requested")

    @event_handler("routing", "case_info_received")
    def on_case_info_received(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_info_received")

    @event_handler("routing", "case_answered_from_kb")
    def on_case_answered_from_kb(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_answered_from_kb")

    @event_handler("routing", "case_units_assigned")
    def on_case_units_assigned(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_units_assigned")

    @event_handler("routing", "case_unit_status_changed")
    def on_case_unit_status_changed(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_unit_status_changed")

    @event_handler("routing", "case_forwarded")
    def on_case_forwarded(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_forwarded")

    @event_handler("routing", "case_answered")
    def on_case_answered(self, event):
        self.db.handle(event, readmodel.record_event, "routing", "case_answered")

    @event_handler("sla", "sla_clock_started")
    def on_sla_clock_started(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_clock_started")

    @event_handler("sla", "sla_warning")
    def on_sla_warning(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_warning")

    @event_handler("sla", "sla_breached")
    def on_sla_breached(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_breached")

    @event_handler("sla", "sla_escalated")
    def on_sla_escalated(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_escalated")

    @event_handler("sla", "sla_deadline_changed")
    def on_sla_deadline_changed(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_deadline_changed")

    @event_handler("sla", "sla_clock_stopped")
    def on_sla_clock_stopped(self, event):
        self.db.handle(event, readmodel.record_event, "sla", "sla_clock_stopped")

    @event_handler("notify", "notification_recorded")
    def on_notification_recorded(self, event):
        self.db.handle(event, readmodel.record_event, "notify", "notification_recorded")

    @rpc
    def case_timeline(self, case_id):
        with self.db.reading() as session:
            return readmodel.case_timeline(session, case_id)

    @rpc
    def status_counts(self):
        with self.db.reading() as session:
            return readmodel.status_counts(session)

    @http("GET", "/api/v1/reports/cases-by-status")
    def cases_by_status(self, request):
        """For officers: their X-Api-Key, which intake (keeper of the keys) checks."""
        refused = self._refuse_unless_officer(request)
        if refused is not None:
            return refused
        with self.db.reading() as session:
            return json_response(200, {"cases_by_status": readmodel.status_counts(session)})

    def _refuse_unless_officer(self, request):
        """None for an officer's valid key; else the answer (401 no key, 403 not an officer's valid
        key, 503 intake did not answer within RPC.timeout)."""
        key = request.headers.get("X-Api-Key")
        if not key:
            return json_response(401, {"error": "unauthorized", "message": "An officer's X-Api-Key is required."})
        try:
            holder = call_with_timeout(self.intake.api_key_holder, key, ["officer"], timeout=rpc_timeout(self.config))
        except RpcTimeout:
            return json_response(503, {"error": "unavailable", "message": "intake did not answer in time"})
        if not holder:
            return json_response(403, {"error": "forbidden", "message": "The API key is not valid for this."})
        return None
