"""Distributed mode: each service its own process, RabbitMQ and PostgreSQL, as deploy/ describes."""
import os
import signal

import pytest
import requests

from services import SERVICE_NAMES
from shared.config import DISTRIBUTED_CONFIG
from tests.helpers import Api, RunProcesses, answers, free_port, metric_value, run_cli, thai_case, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]


@pytest.fixture
def cluster(rabbit_config, pg_databases, tmp_path):
    base_env = {**os.environ, "RONGTUK_CONFIG": str(DISTRIBUTED_CONFIG), "AMQP_URI": rabbit_config["AMQP_URI"],
                "DATABASE_URL": pg_databases, "DATA_DIR": str(tmp_path / "data")}
    migrated = run_cli("db", "upgrade", env=base_env)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.count(": at head") == len(SERVICE_NAMES)

    runs, processes, ports, envs = RunProcesses(tmp_path), {}, {}, {}
    for name in SERVICE_NAMES:
        ports[name] = free_port()
        env = envs[name] = {**base_env, "WEB_SERVER_ADDRESS": f"127.0.0.1:{ports[name]}"}
        processes[name] = runs.start(name, env=env, log_name=name)

    def up(name):
        process, log_path = processes[name]
        assert process.poll() is None, log_path.read_text()
        return answers(f"http://127.0.0.1:{ports[name]}/metrics")

    try:
        for name in SERVICE_NAMES:
            wait_for(lambda: up(name), timeout=30, interval=0.2, message=f"{name} to start")
        yield {"api": Api(f"http://127.0.0.1:{ports['intake']}"), "ports": ports, "processes": processes,
               "envs": envs, "runs": runs}
    finally:
        runs.stop_all()


def test_a_case_flows_through_five_separate_processes(cluster):
    api = cluster["api"]
    created = api.post_case(thai_case(subject="ขอทราบวาระการประชุมคณะกรรมการ", kind=1,
                                        description="ต้องการทราบวาระการประชุมครั้งหน้า")).json()
    case = api.wait_until_routed(created)
    assert case["unit"]["id"] == "admin-rules"
    assert {entry["service"] for entry in case["timeline"]} == set(SERVICE_NAMES)

    # each process counts its own entrypoints on its own /metrics
    for name, entrypoint in [("intake", "create_case"), ("routing", "route_case"), ("sla", "start_clock"),
                             ("notify", "acknowledge_case"), ("reporting", "on_case_routed")]:
        text = requests.get(f"http://127.0.0.1:{cluster['ports'][name]}/metrics", timeout=5).text
        assert metric_value(text, "rongtuk_entrypoint_calls_total", service=name, entrypoint=entrypoint) == 1
        others = set(SERVICE_NAMES) - {name}
        assert not any(f'service="{other}"' in text for other in others)
        assert len(text.encode()) < 50_000, (name, len(text.encode()))  # with the shipped buckets


def test_cases_keep_flowing_while_a_downstream_service_is_restarted(cluster):
    api = cluster["api"]
    sla, _log = cluster["processes"]["sla"]
    sla.send_signal(signal.SIGTERM)
    sla.wait(timeout=15)
    created = api.post_case(thai_case()).json()
    wait_for(lambda: api.get_case(created["tracking_number"], created["access_code"]).json()["status"] == "routed",
             message="routing to carry on without sla")
    assert api.get_case(created["tracking_number"], created["access_code"]).json()["deadline"] is None

    # the case_routed event waits in sla's durable queue until sla is back
    cluster["processes"]["sla"] = cluster["runs"].start("sla", env=cluster["envs"]["sla"], log_name="sla-again")
    case = api.wait_until_routed(created)
    assert case["deadline"].endswith("T16:30:00+07:00")
