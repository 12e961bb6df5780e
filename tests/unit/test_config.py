"""shared/config.py: ${VAR:default} substitution, database URLs, site id."""
from pathlib import Path

import pytest

from services import SERVICE_NAMES
from shared import config
from shared.config import (
    BASE_CONFIG,
    DISTRIBUTED_CONFIG,
    EMBEDDED_CONFIG,
    ConfigFileError,
    data_dir,
    database_url,
    load_config,
    setting,
    site_id,
)

VARS = ("RT_TEST_HOST", "RT_TEST_PORT", "RT_TEST_SITE", "RT_TEST_EMPTY", "RT_TEST_FLAG")


@pytest.fixture
def env(monkeypatch):
    for name in VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def project_root(tmp_path, monkeypatch):
    """Relative paths resolve against PROJECT_ROOT; point it at a scratch folder."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setattr(config, "PROJECT_ROOT", root)
    return root


def write(tmp_path, text):
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return path


YAML = """\
WEB_SERVER_ADDRESS: ${RT_TEST_HOST:127.0.0.1}:${RT_TEST_PORT:8000}
PORT: ${RT_TEST_PORT:8000}
SITE_ID: ${RT_TEST_SITE:HUB}
SMTP:
  host: ${RT_TEST_EMPTY:}
  starttls: ${RT_TEST_FLAG:false}
