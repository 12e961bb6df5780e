"""notify: telling complainants, and logging every delivery."""
from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.notify import deliveries, digest, office, sms_reports, webhooks
from services.notify.dependencies import NoticeSettings, SealedRecipients, Senders
from shared.config import setting
from shared.delivery import event_handler
from shared.health import Health
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc, rpc_timeout
from shared.store import Database
from shared.timers import configured_timer
from shared.times import utcnow


def hooking(hooked):
    """The service class given a handler `hook_<event>` for each event an office's webhooks may choose
    (webhooks.HOOKED): it posts the event to the endpoints that want it, if any."""
    def hook(source, name):
        @event_handler(source, name)
        def handler(self, event):
            deliveries.hook(self.db, self.senders, self.recipients, source, name, event)
        handler.__name__ = handler.__qualname__ = f"hook_{name}"
        handler.__doc__ = f"{source}'s {name} to the webhooks that want it."
        return handler

    def add_handlers(service_cls):
        for source, name in hooked:
            setattr(service_cls, f"hook_{name}", hook(source, name))
        return service_cls
    return add_handlers


@hooking(webhooks.HOOKED)
class NotifyService:
    name = "notify"

    db = Database()
    metrics = Metrics()
    health = Health()
    config = Config()
    senders = Senders()
    recipients = SealedRecipients()
    settings = NoticeSettings()
    intake = RpcProxy("intake")
    routing = RpcProxy("routing")
    sla = RpcProxy("sla")

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

    @event_handler("routing", "case_answered")
    def ask_satisfaction(self, event):
        """After the result, the complainant is asked how satisfied they are (NOTIFY.survey_url, the
        page where they rate the case); by the site that told them the result."""
        url = deliveries.survey_url(setting(self.config, "NOTIFY", "survey_url", ""), event["tracking_number"])
        if event["to_site"] or url is None:
            return
        self._tell({**event, "survey_url": url}, "survey")

    @event_handler("routing", "case_routed")
    def tell_routed(self, event):
        """Which unit has the case and when it is due."""
        if deliveries.tells_routed(event):
            self._tell(event, "routed", business_days=deliveries.business_days_for(
                setting(self.config, "SLA", "resolution_days", None), event["kind"]))

    @event_handler("routing", "case_rerouted")
    def tell_rerouted(self, event):
        self._tell(event, "routed")

    # -- the office: a unit given a case, a deadline near or passed, an escalation (office.py) ----------

    @event_handler("routing", "case_routed")
    def tell_unit_routed(self, event):
        self._tell_office(event, lambda d, number: [self._to_unit("assigned", event, d, number, event["unit_id"])])

    @event_handler("routing", "case_rerouted")
    def tell_unit_rerouted(self, event):
        self._tell_office(event, lambda d, number: [self._to_unit("assigned", event, d, number, event["unit_id"])])

    @event_handler("routing", "case_units_assigned")
    def tell_units_assigned(self, event):
        self._tell_office(event, lambda d, number: [self._to_unit("assigned", event, d, number, unit["unit_id"])
                                                     for unit in event["units"]])

    @event_handler("sla", "sla_warning")
    def warn_unit(self, event):
        self._tell_office(event, lambda d, number: [self._to_unit("warning", event, d, number, event["unit_id"])])

    @event_handler("sla", "sla_breached")
    def tell_unit_breached(self, event):
        self._tell_office(event, lambda d, number: [self._to_unit("breach", event, d, number, event["unit_id"])])

    @event_handler("sla", "sla_escalated")
    def escalate(self, event):
        self._tell_office(event, lambda d, number: [office.to_role(event, d, number)])

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

    @rpc
    def sms_report(self, token, body):
        """An SMS gateway's delivery report as intake's /webhooks/sms/<token> received it: checked, read
        and kept (sms_reports.py). What to answer it: [HTTP status, JSON body]."""
        return sms_reports.received(self.config.get("SMS"), token, body,
                                    lambda *report: self.db.run(deliveries.sms_reported, *report))

    @configured_timer("NOTIFY", "digest_interval", default=60)
    def send_digests(self):
        """Once a day at NOTIFY.digest_at, on the site's business days: each unit's open cases, soonest
        due first (digest.py), once however many processes look."""
        day = digest.due_day(utcnow(), self.settings.digest_at)
        if day is None:
            return
        event = digest.event_for(self.db.site_id, day)
        with self.db.reading() as session:
            if deliveries.claimed(session, event["event_id"], self.db.handler_name):
                return
        timeout = rpc_timeout(self.config)
        workload = call_with_timeout(self.sla.open_clocks_by_unit, self.db.site_id, timeout=timeout)
        notices = []
        if workload["business_day"]:
            case_ids = digest.case_ids(workload)
            numbers = call_with_timeout(self.intake.tracking_numbers, case_ids, timeout=timeout) if case_ids else {}
            directory = call_with_timeout(self.routing.directory, timeout=timeout)
            notices = digest.notices(workload, numbers, directory)
        deliveries.notify_office(self.db, self.senders, self.recipients, event, notices, self.settings.wording)

    @configured_timer("NOTIFY", "retry_interval", default=30)
    def retry_deliveries(self):
        deliveries.retry_due(self.db, self.senders, self.recipients, self._contact, wording=self.settings.wording)

    # -- helpers (calls only) -------------------------------------------------------------------

    def _tell(self, event, purpose, ask_contact=True, business_days=None):
        """Tell the complainant about `event` (services/notify/deliveries.py: logged first, once)."""
        deliveries.notify(self.db, self.senders, self.recipients, self._contact, event, purpose, ask_contact,
                          business_days, self.settings.wording)

    def _tell_office(self, event, notices_of):
        """Tell the office about `event`: `notices_of(directory, tracking_number)` says who hears what
        (office.py); the directory is routing's, the tracking number the event's or intake's."""
        number = event.get("tracking_number") or call_with_timeout(
            self.intake.tracking_number, event["case_id"], timeout=rpc_timeout(self.config))
        if number is None:  # a case intake does not have (a test event, a case deleted): nothing to name
            return
        directory = call_with_timeout(self.routing.directory, timeout=rpc_timeout(self.config))
        deliveries.notify_office(self.db, self.senders, self.recipients, event, notices_of(directory, number),
                                 self.settings.wording)

    def _to_unit(self, purpose, event, directory, number, unit_id):
        return office.to_unit(purpose, event, directory, number, unit_id, utcnow(), self.settings.quiet_hours,
                              deliveries.business_days_for(setting(self.config, "SLA", "resolution_days", None),
                                                           event.get("kind")))

    def _contact(self, case_id, delivery_id, purpose):
        """The complainant's address, from intake (which records the look at a confidential case, once
        per delivery: asked again, after a timeout say, it is the same record)."""
        return call_with_timeout(self.intake.contact_for_notice, case_id, delivery_id, purpose,
                                 timeout=rpc_timeout(self.config))
