"""Three sites on one RabbitMQ and PostgreSQL: a hub and two districts feeding it, linked by federation
(the `hub_and_districts` fixture of tests/integration/conftest.py). The hub's reporting runs as its own
`rongtuk run reporting` process, which a test may stop or kill; everything else runs in the test's process."""
import os
import signal
import subprocess
import sys

import requests

from services.intake.service import IntakeService
from services.notify.service import NotifyService
from services.reporting.service import ReportingService
from services.routing.service import RoutingService
from services.sla.service import SlaService
from shared.config import DISTRIBUTED_CONFIG, PROJECT_ROOT, load_config
from tests.helpers import wait_for, write_config

MANAGEMENT = "http://guest:guest@127.0.0.1:15672"
DISTRICT_SERVICES = (IntakeService, RoutingService, SlaService, NotifyService, ReportingService)
HUB_SERVICES = (IntakeService, RoutingService, SlaService, NotifyService)  # reporting: its own process


def vhost_uri(base_uri, vhost):
    return base_uri.rsplit("/", 1)[0] + "/" + requests.utils.quote(vhost, safe="")


def bound_upstream(vhost, exchange, key):
    url = f"http://127.0.0.1:15672/api/exchanges/{requests.utils.quote(vhost, safe='')}/{exchange}/bindings/source"
    response = requests.get(url, auth=("guest", "guest"), timeout=5)
    return response.status_code == 200 and any(b["routing_key"] == key for b in response.json())


class HubReporting:
    """The hub's reporting as its own `rongtuk run reporting` process, which a test may kill."""

    def __init__(self, config, folder):
        self.config_path = write_config({**config, "LOGGING": load_config(DISTRIBUTED_CONFIG)["LOGGING"]},
                                        folder / "hub-reporting.yml")
        self.env = {**os.environ, "RONGTUK_CONFIG": str(self.config_path), "LOG_LEVEL": "INFO"}
        self.port = config["WEB_SERVER_ADDRESS"].rsplit(":", 1)[1]
        self.logs = []
        self.folder = folder
        self.process = None

    def start(self):
        log_path = self.folder / f"hub-reporting-{len(self.logs) + 1}.log"
        self.logs.append(log_path)
        self.process = subprocess.Popen([sys.executable, "-m", "services.cli", "run", "reporting"], cwd=PROJECT_ROOT,
                                        env={**self.env, "WEB_SERVER_ADDRESS": f"127.0.0.1:{self.port}"},
                                        stdout=open(log_path, "w"), stderr=subprocess.STDOUT)

        def up():
            assert self.process.poll() is None, log_path.read_text()
            try:
                return requests.get(f"http://127.0.0.1:{self.port}/metrics", timeout=1).status_code == 200
            except requests.ConnectionError:
                return False
        wait_for(up, timeout=30, interval=0.2, message="the hub's reporting to start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
