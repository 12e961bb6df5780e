"""`rongtuk sites` and `rongtuk directory`: what they print, what they refuse, and a real link."""
import pytest
import requests
from click.testing import CliRunner
from kombu import Connection, Exchange

from shared import sites
from services.cli import main
from tests.helpers import write_config, wait_for


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_sites_list_says_where_personal_data_may_go(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    result = invoke("--config", str(config), "sites", "list")

    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "(this site)" in lines["HUB"]
    assert "complainant's contacts shared" in lines["KALASIN"]
    assert "no personal data" in lines["RATCHABURI1"]


def test_an_embedded_site_cannot_be_linked_and_says_why(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")  # AMQP_URI memory://
    result = invoke("--config", str(config), "sites", "link", "hub", "amqp://guest:guest@localhost/hub")

    assert result.exit_code == 1
    assert "memory:// has no broker to link; sites link through RabbitMQ" in result.output


def test_directory_check_accepts_the_shipped_ones_and_names_what_is_wrong(tmp_path):
    good = invoke("directory", "check", "deploy/directory-kalasin.yml")
    assert good.exit_code == 0 and "site KALASIN, 8 units, 6 rules, 2 sites, triage to administration" in good.output

    broken = tmp_path / "directory.yml"
    broken.write_text("triage_unit: nobody\nunits:\n  a: {name_th: ก}\n", encoding="utf-8")
    result = invoke("directory", "check", str(broken))
    assert result.exit_code == 1 and "triage_unit 'nobody' is not a unit of the directory" in result.output


def test_directory_show_prints_what_routing_loads(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    result = invoke("--config", str(config), "directory", "show")

    assert result.exit_code == 0
    assert "triage_unit: inspection" in result.output and "KALASIN:" in result.output


@pytest.mark.rabbit
def test_link_status_and_unlink_through_the_management_api(rabbit_config, rabbit_manager, embedded_config, tmp_path):
    other = f"{sites.vhost_of(rabbit_config['AMQP_URI'])}-other"
    rabbit_manager.create_vhost(other)
    rabbit_manager.set_vhost_permissions(other, "guest", ".*", ".*", ".*")
    try:
        config = write_config({**embedded_config, "AMQP_URI": rabbit_config["AMQP_URI"]}, tmp_path / "config.yml")
        upstream = rabbit_config["AMQP_URI"].rsplit("/", 1)[0] + "/" + other
        vhost = sites.vhost_of(rabbit_config["AMQP_URI"])

        with Connection(rabbit_config["AMQP_URI"]) as conn:  # as a running site's services declare it
            Exchange(sites.SITES_EXCHANGE, type="topic", durable=True)(conn.channel()).declare()
        with Connection(upstream) as conn:
            Exchange(sites.SITES_EXCHANGE, type="topic", durable=True)(conn.channel()).declare()
        linked = invoke("--config", str(config), "sites", "link", "other", upstream)
        assert linked.exit_code == 0, linked.output
        policy = requests.get(f"http://127.0.0.1:15672/api/policies/{vhost}/{sites.POLICY}",
                              auth=("guest", "guest"), timeout=5).json()
        assert policy["pattern"] == r"^(rongtuk\.sites|rongtuk\.feed)$"
        assert policy["definition"] == {"federation-upstream-set": "all"}
        upstreams = requests.get(f"http://127.0.0.1:15672/api/parameters/federation-upstream/{vhost}",
                                 auth=("guest", "guest"), timeout=5).json()
        assert [(u["name"], u["value"]["uri"]) for u in upstreams] == [("other", sites.broker_uri(upstream))]

        def listed():
            result = invoke("--config", str(config), "sites", "status")
            return result if result.exit_code == 0 and result.output.startswith("other") else None

        wait_for(listed, timeout=20, message="the link listed by sites status")
        unlinked = invoke("--config", str(config), "sites", "unlink", "other")
        assert unlinked.exit_code == 0
        assert requests.get(f"http://127.0.0.1:15672/api/parameters/federation-upstream/{vhost}",
                            auth=("guest", "guest"), timeout=5).json() == []
    finally:
        rabbit_manager.delete_vhost(other)
