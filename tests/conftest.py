"""Fixtures shared by the service and integration tests.

Configs are built from the real files in deploy/, with only what a test must change overridden.
"""
import uuid

import pytest

from services import SERVICE_NAMES, upgrade_databases
from shared.config import DISTRIBUTED_CONFIG, EMBEDDED_CONFIG, load_config
from tests.helpers import FAST, PG_ADMIN_URL, EmbeddedSites, free_port, merge


@pytest.fixture(autouse=True)
def _clean_memory_broker():
    """kombu's memory transport keeps its queues in class attributes: empty them around each test."""
    from kombu.transport import memory

    def clear():
        memory.Channel.queues.clear()
        memory.Channel.events.clear()
        memory.Transport.global_state.clear()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _no_stale_listeners():
    from shared.web import SharedWebServer
    yield
    SharedWebServer._listeners.clear()


@pytest.fixture
def embedded_config(tmp_path):
    """deploy/embedded.yml on a fresh data folder and a free port, databases migrated."""
    config = merge(load_config(EMBEDDED_CONFIG), FAST)
    config.update(DATA_DIR=str(tmp_path / "data"), AMQP_URI="memory://",
                  WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
    config.pop("LOGGING", None)
    upgrade_databases(config)
    return config


@pytest.fixture
def pg_database_sets():
    """Make fresh PostgreSQL databases, one per service, as often as a test needs (a site each);
    each call returns a DATABASE_URL template. All are dropped at the end."""
    import sqlalchemy as sa

    from shared.store import make_engine
    admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    prefixes = []

    def make():
        prefix = f"rt_{uuid.uuid4().hex[:8]}"
        prefixes.append(prefix)
        with admin.connect() as conn:
            for name in SERVICE_NAMES:
                conn.execute(sa.text(f'CREATE DATABASE "{prefix}_{name}"'))
        return f"postgresql://postgres@127.0.0.1:5432/{prefix}_<service>"

    yield make
    with admin.connect() as conn:
        for prefix in prefixes:
            for name in SERVICE_NAMES:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_databases(pg_database_sets):
    """A fresh PostgreSQL database per service; the DATABASE_URL template."""
    return pg_database_sets()


@pytest.fixture
def distributed_config(rabbit_config, pg_databases, tmp_path):
    """deploy/distributed.yml on a test vhost of RabbitMQ and fresh PostgreSQL databases, migrated."""
    config = merge(load_config(DISTRIBUTED_CONFIG), FAST)
    config.update(AMQP_URI=rabbit_config["AMQP_URI"], DATABASE_URL=pg_databases,
                  DATA_DIR=str(tmp_path / "data"), WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
    config.pop("LOGGING", None)
    upgrade_databases(config)
    return config


@pytest.fixture
def start_embedded(tmp_path):
    """Start `rongtuk run` as a user would, with extra environment variables; stopped at the end."""
    sites = EmbeddedSites(tmp_path)
    yield sites.start
    sites.stop_all()


@pytest.fixture
def embedded(start_embedded):
    """A running embedded site with the default settings."""
    return start_embedded()
