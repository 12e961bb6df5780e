"""notify: telling complainants, and logging every delivery."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.notify import deliveries
from services.notify.dependencies import SealedRecipients, Senders
from shared.config import setting
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc_timeout
from shared.store import Database
from shared.timers import configured_timer


class NotifyService:
    name = "notify"

    db = Database()
    metrics = Metrics()
    config = Config()
    senders = Senders()
    recipients = SealedRecipients()
    intake = RpcProxy("intake")

    @event_handler("intake", "case_received")
    def acknowledge_case(self, event):
        if deliveries.acknowledged_elsewhere(event):
            return
        self._tell(event, "acknowledgment", ask_contact=deliveries.gave_an_address(event, tuple(self.senders)))

    @event_handler("routing", "case_answered_from_kb")
    def send_kb_answer(self, event):
        self._tell(event, "kb_answer")

    @event_handler("routing", "case_answered")
    def send_result(self, event):
        """The complainant is told the result by the site they complained to: an answer that goes back
        to the site that forwarded the case is told there, not here."""
        if event["to_site"]:
            return
        self._tell(event, "result")

    @event_handler("routing", "case_routed")
    def tell_routed(self, event):
        """Which unit has the case and when it is due."""
        if deliveries.tells_routed(event):
            self._tell(event, "routed", business_days=deliveries.business_days_for(
                setting(self.config, "SLA", "resolution_days", None), event["kind"]))

    @event_handler("routing", "case_rerouted")
    def tell_rerouted(self, event):
        self._tell(event, "routed")

    @event_handler("routing", "case_unit_status_changed")
    def tell_progress(self, event):
        if deliveries.tells_progress(event):
            self._tell(event, "progress")

    @event_handler("routing", "case_info_requested")
    def ask_complainant(self, event):
        self._tell(event, "info_request")

    @event_handler("intake", "case_reopened")
    def tell_reopened(self, event):
        self._tell(event, "reopened")

    @configured_timer("NOTIFY", "retry_interval", default=30)
    def retry_deliveries(self):
        deliveries.retry_due(self.db, self.senders, self.recipients, self._contact)

    # -- helpers (calls only) -------------------------------------------------------------------

    def _tell(self, event, purpose, ask_contact=True, business_days=None):
        """Tell the complainant about `event` (services/notify/deliveries.py: logged first, once)."""
        deliveries.notify(self.db, self.senders, self.recipients, self._contact, event, purpose, ask_contact,
                          business_days)

    def _contact(self, case_id, delivery_id, purpose):
        """The complainant's address, from intake (which records the look at a confidential case, once
        per delivery: asked again, after a timeout say, it is the same record)."""
        return call_with_timeout(self.intake.contact_for_notice, case_id, delivery_id, purpose,
                                 timeout=rpc_timeout(self.config))
