"""The two commands of docs/operations.md#a-site-from-nothing, as an operator runs them on this machine
(deploy/install.sh, then deploy/up.sh SITE), with a site of their own (its vhost, databases, ports and
folders): the site comes up, `rongtuk doctor` passes, and it answers a complaint. Without systemd here,
up.sh starts the services as background processes, and `up.sh --stop` ends them."""
import getpass
import os
import subprocess

import pytest

from services import SERVICE_NAMES
from shared.config import PROJECT_ROOT
from tests.helpers import Api, free_ports, thai_case

pytestmark = [pytest.mark.rabbit, pytest.mark.postgres]


def test_install_then_up_brings_a_site_up_that_answers_a_complaint(fresh_site, tmp_path):
    site_id, etc = fresh_site
    port = free_ports(len(SERVICE_NAMES))
    env = {**os.environ, "RONGTUK_USER": getpass.getuser(), "RONGTUK_UNITS": str(tmp_path / "units"),
           "RONGTUK_ETC": str(etc), "RONGTUK_DATA": str(tmp_path / "data"), "RONGTUK_FIRST_PORT": str(port),
           "RONGTUK_NO_SYSTEMD": "1"}
    env.pop("RONGTUK_CONFIG", None)

    def run(*command):
        done = subprocess.run(["bash", *command], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    installed = run("deploy/install.sh")
    assert "virtual environment ready" in installed
    unit = (tmp_path / "units" / "rongtuk@.service").read_text(encoding="utf-8")
    assert f"ExecStart={PROJECT_ROOT}/.venv/bin/rongtuk run --no-migrate" in unit
    try:
        up = run("deploy/up.sh", site_id)
        assert "every check passed" in up, up
        api = Api(f"http://127.0.0.1:{port}")
        created = api.post_case(thai_case())
        assert created.status_code == 201, created.text
        case = api.wait_until_routed(created.json())
        assert case["tracking_number"].startswith(f"{site_id}-") and case["deadline"]
        assert "every check passed" in run("deploy/up.sh", site_id)   # again: nothing changes, still up
    finally:
        subprocess.run(["bash", "deploy/up.sh", "--stop"], cwd=PROJECT_ROOT, env=env, timeout=60)
