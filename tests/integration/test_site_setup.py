"""A site from nothing (docs/operations.md#a-site-from-nothing): `rongtuk site init` on a fresh vhost and
fresh databases, run twice (the second changes nothing), the five services started on what it wrote,
`rongtuk doctor` all green and a complaint taken; then a service stopped, a migration undone and a
table gone, each named by `rongtuk doctor`. Each service's role reaches its own database alone; the
site's RabbitMQ users reach its vhost alone."""
import os

import psycopg2
import pytest
import requests
import sqlalchemy as sa
import yaml
from alembic import command
from sqlalchemy.engine import make_url

from services import SERVICE_NAMES, migrations_folders
from services.site import role_name
from shared.config import database_url, load_config
from shared.migrations import alembic_config
from shared.store import make_engine
from tests.helpers import Api, RunProcesses, answers, free_ports, run_cli, thai_case, wait_for

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]
MANAGEMENT = ("http://127.0.0.1:15672", ("guest", "guest"))


def doctor(env):
    said = run_cli("doctor", env=env, timeout=120)
    return said.returncode, said.stdout + said.stderr


def test_a_site_from_nothing_runs_answers_and_doctor_names_each_problem(fresh_site, tmp_path):
    site_id, folder = fresh_site
    port = free_ports(len(SERVICE_NAMES))
    init = ["site", "init", "--site-id", site_id, "--folder", str(folder), "--first-port", str(port),
            "--systemd", str(folder / "systemd")]
    first = run_cli(*init, timeout=180)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"made     RabbitMQ vhost rongtuk-{site_id.lower()}" in first.stdout
    written = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert {p.name for p in written} >= {"site.yml", "secrets.yml", "seal.key", "rongtuk.env", "intake-1.env"}
    assert all(oct((folder / name).stat().st_mode & 0o777) == "0o600" for name in ("secrets.yml", "keys/seal.key"))

    # run again: every file as it was, nothing made
    again = run_cli(*init, timeout=180)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not [line for line in again.stdout.splitlines() if line.split(" ")[0] in ("made", "wrote", "set")], \
        again.stdout
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == written

    config_path = folder / "site.yml"
    config = load_config(config_path)
    # each service's role reaches its own database and no other
    intake_url, routing_url = database_url(config, "intake"), database_url(config, "routing")
    assert role_name(site_id, "intake") in intake_url
    psycopg2.connect(intake_url).close()
    intake_at_routing = make_url(intake_url).set(database=make_url(routing_url).database)
    with pytest.raises(psycopg2.OperationalError, match="permission denied"):
        psycopg2.connect(intake_at_routing.render_as_string(hide_password=False))
    # the site's broker user may use its vhost and no other
    api, auth = MANAGEMENT
    user = f"rongtuk-{site_id.lower()}"
    for name, tags in ((user, []), (f"{user}-monitor", ["monitoring"]), (f"{user}-link", [])):
        permissions = requests.get(f"{api}/api/users/{name}/permissions", auth=auth, timeout=10).json()
        assert [p["vhost"] for p in permissions] == [f"rongtuk-{site_id.lower()}"], name
        found = requests.get(f"{api}/api/users/{name}", auth=auth, timeout=10).json()["tags"]
        assert (found if isinstance(found, list) else [t for t in found.split(",") if t]) == tags, name
    exchanges = {e["name"] for e in requests.get(f"{api}/api/exchanges/rongtuk-{site_id.lower()}", auth=auth,
                                                 timeout=10).json()}
    assert {"rongtuk.sites", "rongtuk.feed", "intake.events", "nameko-rpc"} <= exchanges  # the definitions

    # the five services, as the systemd units start them (rongtuk.env, then the instance's file)
    runs = RunProcesses(tmp_path)
    addresses = yaml.safe_load(config_path.read_text(encoding="utf-8"))["SITE"]["services"]
    processes = {}
    try:
        for name in SERVICE_NAMES:
            env = {**os.environ}
            for path in (folder / "systemd" / "rongtuk.env", folder / "systemd" / "instances" / f"{name}-1.env"):
                env.update(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
            processes[name] = runs.start("--no-migrate", env["RONGTUK_SERVICE"], env=env, log_name=name)
        for name in SERVICE_NAMES:
            wait_for(lambda: answers(f"http://{addresses[name]}/healthz"), timeout=40, interval=0.3,
                     message=f"{name} to answer")
        env = {**os.environ, "RONGTUK_CONFIG": str(config_path)}
        code, said = doctor(env)
        assert code == 0 and "every check passed" in said, said
        # a new site's queues are quorum queues (a caller's reply queue stays classic)
        queues = requests.get(f"{api}/api/queues/rongtuk-{site_id.lower()}", auth=auth, timeout=10).json()
        types = {q["name"]: q.get("type") for q in queues}
        assert types["rpc-routing"] == "quorum" and types["rpc-sla"] == "quorum", types
        assert types["evt-intake-case_received--routing.route_case"] == "quorum", types
        assert all(kind == "quorum" for name, kind in types.items() if not name.startswith("rpc.reply")), types

        site_api = Api(f"http://{addresses['intake']}")
        created = site_api.post_case(thai_case())
        assert created.status_code == 201, created.text
        assert created.json()["tracking_number"].startswith(f"{site_id}-")
        assert site_api.wait_until_routed(created.json())["deadline"]

        # sla stopped: doctor names it
        sla, _log = processes["sla"]
        sla.terminate()
        sla.wait(timeout=20)
        code, said = doctor(env)
        assert code == 1 and "FAIL  sla " in said and "does not answer" in said, said

        # routing's last migration undone, then one of notify's tables gone: doctor names each
        command.downgrade(alembic_config("routing", migrations_folders()["routing"], routing_url), "-1")
        code, said = doctor(env)
        assert code == 1 and "FAIL  routing database" in said and "rongtuk db upgrade --service routing" in said, said
        engine = make_engine(database_url(config, "notify"))
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE inbox"))
        engine.dispose()
        code, said = doctor(env)
        assert code == 1 and "FAIL  notify database" in said and "inbox" in said, said
        assert "FAIL  intake" not in said and "FAIL  broker" not in said
    finally:
        runs.stop_all()
