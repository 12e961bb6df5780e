"""shared/delivery.py's start-up check: a handler for an event the contract (shared/events.py) does not
have fails as its service is declared, instead of subscribing to nothing; and reporting's handlers,
declared from one list, keep the queue names they had when each was written out."""
import pytest
from nameko.events import EventHandler

from services.intake.service import IntakeService
from services.notify.service import NotifyService
from services.reporting.service import FOLDED, ReportingService
from services.routing.service import RoutingService
from services.sla.service import SlaService
from shared import events
from services.reporting.feed_link import FeedEntrypoint
from shared.delivery import SiteEventHandler, UnknownEvent, event_handler, site_event_handler

SERVICES = (IntakeService, RoutingService, SlaService, NotifyService, ReportingService)


def handlers(service_cls, kind=EventHandler):
    """(method name, handler) of every event handler a service class declares (the feed's aside:
    they hear no event of the contract but the feed's own messages, services/reporting/feed_link.py)."""
    return [(name, entrypoint) for name in dir(service_cls)
            for entrypoint in getattr(getattr(service_cls, name), "nameko_entrypoints", ())
            if isinstance(entrypoint, kind) and (kind is FeedEntrypoint or not isinstance(entrypoint, FeedEntrypoint))]


def test_a_misspelt_event_fails_when_its_service_is_declared_and_says_what_was_meant():
    with pytest.raises(UnknownEvent, match=r"no event routing\.case_routd .*did you mean 'case_routed'\?"):
        class Misspelt:
            name = "misspelt"

            @event_handler("routing", "case_routd")
            def on_case_routed(self, event):
                pass


def test_a_misspelt_source_fails_too():
    with pytest.raises(UnknownEvent, match=r"no service 'routng' emits events; did you mean 'routing'\?"):
        event_handler("routng", "case_routed")(lambda self, event: None)


def test_an_event_of_another_source_is_not_heard_from_this_one():
    with pytest.raises(UnknownEvent, match=r"no event intake\.case_routed .*intake emits case_rated, "
                                           r"case_received, case_reopened"):
        event_handler("intake", "case_routed")(lambda self, event: None)


def test_only_the_events_that_cross_sites_have_site_handlers():
    for source, name in events.SITE_ADDRESSED:
        site_event_handler(source, name)(lambda self, event: None)
    with pytest.raises(UnknownEvent, match="case_routed never travels between sites"):
        site_event_handler("routing", "case_routed")(lambda self, event: None)


@pytest.mark.parametrize("service_cls", SERVICES, ids=lambda cls: cls.name)
def test_every_handler_of_every_service_hears_an_event_of_the_contract(service_cls):
    declared = handlers(service_cls)
    assert declared
    for name, handler in declared:
        assert events.versions(handler.source_service, handler.event_type), name
        if isinstance(handler, SiteEventHandler):
            assert (handler.source_service, handler.event_type) in events.SITE_ADDRESSED, name


# each queue as it was named when reporting's 21 handlers were written out one by one, and since
REPORTING_QUEUES = {
    "evt-intake-case_received--reporting.on_case_received",
    "evt-intake-case_reopened--reporting.on_case_reopened",
    "evt-intake-case_reply_received--reporting.on_case_reply_received",
    "evt-intake-case_rated--reporting.on_case_rated",
    "evt-notify-notification_recorded--reporting.on_notification_recorded",
    "evt-routing-case_answered--reporting.on_case_answered",
    "evt-routing-case_answered_from_kb--reporting.on_case_answered_from_kb",
    "evt-routing-case_forwarded--reporting.on_case_forwarded",
    "evt-routing-case_info_received--reporting.on_case_info_received",
    "evt-routing-case_info_requested--reporting.on_case_info_requested",
    "evt-routing-case_kind_changed--reporting.on_case_kind_changed",
    "evt-routing-case_rerouted--reporting.on_case_rerouted",
    "evt-routing-case_routed--reporting.on_case_routed",
    "evt-routing-case_routing_confirmed--reporting.on_case_routing_confirmed",
    "evt-routing-case_triage_needed--reporting.on_case_triage_needed",
    "evt-routing-case_unit_status_changed--reporting.on_case_unit_status_changed",
    "evt-routing-case_units_assigned--reporting.on_case_units_assigned",
    "evt-sla-sla_breached--reporting.on_sla_breached",
    "evt-sla-sla_clock_paused--reporting.on_sla_clock_paused",      # added with the feed (issue 13)
    "evt-sla-sla_clock_resumed--reporting.on_sla_clock_resumed",
    "evt-sla-sla_clock_started--reporting.on_sla_clock_started",
    "evt-sla-sla_clock_stopped--reporting.on_sla_clock_stopped",
    "evt-sla-sla_deadline_changed--reporting.on_sla_deadline_changed",
    "evt-sla-sla_escalated--reporting.on_sla_escalated",
    "evt-sla-sla_warning--reporting.on_sla_warning",
}


def test_reporting_folds_each_listed_event_on_the_queue_it_always_had():
    # nameko names a service-pool handler's queue evt-<source>-<event>--<service>.<method> (nameko.events)
    queues = {f"evt-{h.source_service}-{h.event_type}--reporting.{name}" for name, h in handlers(ReportingService)}
    assert queues == REPORTING_QUEUES
    assert sum(len(names) for _source, names in FOLDED) == len(REPORTING_QUEUES)
    assert sorted(name for name, _ in handlers(ReportingService, FeedEntrypoint)) == ["on_feed", "on_feed_replay"]


def test_a_folded_handler_records_its_event_as_its_source_and_name_say():
    recorded = []
    service = ReportingService()
    service.db = type("Db", (), {"handle": lambda self, event, use_case, *args: recorded.append(args)})()
    service.feed = type("Feed", (), {"feeding": None, "wake": lambda self: None})()  # a site feeding no hub
    service.on_sla_warning({"event_id": "e1"})
    service.on_case_received({"event_id": "e2"})
    assert recorded == [("sla", "sla_warning", None), ("intake", "case_received", None)]
