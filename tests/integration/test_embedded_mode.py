"""Embedded mode as a user runs it: `rongtuk run` in its own process, memory transport, SQLite."""
import os
import signal
import subprocess
import sys

import pytest
import requests

from shared.config import PROJECT_ROOT, SERVICE_NAMES
from tests.helpers import Api, free_port, metric_value, thai_case, wait_for

ENTRYPOINTS = {
    "intake": ["create_case", "get_case", "on_case_routed", "on_sla_clock_started", "contact_for_notice"],
    "routing": ["route_case"],
    "sla": ["start_clock"],
    "notify": ["acknowledge_case", "retry_deliveries"],
    "reporting": ["on_case_received", "on_case_routed", "on_sla_clock_started", "on_notification_recorded",
                  "case_timeline"],
}


@pytest.fixture
def embedded(tmp_path):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "INFO"}
    env.pop("RONGTUK_CONFIG", None)
    log = open(tmp_path / "rongtuk.log", "w+")
    process = subprocess.Popen([sys.executable, "-m", "shared.cli", "run"], cwd=PROJECT_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    api = Api(f"http://127.0.0.1:{port}")

    def healthy():
        assert process.poll() is None, f"rongtuk run exited: {(tmp_path / 'rongtuk.log').read_text()}"
        try:
            return requests.get(f"{api.base}/healthz", timeout=1).status_code == 200
        except requests.ConnectionError:
            return False

    wait_for(healthy, timeout=30, interval=0.2, message="rongtuk run to answer /healthz")
    api.data_dir = tmp_path / "data"
    api.log_path = tmp_path / "rongtuk.log"
    yield api
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_a_thai_complaint_goes_through_all_five_services(embedded):
    response = embedded.post_case(thai_case())
    assert response.status_code == 201
    created = response.json()

    case = embedded.wait_until_routed(created)

    assert case["tracking_number"] == created["tracking_number"]
    assert case["unit"]["id"]  # the shipped directory always gives one
    assert case["deadline"].endswith("T16:30:00+07:00")
    services = [entry["service"] for entry in case["timeline"]]
    assert services[0] == "intake"
    assert set(services) == set(SERVICE_NAMES)
    times = [entry["at"] for entry in case["timeline"]]
    assert times == sorted(times)
    # nothing personal on the page a tracking number opens
    assert "สมหญิง" not in str(case) and "somying@example.org" not in str(case)

    # the acknowledgment went out (embedded mode without SMTP writes .eml files)
    mail = wait_for(lambda: list((embedded.data_dir / "mail").glob("*.eml")), timeout=10,
                    message="an acknowledgment e-mail")
    assert created["tracking_number"].encode() in mail[0].read_bytes()


def test_metrics_show_every_entrypoint_of_all_five_services_on_the_one_port(embedded):
    created = embedded.post_case(thai_case()).json()
    embedded.wait_until_routed(created)
    text = embedded.metrics()
    for service, entrypoints in ENTRYPOINTS.items():
        for entrypoint in entrypoints:
            labels = {"service": service, "entrypoint": entrypoint}
            assert metric_value(text, "rongtuk_entrypoint_calls_total", **labels) is not None, labels
            assert metric_value(text, "rongtuk_entrypoint_latency_seconds_count", **labels) is not None
    assert metric_value(text, "rongtuk_entrypoint_calls_total", service="intake", entrypoint="create_case") == 1
    assert metric_value(text, "rongtuk_entrypoint_calls_total", service="routing", entrypoint="route_case") == 1
    assert metric_value(text, "rongtuk_entrypoint_latency_seconds_bucket", service="sla",
                        entrypoint="start_clock", le="+Inf") == 1


def test_the_complainants_identity_stays_out_of_the_logs(embedded):
    created = embedded.post_case(thai_case()).json()
    embedded.wait_until_routed(created)
    log = embedded.log_path.read_text(encoding="utf-8")
    assert created["tracking_number"] in log or "POST /api/v1/cases" in log
    for secret in ("สมหญิง", "somying@example.org"):
        assert secret not in log
