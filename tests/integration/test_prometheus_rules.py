"""The shipped scrape config and rules in a real Prometheus (Debian's `prometheus`, as .ci/run installs
it) against a running sla, through RabbitMQ and PostgreSQL, the clock faked: PromQL for open clocks by
target, breaches and the on-time ratio gives the true values, and the breach alert is pending or firing."""
import subprocess
from datetime import datetime, timedelta

import pytest
import requests
import yaml
from nameko.standalone.rpc import ServiceRpcProxy

from shared.config import PROJECT_ROOT
from shared.times import BANGKOK
from tests.helpers import count_rows, free_port, installed, sla_with_routed_cases, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]

MONITORING = PROJECT_ROOT / "deploy" / "monitoring"
RECEIVED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)
DUE = datetime(2025, 12, 11, 16, 30, tzinfo=BANGKOK)  # kind 2's resolution deadline
CASES = {"9e8b7a61-0000-4000-8000-0000000000a1": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-0000000000a2": ("inspection", 2),
         "9e8b7a61-0000-4000-8000-0000000000a3": ("projects-funds", 1)}


@pytest.fixture
def prometheus(tmp_path):
    """start(target) -> the base URL of a Prometheus on the shipped embedded scrape config and rules,
    scraping `target` every second and evaluating every second."""
    binary = installed("prometheus", "prometheus")
    started = []

    def start(target):
        config = yaml.safe_load((MONITORING / "prometheus-embedded.yml").read_text(encoding="utf-8"))
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = [str(MONITORING / name) for name in config["rule_files"]]
        config["scrape_configs"][0]["static_configs"][0]["targets"] = [target]
        (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
        port = free_port()
        log = open(tmp_path / "prometheus.log", "w")
        process = subprocess.Popen([binary, f"--config.file={tmp_path / 'prometheus.yml'}",
                                    f"--storage.tsdb.path={tmp_path / 'data'}",
                                    f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: ready(base), timeout=30, interval=0.2, message="Prometheus to be ready")
        return base

    yield start
    for process, log in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def ready(base):
    try:
        return requests.get(f"{base}/-/ready", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False


def query(base, expr):
    """{labels as a sorted tuple of (name, value): value} of an instant query."""
    answer = requests.get(f"{base}/api/v1/query", params={"query": expr}, timeout=5).json()
    assert answer["status"] == "success", answer
    return {tuple(sorted(r["metric"].items())): float(r["value"][1]) for r in answer["data"]["result"]}


def only(base, expr):
    found = query(base, expr)
    return next(iter(found.values())) if len(found) == 1 else None


def test_real_prometheus_reads_true_sla_figures_and_raises_the_breach_alert(container_factory, distributed_config,
                                                                            monkeypatch, prometheus):
    _container, time = sla_with_routed_cases(container_factory, distributed_config, monkeypatch, CASES, RECEIVED,
                                             "HUB-2569-000901")
    base = prometheus(distributed_config["WEB_SERVER_ADDRESS"])

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
