"""The shipped scrape config and rules in a real Prometheus (Debian's `prometheus`, as .ci/run installs
it) against a running sla, through RabbitMQ and PostgreSQL, the clock faked: PromQL for open clocks by
target, breaches and the on-time ratio gives the true values, the breach alert is pending or firing, and
a restart of sla resets no counter."""
from datetime import datetime, timedelta

import pytest
import requests
from nameko.standalone.rpc import ServiceRpcProxy

from services.sla.service import SlaService
from shared.times import BANGKOK
from tests.helpers import count_rows, prom_query as query, sla_with_routed_cases, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]

RECEIVED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)
DUE = datetime(2025, 12, 11, 16, 30, tzinfo=BANGKOK)  # kind 2's resolution deadline
CASES = {"9e8b7a61-0000-4000-8000-0000000000a1": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-0000000000a2": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-0000000000a3": ("projects-funds", 1)}


def only(base, expr):
    found = query(base, expr)
    return next(iter(found.values())) if len(found) == 1 else None


def test_real_prometheus_reads_true_sla_figures_and_raises_the_breach_alert(container_factory, distributed_config,
                                                                            monkeypatch, prometheus):
    container, time = sla_with_routed_cases(container_factory, distributed_config, monkeypatch, CASES, RECEIVED,
                                             "HUB-2569-000901")
    base = prometheus([distributed_config["WEB_SERVER_ADDRESS"]])

    # open clocks by target: three resolution clocks and three first-notice clocks, never six of one
    wait_for(lambda: query(base, "sum by (target) (rongtuk_sla_open_clocks)") == {
        (("target", "first_notice"),): 3.0, (("target", "resolution"),): 3.0}, timeout=30, interval=0.5,
        message="open clocks by target in Prometheus")

    # the kind 1 case is resolved in time; the kind 2 deadline passes for the other two
    with ServiceRpcProxy("sla", distributed_config, timeout=10) as sla:
        sla.stop_clocks("9e8b7a61-0000-4000-8000-0000000000a3")
    time.moment = DUE + timedelta(minutes=1)
    wait_for(lambda: count_rows(distributed_config, "sla", "clock_steps", "WHERE name = 'breach'") == 2,
             message="two breaches")
    wait_for(lambda: only(base, 'sum(rongtuk_sla_steps_total{target="resolution",step="breach"})') == 2,
             timeout=30, interval=0.5, message="two breaches in Prometheus")
    assert only(base, 'sum(rongtuk_sla_open_clocks{target="resolution",state="breached"})') == 2
    # the recording rule's on-time ratio: the one resolution was met
    wait_for(lambda: only(base, 'site_unit_kind:rongtuk_sla_on_time:ratio7d{unit="projects-funds"}') == 1,
             timeout=30, interval=0.5, message="the on-time ratio recorded")

    # the breach alert: pending (it waits a quarter hour before it fires)
    def breach_alert():
        alerts = requests.get(f"{base}/api/v1/alerts", timeout=5).json()["data"]["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == "RongtukSlaDeadlinesBreached"
                and a["labels"].get("site") == "HUB" and a["state"] in ("pending", "firing")]
    wait_for(breach_alert, timeout=30, interval=0.5, message="the breach alert pending")
    assert float(breach_alert()[0]["value"]) == 2

    # sla restarted (a new process on the same database; its /metrics away meanwhile): no counter resets
    container.stop()
    wait_for(lambda: only(base, 'up{job="rongtuk"}') == 0, timeout=30, interval=0.5, message="sla seen down")
    restarted = container_factory(SlaService, distributed_config)
    restarted.start()
    wait_for(lambda: only(base, 'up{job="rongtuk"}') == 1, timeout=30, interval=0.5, message="sla seen up again")
    wait_for(lambda: only(base, "timestamp(rongtuk_sla_figures_up)") is not None, message="figures scraped again")
    assert only(base, 'sum(rongtuk_sla_steps_total{target="resolution",step="breach"})') == 2
    assert only(base, 'sum(rongtuk_sla_clocks_stopped_total{target="resolution",outcome="met"})') == 1
    assert query(base, "sum(resets(rongtuk_sla_steps_total[10m])) + sum(resets(rongtuk_sla_clocks_stopped_total[10m]))"
                 ) == {(): 0.0}