OFFICE: สำนักงานเศรษฐกิจพอเพียง
"""


# --- load_config ---------------------------------------------------------------------------

def test_defaults_are_used_when_the_environment_is_silent(env, tmp_path):
    loaded = load_config(write(tmp_path, YAML))

    assert loaded == {
        "WEB_SERVER_ADDRESS": "127.0.0.1:8000",
        "PORT": 8000,
        "SITE_ID": "HUB",
        "SMTP": {"host": None, "starttls": False},
        "OFFICE": "สำนักงานเศรษฐกิจพอเพียง",
    }


def test_environment_values_replace_the_defaults(env, tmp_path):
    env.setenv("RT_TEST_HOST", "0.0.0.0")
    env.setenv("RT_TEST_PORT", "9001")
    env.setenv("RT_TEST_SITE", "cm01")
    env.setenv("RT_TEST_EMPTY", "smtp.example.go.th")
    env.setenv("RT_TEST_FLAG", "true")

    loaded = load_config(write(tmp_path, YAML))

    assert loaded["WEB_SERVER_ADDRESS"] == "0.0.0.0:9001"
    assert loaded["PORT"] == 9001
    assert loaded["SITE_ID"] == "cm01"
    assert loaded["SMTP"] == {"host": "smtp.example.go.th", "starttls": True}


def test_empty_file_is_an_empty_config(tmp_path):
    assert load_config(write(tmp_path, "")) == {}


def test_embedded_config_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SITE_ID", "cm01")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "rongtuk-data"))
    monkeypatch.setenv("HANDLER_RETRY_ATTEMPTS", "3")
    monkeypatch.delenv("DATABASE_URL", raising=False)

    loaded = load_config(EMBEDDED_CONFIG)

    assert site_id(loaded) == "CM01"
    assert loaded["HANDLER_RETRY"]["attempts"] == 3
    assert database_url(loaded, "intake") == f"sqlite:///{tmp_path}/rongtuk-data/intake.db"
    assert (tmp_path / "rongtuk-data").is_dir()


@pytest.mark.parametrize("path", [EMBEDDED_CONFIG, DISTRIBUTED_CONFIG], ids=["embedded", "distributed"])
def test_deploy_configs_substitute_the_smtp_sender(monkeypatch, path):
    # the value is quoted in the YAML, and nameko's implicit ${...} resolver only sees plain scalars
    monkeypatch.delenv("SMTP_SENDER", raising=False)
    assert load_config(path)["SMTP"]["sender"] == "Rongtuk <no-reply@rongtuk.local>"

    monkeypatch.setenv("SMTP_SENDER", "ศูนย์รับเรื่องร้องเรียน <complaints@example.go.th>")
    assert load_config(path)["SMTP"]["sender"] == "ศูนย์รับเรื่องร้องเรียน <complaints@example.go.th>"


# --- database_url --------------------------------------------------------------------------

def test_default_database_url_is_a_sqlite_file_per_service_in_data_dir(tmp_path):
    folder = tmp_path / "data"
    settings = {"DATA_DIR": str(folder)}

    urls = {name: database_url(settings, name) for name in SERVICE_NAMES}

    assert urls["intake"] == f"sqlite:///{folder}/intake.db"
    assert urls["reporting"] == f"sqlite:///{folder}/reporting.db"
    assert len(set(urls.values())) == 5
    assert folder.is_dir()


def test_data_dir_placeholder_is_replaced(tmp_path):
    settings = {"DATA_DIR": str(tmp_path / "d"), "DATABASE_URL": "sqlite:///<data_dir>/rt_<service>.sqlite3"}

    assert database_url(settings, "notify") == f"sqlite:///{tmp_path}/d/rt_notify.sqlite3"
    assert (tmp_path / "d").is_dir()


def test_relative_sqlite_path_is_made_absolute_and_its_folder_created(project_root):
    settings = {"DATABASE_URL": "sqlite:///var/db/<service>.db"}

    url = database_url(settings, "routing")

    assert url == f"sqlite:///{project_root}/var/db/routing.db"
    assert Path(url[len("sqlite:///"):]).is_absolute()
    assert (project_root / "var" / "db").is_dir()


def test_relative_data_dir_is_under_the_project_root(project_root):
    settings = {"DATA_DIR": "data"}

    assert data_dir(settings) == project_root / "data"
    assert database_url(settings, "sla") == f"sqlite:///{project_root}/data/sla.db"
    assert (project_root / "data").is_dir()


def test_data_dir_defaults_to_data_under_the_project_root(project_root):
    assert data_dir({}) == project_root / "data"
    assert data_dir({"DATA_DIR": None}) == project_root / "data"


def test_absolute_data_dir_is_kept(tmp_path):
    assert data_dir({"DATA_DIR": str(tmp_path)}) == tmp_path


def test_server_database_url_gets_the_service_name_and_no_folder(project_root):
    settings = {"DATABASE_URL": "postgresql://rongtuk@db.example.go.th/rongtuk_<service>"}

    assert database_url(settings, "intake") == "postgresql://rongtuk@db.example.go.th/rongtuk_intake"
    assert list(project_root.iterdir()) == []


def test_in_memory_sqlite_is_left_alone(project_root):
    assert database_url({"DATABASE_URL": "sqlite:///:memory:"}, "intake") == "sqlite:///:memory:"
    assert list(project_root.iterdir()) == []


# --- site_id and setting -------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [("cm01", "CM01"), ("Hub", "HUB"), ("BKK", "BKK"),
                                             (None, "HUB"), ("", "HUB")])
def test_site_id_is_upper_case(value, expected):
    assert site_id({"SITE_ID": value}) == expected


def test_site_id_defaults_to_hub():
    assert site_id({}) == "HUB"


def test_setting_reads_a_nested_value_or_the_default():
    settings = {"OUTBOX": {"poll_interval": 0.2, "batch": None}, "RPC": None}

    assert setting(settings, "OUTBOX", "poll_interval", 1.0) == 0.2
    assert setting(settings, "OUTBOX", "batch", 50) == 50
    assert setting(settings, "OUTBOX", "missing", "x") == "x"
    assert setting(settings, "RPC", "timeout", 5) == 5
    assert setting(settings, "SMTP", "port", 25) == 25


def test_setting_keeps_falsy_values_that_are_not_none():
    settings = {"SMTP": {"starttls": False, "port": 0, "host": ""}}

    assert setting(settings, "SMTP", "starttls", True) is False
    assert setting(settings, "SMTP", "port", 25) == 0
    assert setting(settings, "SMTP", "host", "localhost") == ""


# --- a base config and an overlay per mode ---------------------------------------------------------

def test_both_modes_extend_the_base_and_differ_only_in_transport_address_and_databases(monkeypatch):
    for name in ("AMQP_URI", "DATABASE_URL", "WEB_SERVER_ADDRESS", "HOST", "PORT", "POLLING_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    base, embedded, distributed = (load_config(path) for path in (BASE_CONFIG, EMBEDDED_CONFIG, DISTRIBUTED_CONFIG))

    assert "EXTENDS" not in embedded and "EXTENDS" not in distributed
    for mode in (embedded, distributed):
        assert {key: value for key, value in mode.items() if key in base} == base
    assert set(embedded) - set(base) == {"AMQP_URI", "TRANSPORT_OPTIONS", "WEB_SERVER_ADDRESS", "DATABASE_URL"}
    assert set(distributed) - set(base) == {"AMQP_URI", "WEB_SERVER_ADDRESS", "DATABASE_URL"}
    assert embedded["AMQP_URI"] == "memory://" and distributed["AMQP_URI"].startswith("amqp://")


def test_an_overlay_merges_sections_key_by_key_and_replaces_everything_else(tmp_path):
    (tmp_path / "base.yml").write_text("SLA:\n  sweep_interval: 15\n  sweep_batch: 500\nLIST: [1, 2]\nKEPT: yes\n")
    (tmp_path / "site.yml").write_text("EXTENDS: base.yml\nSLA:\n  sweep_interval: 5\nLIST: [3]\n")
    (tmp_path / "mine.yml").write_text("EXTENDS: site.yml\nSLA:\n  sweep_batch: 50\n")

    assert load_config(tmp_path / "mine.yml") == {
        "SLA": {"sweep_interval": 5, "sweep_batch": 50}, "LIST": [3], "KEPT": True}


def test_an_empty_section_in_an_overlay_keeps_the_base_section(tmp_path):
    (tmp_path / "base.yml").write_text("SMTP:\n  host: mail.example\n  port: 25\n")
    (tmp_path / "site.yml").write_text("EXTENDS: base.yml\nSMTP:\n  # host: another.example\n")

    assert load_config(tmp_path / "site.yml") == {"SMTP": {"host": "mail.example", "port": 25}}


def test_a_config_that_extends_itself_or_is_not_a_mapping_is_refused_by_name(tmp_path):
    (tmp_path / "a.yml").write_text("EXTENDS: b.yml\n")
    (tmp_path / "b.yml").write_text("EXTENDS: a.yml\n")
    (tmp_path / "list.yml").write_text("- 1\n")

    with pytest.raises(ConfigFileError, match="extends itself"):
        load_config(tmp_path / "a.yml")
    with pytest.raises(ConfigFileError, match="not a mapping"):
        load_config(tmp_path / "list.yml")
