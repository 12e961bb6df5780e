"""One config loader: nameko YAML with ${VAR:default} substitution (the same syntax `nameko run` reads)."""
import os
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_ROOT / "deploy"
EMBEDDED_CONFIG = DEPLOY_DIR / "embedded.yml"
DISTRIBUTED_CONFIG = DEPLOY_DIR / "distributed.yml"

SERVICE_NAMES = ("intake", "routing", "sla", "notify", "reporting")

_yaml_ready = False


def load_config(path):
    """Read a config file, substituting ${VAR:default} from the environment."""
    global _yaml_ready
    if not _yaml_ready:
        setup_yaml_parser()
        _yaml_ready = True
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def site_id(config):
    return str(config.get("SITE_ID") or "HUB").upper()


def data_dir(config):
    """The folder for SQLite files and mail written to disk, relative paths from the project root."""
    path = Path(str(config.get("DATA_DIR") or "data"))
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return path


def database_url(config, service_name):
    """Each service has its own database: DATABASE_URL is a template with `<service>` in it
    (and `<data_dir>` for SQLite files), e.g. postgresql://db.example/rongtuk_<service>."""
    template = str(config.get("DATABASE_URL") or "sqlite:///<data_dir>/<service>.db")
    url = template.replace("<service>", service_name).replace("<data_dir>", str(data_dir(config)))
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url[len("sqlite:///"):])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
            url = "sqlite:///" + str(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    return url


def setting(config, section, key, default):
    """A value from a nested section, e.g. setting(config, "OUTBOX", "poll_interval", 1.0)."""
    value = (config.get(section) or {}).get(key)
    return default if value is None else value


def env_flag(name):
    return os.environ.get(name, "").lower() in {"1", "true", "yes", "on"}
