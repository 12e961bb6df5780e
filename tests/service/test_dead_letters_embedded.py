"""Dead letters and their replay on the memory transport and SQLite, as in embedded mode."""
import uuid
from datetime import datetime, timezone
from unittest.mock import patch

from nameko.standalone.events import event_dispatcher
from prometheus_client import generate_latest

from services.routing import assignments
from services.routing.service import RoutingService
from shared import deadletters
from shared.events import CASE_RECEIVED_V1 as CASE_RECEIVED  # v1 producers are still understood
from shared.store import open_store
from tests.helpers import count_rows, metric_value, wait_for


def scraped():
    return generate_latest().decode()


def waiting(reason):
    return metric_value(scraped(), "rongtuk_dead_letters_waiting", service="routing", reason=reason)


def case_received(subject):
    return CASE_RECEIVED.build(
        site_id="HUB", case_id=str(uuid.uuid4()), tracking_number="HUB-2570-000007", channel="counter",
        kind=1, subject=subject, description="สอบถามที่เคาน์เตอร์", received_at=datetime.now(timezone.utc),
        complainant_ref=None, contact_channels=[])


def test_a_failing_handler_is_dead_lettered_and_replayed_once_fixed(container_factory, embedded_config):
    real = assignments.route_case
    calls = []

    def failing(tx, event, directory):
        calls.append(event["case_id"])
        raise RuntimeError("rules file unreadable")

    dispatch = event_dispatcher(embedded_config)
    body = case_received("ขอทราบวาระการประชุม")
    with patch.object(assignments, "route_case", failing):
        routing = container_factory(RoutingService, embedded_config)
        routing.start()
        dispatch("intake", "case_received", body)
        wait_for(lambda: count_rows(embedded_config, "routing", "dead_letters") == 1, message="a dead letter")
    assert len(calls) == embedded_config["HANDLER_RETRY"]["attempts"]
    assert count_rows(embedded_config, "routing", "assignments") == 0
    # /metrics says a dead letter waits, counted by the database (what every process of routing says)
    assert waiting("failed") == 1 and waiting("invalid") == 0

    with open_store(embedded_config, "routing") as store:
        [letter] = deadletters.listing(store.engine)
        assert (letter["reason"], letter["status"], letter["case_id"]) == ("failed", "dead", body["case_id"])
        assert "rules file unreadable" in letter["error"]
        assert deadletters.request_replay(store.engine, [letter["id"]]) == 1
        assert assignments.route_case is real
        wait_for(lambda: count_rows(embedded_config, "routing", "assignments") == 1, message="the replayed case")
        assert deadletters.listing(store.engine) == []
        assert waiting("failed") == 0
        wait_for(lambda: metric_value(scraped(), "rongtuk_outbox_backlog", service="routing") == 0,
                 message="the replayed case's events published")
        assert metric_value(scraped(), "rongtuk_outbox_oldest_unpublished_age_seconds", service="routing") == 0
        assert [r["status"] for r in deadletters.listing(store.engine, include_replayed=True)] == ["replayed"]
