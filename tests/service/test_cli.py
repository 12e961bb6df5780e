"""The rongtuk command's own behaviour: help, argument errors, listing on an empty site."""
from click.testing import CliRunner

from shared.cli import main
from tests.helpers import write_config


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_help_explains_every_command():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("run", "db upgrade", "dlq list", "dlq replay"):
        assert command in result.output
    for sub in (["run", "--help"], ["db", "upgrade", "--help"], ["dlq", "list", "--help"],
                ["dlq", "replay", "--help"]):
        assert invoke(*sub).exit_code == 0


def test_listing_a_site_without_dead_letters(embedded_config, tmp_path):
    config = write_config(embedded_config, tmp_path / "config.yml")
    result = invoke("--config", str(config), "dlq", "list")
    assert result.exit_code == 0
    assert result.output.strip() == "no dead letters"


def test_replay_needs_ids_or_all_and_refuses_malformed_ids(embedded_config, tmp_path):
    config = str(write_config(embedded_config, tmp_path / "config.yml"))
    assert invoke("--config", config, "dlq", "replay").exit_code == 2
    assert invoke("--config", config, "dlq", "replay", "--all", "routing:1").exit_code == 2
    bad = invoke("--config", config, "dlq", "replay", "billing:1")
    assert bad.exit_code == 2 and "not an ID like routing:3" in bad.output
    assert invoke("--config", config, "dlq", "replay", "routing:7").output.startswith("marked 0 dead letter")


def test_an_unknown_service_is_refused(embedded_config, tmp_path):
    config = str(write_config(embedded_config, tmp_path / "config.yml"))
    result = invoke("--config", config, "db", "upgrade", "--service", "billing")
    assert result.exit_code == 2 and "unknown service" in result.output
