"""notify: telling complainants, and logging every delivery."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy
from nameko.timer import timer

from services.notify import deliveries
from services.notify.dependencies import Senders
from shared.delivery import event_handler
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc_timeout
from shared.store import Database


class NotifyService:
    name = "notify"

    db = Database()
    metrics = Metrics()
    config = Config()
    senders = Senders()
    intake = RpcProxy("intake")

    @event_handler("intake", "case_received")
    def acknowledge_case(self, event):
        if deliveries.acknowledged_elsewhere(event):
            return
        contact = {}
        if {"email", "line"} & set(event["contact_channels"]):
            contact = call_with_timeout(self.intake.contact_for_notice, event["case_id"],
                                        timeout=rpc_timeout(self.config))
        delivery_id = self.db.handle(event, deliveries.plan_acknowledgment, contact)
        if delivery_id:
            deliveries.attempt(self.db, self.senders, delivery_id)

    @event_handler("routing", "case_answered_from_kb")
    def send_kb_answer(self, event):
        contact = call_with_timeout(self.intake.contact_for_notice, event["case_id"], timeout=rpc_timeout(self.config))
        delivery_id = self.db.handle(event, deliveries.plan_kb_answer, contact)
        if delivery_id:
            deliveries.attempt(self.db, self.senders, delivery_id)

    @event_handler("routing", "case_answered")
    def send_result(self, event):
        """The complainant is told the result by the site they complained to: an answer that goes back
        to the site that forwarded the case is told there, not here."""
        if event["to_site"]:
            return
        contact = call_with_timeout(self.intake.contact_for_notice, event["case_id"], timeout=rpc_timeout(self.config))
        delivery_id = self.db.handle(event, deliveries.plan_result, contact)
        if delivery_id:
            deliveries.attempt(self.db, self.senders, delivery_id)

    @timer(interval=30)
    def retry_deliveries(self):
        with self.db.reading() as session:
            due = deliveries.due_for_retry(session)
        for delivery_id in due:
            deliveries.attempt(self.db, self.senders, delivery_id)
