"""An upgrade without loss (docs/operations.md#upgrading): a site on the previous release's code and
schema takes complaints all along while the new release's migrations run under it and its services are
restarted one by one onto the new code; afterwards every complaint it accepted is there once, routed
once, timed once and counted once in the figures (lost=0 duplicated=0).

The previous release is PREVIOUS, taken from this repository's history (`git archive`): update it when
a release is cut. Its processes run from that tree with this checkout's virtual environment."""
import os
import subprocess
import sys
import time
import uuid

import eventlet
import pytest
import requests
import sqlalchemy as sa

from services import SERVICE_NAMES
from shared.config import PROJECT_ROOT
from tests.helpers import Api, answers, connected, end, free_port, missing, thai_case, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]
# the release before this one: officers' accounts and the audit log (issue 15); since then the portal,
# routing_0007 (the newest migration), the monitoring and the site tools
PREVIOUS = "a6efe37"


@pytest.fixture
def empty_databases(pg_admin):
    """One empty PostgreSQL database per service (each release migrates its own); the URL template."""
    prefix = f"rt_up_{uuid.uuid4().hex[:8]}"
    with pg_admin.connect() as conn:
        for name in SERVICE_NAMES:
            conn.execute(sa.text(f'CREATE DATABASE "{prefix}_{name}"'))
    yield f"postgresql://postgres@127.0.0.1:5432/{prefix}_<service>"
    with pg_admin.connect() as conn:
        for name in SERVICE_NAMES:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)'))


@pytest.fixture
def previous_release(tmp_path):
    tree = tmp_path / "previous"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", PREVIOUS], capture_output=True, timeout=60)
    if archive.returncode != 0:  # an exported tree or a shallow clone has no history to take it from
        missing(f"the previous release {PREVIOUS} is not in this checkout's history (git fetch --unshallow): "
                + archive.stderr.decode().strip())
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True, timeout=60)
    return tree


class Site:
    """One site's five processes, each run from a tree of code (the previous release's or this one)."""

    def __init__(self, env, folder):
        self.env, self.folder = env, folder
        self.ports = {name: free_port() for name in SERVICE_NAMES}
        self.processes = {}

    def cli(self, tree, *args):
        done = subprocess.run([sys.executable, "-m", "services.cli", *args], cwd=tree, capture_output=True, text=True,
                              env={**self.env, "PYTHONPATH": str(tree)}, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self, name, tree, label):
        log = open(self.folder / f"{name}-{label}.log", "w")
        env = {**self.env, "PYTHONPATH": str(tree), "WEB_SERVER_ADDRESS": f"127.0.0.1:{self.ports[name]}"}
        process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "--no-migrate", name], cwd=tree,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = (process, log)
        wait_for(lambda: process.poll() is None and answers(f"http://127.0.0.1:{self.ports[name]}/metrics"),
                 timeout=40, interval=0.2, message=f"{name} ({label}) to start")

    def stop(self, name):
        process, log = self.processes.pop(name)
        end(process, timeout=30)
        log.close()

    def stop_all(self):
        for name in list(self.processes):
            self.stop(name)


def test_an_upgrade_under_load_loses_and_doubles_nothing(rabbit_config, empty_databases, previous_release, tmp_path):
    env = {**os.environ, "RONGTUK_CONFIG": "deploy/distributed.yml", "AMQP_URI": rabbit_config["AMQP_URI"],
           "DATABASE_URL": empty_databases, "DATA_DIR": str(tmp_path / "data"),
           "INTAKE_CASES_PER_ADDRESS": "0", "LOG_LEVEL": "INFO"}
    site = Site(env, tmp_path)
    site.cli(previous_release, "db", "upgrade")                 # the previous release's schema
    accepted, refused, posting = [], [], {"on": True}
    try:
        for name in SERVICE_NAMES:
            site.start(name, previous_release, "previous")

        def post_all_along():
            api = Api(f"http://127.0.0.1:{site.ports['intake']}")
            n = 0
            while posting["on"]:
                n += 1
                try:
                    answer = api.post_case(thai_case(subject=f"ถนนชำรุด จุดที่ {n}"))
                    (accepted if answer.status_code == 201 else refused).append(
                        answer.json()["case_id"] if answer.status_code == 201 else answer.status_code)
                except requests.RequestException:
                    refused.append("no answer")  # intake restarting: the client was told nothing was taken
                eventlet.sleep(0.05)
        poster = eventlet.spawn(post_all_along)
        wait_for(lambda: len(accepted) >= 10, timeout=30, message="cases taken by the previous release")

        site.cli(PROJECT_ROOT, "db", "upgrade")                 # the new release's migrations, under load
        for name in SERVICE_NAMES:                              # then each service onto the new code
            taken = len(accepted)
            site.stop(name)
            site.start(name, PROJECT_ROOT, "new")
            wait_for(lambda: len(accepted) > taken + 3, timeout=30, message=f"cases taken after {name}'s restart")
        posting["on"] = False
        poster.wait()

        ids = list(accepted)
        config = {"DATABASE_URL": empty_databases}

        def per_case(service, sql):
            with connected(config, service) as conn:
                return dict(conn.execute(sa.text(sql), {"ids": ids}).all())

        def settled():
            routed = per_case("routing", "SELECT case_id, count(*) FROM assignments WHERE case_id = ANY(:ids) "
                                         "GROUP BY case_id")
            folded = per_case("reporting", "SELECT case_id, count(*) FROM case_figures WHERE case_id = ANY(:ids) "
                                           "AND unit_id IS NOT NULL GROUP BY case_id")
            return len(routed) == len(ids) and len(folded) == len(ids)
        wait_for(settled, timeout=90, interval=0.5, message="every accepted case routed and counted")
        time.sleep(1)  # anything doubled would have arrived by now

        recorded = per_case("intake", "SELECT id, count(*) FROM cases WHERE id = ANY(:ids) GROUP BY id")
        routed = per_case("routing", "SELECT case_id, count(*) FROM assignments WHERE case_id = ANY(:ids) "
                                     "GROUP BY case_id")
        timed = per_case("sla", "SELECT case_id, count(*) FROM clocks WHERE case_id = ANY(:ids) AND "
                                "target = 'resolution' GROUP BY case_id")
        folded = per_case("reporting", "SELECT case_id, count(*) FROM case_events WHERE case_id = ANY(:ids) AND "
                                       "event_type = 'case_received' GROUP BY case_id")
        lost = sum(1 for table in (recorded, routed, timed, folded) for case in ids if case not in table)
        duplicated = sum(n - 1 for table in (recorded, routed, timed, folded) for n in table.values())
        print(f"upgrade from {PREVIOUS} under load: {len(ids)} cases accepted, {len(refused)} refused while intake "
              f"restarted: lost={lost} duplicated={duplicated}")
        assert len(ids) >= 20  # cases taken all along: before, during and after each restart
        assert (lost, duplicated) == (0, 0)
        for service in SERVICE_NAMES:  # every event published, none given up on
            wait_for(lambda: per_case(service, "SELECT 'unpublished', count(*) FROM outbox WHERE published_at IS NULL "
                                               "AND cardinality(CAST(:ids AS text[])) > 0") == {"unpublished": 0},
                     timeout=30, message=f"{service}'s outbox drained")
            assert per_case(service, "SELECT reason, count(*) FROM dead_letters WHERE cardinality(CAST(:ids AS "
                                     "text[])) > 0 GROUP BY reason") == {}, service
    finally:
        posting["on"] = False
        site.stop_all()
