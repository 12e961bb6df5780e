"""reporting: the read model of every case event, and the figures drawn from it; at a district, the
feed of its case events to the hub; at a hub, every district's feed folded in."""
import logging

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.reporting import feed_store, outputs, readmodel, report_figures
from services.reporting.exceptions import FeedNumberReused, ReportingError
from services.reporting.feed_link import Feed, feed_consumer, replay_consumer
from services.reporting.periods import PeriodError, parse_period
from services.reporting.portal import FiguresPages
from shared.config import site_id
from shared.delivery import Unprocessable, event_handler
from shared.health import Health
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc, rpc_timeout
from shared.store import Database
from shared.timers import configured_timer
from shared.times import utcnow
from shared.web import Refusal, file_response, http, json_response, refusal

log = logging.getLogger(__name__)

# what reporting refuses over HTTP (answered by shared/web.py): a period or a report it cannot make
refusal(PeriodError, lambda exc: Refusal(400, "invalid_request", str(exc)))
refusal(ReportingError, lambda exc: Refusal(400, "invalid_request", str(exc)))


# Every event the read model folds, by the service that emits it. Each gets a handler of its own,
# `on_<event>`, as when they were written out one by one: the name makes its queue's
# (evt-<source>-<event>--reporting.on_<event>), which must not change under a running site.
FOLDED = (
    ("intake", ("case_received", "case_reopened", "case_reply_received", "case_rated")),
    ("routing", ("case_routed", "case_kind_changed", "case_triage_needed", "case_rerouted", "case_routing_confirmed",
                 "case_info_requested", "case_info_received", "case_answered_from_kb", "case_units_assigned",
                 "case_unit_status_changed", "case_forwarded", "case_answered")),
    ("sla", ("sla_clock_started", "sla_warning", "sla_breached", "sla_escalated", "sla_deadline_changed",
             "sla_clock_paused", "sla_clock_resumed", "sla_clock_stopped")),
    ("notify", ("notification_recorded",)),
)


def folding(folded):
    """The service class given a handler `on_<event>` for each event of `folded`, which records it in
    the read model (readmodel.record_event) and, at a site that feeds a hub, in the feed."""
    def fold(source, name):
        @event_handler(source, name)
        def handler(self, event):
            fed = self.db.handle(event, feed_store.fold_and_feed, source, name, self.feed.feeding)
            if fed:
                self.feed.wake()
        handler.__name__ = handler.__qualname__ = f"on_{name}"
        handler.__doc__ = f"{source}'s {name} into the read model."
        return handler

    def add_handlers(service_cls):
        for source, names in folded:
            for name in names:
                if hasattr(service_cls, f"on_{name}"):
                    raise TypeError(f"{service_cls.__name__}.on_{name} is defined twice")
                setattr(service_cls, f"on_{name}", fold(source, name))
        return service_cls
    return add_handlers


