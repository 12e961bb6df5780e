"""Fixtures of the integration tests: several sites at once, a real Prometheus."""
import subprocess
import uuid

import pytest
import requests
import sqlalchemy as sa
import yaml

from services import SERVICE_NAMES
from services.site import role_name
from shared import sites
from shared.config import PROJECT_ROOT
from shared.store import make_engine
from tests.helpers import PG_ADMIN_URL, TcpProxy, end, free_port, installed, site_config, wait_for
from tests.hub_sites import DISTRICT_SERVICES, HUB_SERVICES, MANAGEMENT, HubReporting, bound_upstream, vhost_uri


@pytest.fixture
def hub_and_districts(rabbit_config, rabbit_manager, pg_database_sets, runner_factory, tmp_path):
    base_vhost = sites.vhost_of(rabbit_config["AMQP_URI"])
    names = {"KALASIN": f"{base_vhost}-kalasin", "RATCHABURI1": f"{base_vhost}-ratchaburi"}
    for vhost in names.values():
        rabbit_manager.create_vhost(vhost)
        rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    feed_fast = {"heartbeat": 1, "poll_interval": 0.1, "upkeep_interval": 0.5}
    hub = site_config(rabbit_config["AMQP_URI"], pg_database_sets(), tmp_path / "hub", SITE_ID="HUB",
                      FEED={**feed_fast, "receive": True, "replay_after": 3600})
    districts = {
        "KALASIN": site_config(vhost_uri(rabbit_config["AMQP_URI"], names["KALASIN"]), pg_database_sets(),
                               tmp_path / "kalasin", SITE_ID="KALASIN", KNOWLEDGE={"file": ""},
                               ROUTING_DIRECTORY="deploy/directory-kalasin.yml", FEED={**feed_fast, "hub": "HUB"}),
        "RATCHABURI1": site_config(vhost_uri(rabbit_config["AMQP_URI"], names["RATCHABURI1"]), pg_database_sets(),
                                   tmp_path / "ratchaburi", SITE_ID="RATCHABURI1", KNOWLEDGE={"file": ""},
                                   FEED={**feed_fast, "hub": "HUB"}),
    }
    for config in districts.values():  # a test posts hundreds of complaints from one address
        config["INTAKE"] = {**config["INTAKE"], "cases_per_address": 0}
    reporting = HubReporting({**hub, "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}"}, tmp_path)
    proxy = TcpProxy(5672)  # the hub's link to KALASIN goes through it: the test cuts it
    try:
        runner_factory(hub, *HUB_SERVICES).start()
        reporting.start()
        for config in districts.values():
            runner_factory(config, *DISTRICT_SERVICES).start()
        hub_vhost = sites.vhost_of(hub["AMQP_URI"])
        kalasin_via_proxy = f"amqp://guest:guest@127.0.0.1:{proxy.port}/{requests.utils.quote(names['KALASIN'], safe='')}"
        sites.link(MANAGEMENT, hub_vhost, "kalasin", kalasin_via_proxy)
        sites.link(MANAGEMENT, hub_vhost, "ratchaburi", districts["RATCHABURI1"]["AMQP_URI"])
        for site, vhost in names.items():
            sites.link(MANAGEMENT, vhost, "hub", hub["AMQP_URI"])  # the hub's replay requests travel back
            wait_for(lambda: bound_upstream(vhost, "rongtuk.feed", "HUB.#"), timeout=30,
                     message=f"the hub's federation link pulling {site}'s feed")
            wait_for(lambda: bound_upstream(hub_vhost, "rongtuk.sites", f"{site}.reporting.feed_replay"),
                     timeout=30, message=f"{site}'s link pulling the hub's replay requests")
        yield {"hub": hub, "reporting": reporting, "districts": districts, "proxy": proxy, "vhosts": names,
               "hub_vhost": hub_vhost}
    finally:
        reporting.stop()
        proxy.close()
        for vhost in names.values():
            rabbit_manager.delete_vhost(vhost)




@pytest.fixture
def fresh_site(tmp_path):
    """A site id of its own; afterwards its databases, roles, vhost and users are gone."""
    site_id = f"T{uuid.uuid4().hex[:8].upper()}"
    yield site_id, tmp_path / "etc"
    admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in SERVICE_NAMES:
            role = role_name(site_id, name)
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{role}" WITH (FORCE)'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
    admin.dispose()
    api, auth = "http://127.0.0.1:15672", ("guest", "guest")
    slug = site_id.lower()
    requests.delete(f"{api}/api/vhosts/rongtuk-{slug}", auth=auth, timeout=10)
    for user in (f"rongtuk-{slug}", f"rongtuk-{slug}-link"):
        requests.delete(f"{api}/api/users/{user}", auth=auth, timeout=10)


MONITORING = PROJECT_ROOT / "deploy" / "monitoring"


@pytest.fixture
def prometheus(tmp_path):
    """start(targets) -> the base URL of a Prometheus (Debian's, as .ci/run installs it) on the shipped
    embedded scrape config and rules, scraping `targets` (host:port) every second and evaluating every
    second."""
    binary = installed("prometheus", "prometheus")
    started = []

    def start(targets):
        config = yaml.safe_load((MONITORING / "prometheus-embedded.yml").read_text(encoding="utf-8"))
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = [str(MONITORING / name) for name in config["rule_files"]]
        config["scrape_configs"][0]["static_configs"][0]["targets"] = list(targets)
        (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config))
        port = free_port()
        log = open(tmp_path / "prometheus.log", "w")
        process = subprocess.Popen([binary, f"--config.file={tmp_path / 'prometheus.yml'}",
                                    f"--storage.tsdb.path={tmp_path / 'data'}",
                                    f"--web.listen-address=127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _ready(base), timeout=30, interval=0.2, message="Prometheus to be ready")
        return base

    yield start
    for process, log in started:
        end(process)
        log.close()


def _ready(base):
    try:
        return requests.get(f"{base}/-/ready", timeout=1).status_code == 200
    except requests.ConnectionError:
        return False
