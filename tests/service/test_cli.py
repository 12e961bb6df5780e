"""The rongtuk command's own behaviour: help, argument errors, listing on an empty site."""
import subprocess
import sys

import pytest
from click.testing import CliRunner

from services.cli import main
from shared.config import PROJECT_ROOT
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


def test_the_command_loads_without_eventlet_nameko_or_the_database():
    """Each service's commands import what they use inside them: `rongtuk` starts at once, and `rongtuk
    run` patches eventlet before anything imports it (this process has it already: another one looks)."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, services.cli; print(' '.join(sorted(sys.modules)))"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert "services.cli" in loaded
    assert not {"eventlet", "nameko.extensions", "sqlalchemy", "sklearn"} & set(loaded)


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


@pytest.mark.parametrize("args,expected", [
    (["--received", "2025-04-11T10:00:00+07:00", "--kind", "2"], "2025-04-21T16:30:00+07:00"),
    (["--received", "2025-06-05T09:31:00Z", "--kind", "1"], "2025-06-09T16:30:00+07:00"),
    (["--received", "2025-11-17T10:00:00+07:00", "--kind", "1", "--extra-holiday", "2025-11-18"],
     "2025-11-19T16:30:00+07:00"),
    (["--received", "2025-11-21T10:00:00+07:00", "--kind", "1", "--extra-workday", "2025-11-22"],
     "2025-11-22T16:30:00+07:00"),
])
def test_sla_deadline_prints_the_deadline_and_nothing_else(args, expected):
    result = invoke("sla", "deadline", *args)
    assert result.exit_code == 0
    assert result.output == expected + "\n"


@pytest.mark.parametrize("args", [["--received", "2025-04-11T10:00:00", "--kind", "2"],
                                  ["--received", "yesterday", "--kind", "2"],
                                  ["--received", "2025-04-11T10:00:00+07:00", "--kind", "5"]])
def test_sla_deadline_refuses_what_it_cannot_read(args):
    assert invoke("sla", "deadline", *args).exit_code == 2


def test_calendar_days_are_added_listed_and_removed(embedded_config, tmp_path):
    config = str(write_config(embedded_config, tmp_path / "config.yml"))
    added = invoke("--config", config, "calendar", "add-holiday", "2026-11-24", "มติคณะรัฐมนตรี 10 พ.ย. 2569")
    assert added.exit_code == 0 and added.output.startswith("2026-11-24: holiday added")
    assert invoke("--config", config, "calendar", "add-workday", "2026-11-28", "ทำงานชดเชย").exit_code == 0
    listed = invoke("--config", config, "calendar", "list", "--year", "2026").output
    assert "2026-11-24  holiday  admin    มติคณะรัฐมนตรี 10 พ.ย. 2569" in listed
    assert "2026-11-28  workday  admin    ทำงานชดเชย" in listed
    assert "2026-04-13  holiday  official Songkran Festival" in listed
    assert "2026-05-01" not in listed  # Labour Day: government offices work
    assert invoke("--config", config, "calendar", "remove", "2026-11-24").exit_code == 0
    assert "2026-11-24" not in invoke("--config", config, "calendar", "list", "--year", "2026").output
    missing = invoke("--config", config, "calendar", "remove", "2026-11-24")
    assert missing.exit_code == 1 and "no extra day" in missing.output
    assert invoke("--config", config, "calendar", "add-holiday", "24/11/2569", "x").exit_code == 1


@pytest.mark.parametrize("variable, value, says", [
    ("INTAKE_LOOKUP_FAILURES_PER_NUMBER", "0", "INTAKE.lookup_failures_per_number must be more than 0"),
    ("INTAKE_CASES_WINDOW", "ten", "INTAKE.cases_window must be a whole number"),
])
def test_run_refuses_a_wrong_limit_before_anything_starts(tmp_path, variable, value, says):
    import os

    from tests.helpers import free_port, run_cli
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "PORT": str(free_port()), variable: value}
    env.pop("RONGTUK_CONFIG", None)
    result = run_cli("run", env=env)
    assert result.returncode == 1
    assert f"Error: cannot start intake: {says}" in result.stderr
    assert not (tmp_path / "data").exists()  # refused before the databases were made