@folding(FOLDED)
class ReportingService(FiguresPages):
    name = "reporting"

    db = Database()
    metrics = Metrics()
    health = Health()
    config = Config()
    intake = RpcProxy("intake")
    routing = RpcProxy("routing")  # the units' names on the figures page (services/reporting/portal.py)
    feed = Feed()

    # -- the feed: a district's case events for its hub (services/reporting/feed.py) -------------

    @feed_consumer()
    def on_feed(self, delivered):
        """At a hub: a district's event, folded once; or its heartbeat."""
        if delivered["kind"] == "heartbeat":
            self.db.run(feed_store.announced, delivered)
            return
        try:
            self.db.run(feed_store.receive, delivered["message"], delivered["event"])
        except FeedNumberReused as exc:  # no retry will fix it: dead-lettered, for an operator to see
            raise Unprocessable(str(exc)) from exc

    @replay_consumer()
    def on_feed_replay(self, request):
        """At a district: the hub asks for a range of the feed again."""
        kept = self.db.run(feed_store.replay, request)
        log.info("hub %s asked for the feed %d-%d again: %d kept", request["site_id"], request["from_seq"],
                 request["to_seq"], kept)
        self.feed.wake()

    @configured_timer("FEED", "upkeep_interval", 5)
    def feed_upkeep(self):
        """At a hub, bring each site's summary up to date and ask for the gaps that waited long
        enough; at a district, forget old feed events."""
        settings = self.feed.settings
        if settings.receive and self.feed.publisher:
            self.feed.ask(self.db.run(feed_store.gaps_to_ask, settings.replay_after))
        elif self.feed.feeding:
            self.db.run(feed_store.forget, settings.keep_days)

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
        """For officers who may read the figures (their bearer token or X-Api-Key; intake checks)."""
        refused = self._refuse_unless_officer(request)
        if refused is not None:
            return refused
        with self.db.reading() as session:
            return json_response(200, {"cases_by_status": readmodel.status_counts(session)})

    @http("GET", "/api/v1/reports/indicators")
    def indicators(self, request):
        """The indicators and counts of a fiscal year or half (docs/reports.md), for officers:
        ?fiscal_year=2570[&half=1|2][&site=HUB|*][&unit=...]."""
        refused = self._refuse_unless_officer(request)
        if refused is not None:
            return refused
        args = request.args
        period = parse_period(args.get("fiscal_year"), args.get("half"))
        with self.db.reading() as session:
            figures = report_figures.figures(session, period, args.get("site"), site_id(self.config), utcnow(),
                                             unit=(args.get("unit") or "").strip()[:64] or None)
        return json_response(200, figures)

    @http("GET", "/api/v1/reports/six-month.pdf")
    def six_month_pdf(self, request):
        """The six-month memo (บันทึกข้อความ) as PDF: ?fiscal_year=2570&half=1[&site=...][&digits=arabic]."""
        refused = self._refuse_unless_officer(request)
        return refused if refused is not None else self._report_file(request, "six-month", "pdf")

    @http("GET", "/api/v1/reports/fiscal-year.<string:fmt>")
    def fiscal_year_file(self, request, fmt):
        """The fiscal-year report as .pdf or .xlsx: ?fiscal_year=2570[&site=...][&digits=arabic]."""
        refused = self._refuse_unless_officer(request)
        return refused if refused is not None else self._report_file(request, "fiscal-year", fmt)

    def _report_file(self, request, report, fmt):
        """A report as a file, of the query's period (fiscal_year, half), site and digits: what the API and
        the portal's downloads (services/reporting/portal.py) both serve, once the officer may have it."""
        period = parse_period(request.args.get("fiscal_year"), request.args.get("half"))
        thai = (request.args.get("digits") or "thai").strip().lower() != "arabic"
        site = request.args.get("site")
        with self.db.reading() as session:
            if report == "six-month":
                data, content_type, name = outputs.six_month_memo(session, self.config, period, utcnow(), site, thai)
            else:
                data, content_type, name = outputs.fiscal_year_report(session, self.config, period, utcnow(), fmt,
                                                                      site, thai)
        return file_response(data, content_type, name)

    def _refuse_unless_officer(self, request):
        """None for an officer the policy lets read the figures (a session's bearer token or an officer's
        X-Api-Key, which intake, keeper of both, checks and puts on record); else the answer (401, 403);
        RpcTimeout when intake does not answer within RPC.timeout (a 503, shared/web.py)."""
        authorization, key = request.headers.get("Authorization"), request.headers.get("X-Api-Key")
        if not authorization and not key:
            return json_response(401, {"error": "unauthorized",
                                       "message": "An officer's bearer token or X-Api-Key is required."})
        answer = call_with_timeout(self.intake.authorize, authorization, key, "read_figures",
                                   timeout=rpc_timeout(self.config))
        if answer["status"] != 200:
            error = "unauthorized" if answer["status"] == 401 else "forbidden"
            return json_response(answer["status"], {"error": error, "message": answer["message"]})
        return None

