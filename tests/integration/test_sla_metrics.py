"""SLA metrics on /metrics with true values, through RabbitMQ and PostgreSQL, the clock faked."""
from datetime import datetime, timedelta

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy

from services.sla.service import SlaService
from shared.events import CASE_ROUTED_V1
from shared.times import BANGKOK
from tests.helpers import count_rows, metric_value, sla_with_routed_cases, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]

RECEIVED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)
DUE = datetime(2025, 12, 11, 16, 30, tzinfo=BANGKOK)  # kind 2, around Father's and Constitution Days

CASES = {"9e8b7a61-0000-4000-8000-000000000001": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-000000000002": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-000000000003": ("projects-funds", 1)}


def scrape(config):
    return requests.get(f"http://{config['WEB_SERVER_ADDRESS']}/metrics", timeout=5).text


def test_open_clocks_breaches_and_days_to_resolution(container_factory, distributed_config, monkeypatch):
    container, time = sla_with_routed_cases(container_factory, distributed_config, monkeypatch, CASES, RECEIVED,
                                            "HUB-2569-000900", routed=CASE_ROUTED_V1)  # v1 is still understood

    text = scrape(distributed_config)
    inspection = {"site": "HUB", "unit": "inspection", "kind": "2"}
    # each case has a resolution and a first-notice clock: counted apart, never added together
    assert metric_value(text, "rongtuk_sla_open_clocks", **inspection, target="resolution", state="open") == 2
    assert metric_value(text, "rongtuk_sla_open_clocks", **inspection, target="first_notice", state="open") == 2
    assert metric_value(text, "rongtuk_sla_open_clocks", site="HUB", unit="projects-funds", kind="1",
                        target="resolution", state="open") == 1
    # every counter of a group of clocks exists from its first clock, at 0 (Prometheus sees the first event)
    assert metric_value(text, "rongtuk_sla_steps_total", **inspection, target="resolution", step="breach") == 0
    assert metric_value(text, "rongtuk_sla_clocks_stopped_total", **inspection, target="resolution",
                        outcome="late") == 0

    # the kind 1 case is resolved in time; then the kind 2 deadline passes for the other two
    with ServiceRpcProxy("sla", distributed_config, timeout=10) as sla:
        stopped = sla.stop_clocks("9e8b7a61-0000-4000-8000-000000000003")
    assert {c["outcome"] for c in stopped} == {"met"}
    time.moment = DUE - timedelta(hours=2)  # the afternoon the kind 2 deadline falls due: due soon
    text = scrape(distributed_config)
    assert metric_value(text, "rongtuk_sla_due_soon_clocks", **inspection, target="resolution") == 2
    time.moment = DUE + timedelta(minutes=1)
    wait_for(lambda: count_rows(distributed_config, "sla", "clock_steps", "WHERE name = 'breach'") == 2,
             message="two breaches")

    text = scrape(distributed_config)
    assert metric_value(text, "rongtuk_sla_steps_total", **inspection, target="resolution", step="breach") == 2
    assert metric_value(text, "rongtuk_sla_open_clocks", **inspection, target="resolution", state="breached") == 2
    assert metric_value(text, "rongtuk_sla_open_clocks", **inspection, target="resolution", state="open") is None
    assert metric_value(text, "rongtuk_sla_open_clocks", site="HUB", unit="projects-funds", kind="1",
                        target="resolution", state="open") is None
    assert metric_value(text, "rongtuk_sla_clocks_stopped_total", site="HUB", unit="projects-funds", kind="1",
                        target="resolution", outcome="met") == 1
    # resolved on the day of receipt: 0 business days, in the first bucket
    assert metric_value(text, "rongtuk_sla_business_days_to_resolution_bucket", site="HUB", kind="1",
                        le="1.0") >= 1
    counted = {name: metric_value(text, name, **labels) for name, labels in (
        ("rongtuk_sla_steps_total", {**inspection, "target": "resolution", "step": "breach"}),
        ("rongtuk_sla_clocks_stopped_total", {"site": "HUB", "unit": "projects-funds", "kind": "1",
                                               "target": "resolution", "outcome": "met"}))}

    # sla restarts: the counters are the database's, not the process's, and say the same
    container.stop()
    restarted = container_factory(SlaService, distributed_config)
    restarted.start()
    text = scrape(distributed_config)
    assert {name: metric_value(text, name, **labels) for name, labels in (
        ("rongtuk_sla_steps_total", {**inspection, "target": "resolution", "step": "breach"}),
        ("rongtuk_sla_clocks_stopped_total", {"site": "HUB", "unit": "projects-funds", "kind": "1",
                                               "target": "resolution", "outcome": "met"}))} == counted
