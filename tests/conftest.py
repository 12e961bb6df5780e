"""Fixtures shared by the service and integration tests.

Configs are built from the real files in deploy/, with only what a test must change overridden.
Databases are migrated once per session, into templates each test copies: a SQLite folder, and
PostgreSQL databases made with CREATE DATABASE ... TEMPLATE.
"""
import shutil
import uuid
from contextlib import ExitStack

import pytest

from services import SERVICE_NAMES, upgrade_databases
from shared.config import DISTRIBUTED_CONFIG, EMBEDDED_CONFIG, PRIVATE_FILE_MODE, load_config, private_dir
from shared.store import open_store
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


@pytest.fixture(autouse=True, scope="session")
def _memory_transport_polls_as_a_site_does():
    """deploy/embedded.yml has kombu's memory transport poll every 5 ms (TRANSPORT_OPTIONS), and the
    services pass that on. nameko's standalone proxies, a test's client, open their connections
    without transport options and would poll once a second: every RPC a test made took a second."""
    from kombu.transport import memory
    memory.Transport.polling_interval = 0.005


@pytest.fixture(autouse=True)
def _no_stale_listeners():
    from shared.web import SharedWebServer
    yield
    SharedWebServer._listeners.clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A data folder whose SQLite databases, one per service, are migrated to head: once a session."""
    folder = tmp_path_factory.mktemp("sqlite-template") / "data"
    upgrade_databases({"DATA_DIR": str(folder), "DATABASE_URL": "sqlite:///<data_dir>/<service>.db"})
    return folder


@pytest.fixture
def embedded_config(tmp_path, sqlite_template):
    """deploy/embedded.yml on a fresh data folder and a free port, databases migrated (copies of the
    session's template: the same as migrating them here)."""
    config = merge(load_config(EMBEDDED_CONFIG), FAST)
    config.update(DATA_DIR=str(tmp_path / "data"), AMQP_URI="memory://",
                  WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
    config.pop("LOGGING", None)
    data = private_dir(tmp_path / "data")
    for name in SERVICE_NAMES:
        shutil.copyfile(sqlite_template / f"{name}.db", data / f"{name}.db")
        (data / f"{name}.db").chmod(PRIVATE_FILE_MODE)
    return config


@pytest.fixture(scope="session")
def pg_admin():
    """An AUTOCOMMIT engine on the server's postgres database, for CREATE and DROP DATABASE."""
    from shared.store import make_engine
    admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


def _create_databases(admin, prefix, template=None):
    import sqlalchemy as sa
    with admin.connect() as conn:
        for name in SERVICE_NAMES:
            copy = f' TEMPLATE "{template}_{name}"' if template else ""
            conn.execute(sa.text(f'CREATE DATABASE "{prefix}_{name}"{copy}'))
    return f"postgresql://postgres@127.0.0.1:5432/{prefix}_<service>"


def _drop_databases(admin, prefixes):
    import sqlalchemy as sa
    with admin.connect() as conn:
        for prefix in prefixes:
            for name in SERVICE_NAMES:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_template(pg_admin):
    """PostgreSQL databases, one per service, migrated to head once a session: the template of every
    test's databases. The prefix of their names."""
    prefix = f"rt_template_{uuid.uuid4().hex[:8]}"
    try:
        upgrade_databases({"DATABASE_URL": _create_databases(pg_admin, prefix)})
        yield prefix
    finally:
        _drop_databases(pg_admin, [prefix])


@pytest.fixture
def pg_database_sets(pg_admin, pg_template):
    """Make PostgreSQL databases, one per service and migrated to head, as often as a test needs (a
    site each); each call returns a DATABASE_URL template. All are dropped at the end."""
    prefixes = []

    def make():
        prefix = f"rt_{uuid.uuid4().hex[:8]}"
        prefixes.append(prefix)
        return _create_databases(pg_admin, prefix, template=pg_template)

    yield make
    _drop_databases(pg_admin, prefixes)


@pytest.fixture
def pg_databases(pg_database_sets):
    """A fresh PostgreSQL database per service; the DATABASE_URL template."""
    return pg_database_sets()


@pytest.fixture
def store_of(embedded_config):
    """Open a service's store on the test's own databases: `store_of("intake")`, closed at the end;
    `handler` names who writes (the inbox and outbox rows say so)."""
    with ExitStack() as opened:
        yield lambda service, handler="test": opened.enter_context(open_store(embedded_config, service, handler))


@pytest.fixture
def pg_stores(pg_databases):
    """`count` stores of one service on one PostgreSQL database, as `count` processes of it have:
    `pg_stores("intake")`. Closed at the end."""
    with ExitStack() as opened:
        yield lambda service, count=2: [
            opened.enter_context(open_store({"DATABASE_URL": pg_databases}, service, f"{service}.process{i}"))
            for i in range(count)]


@pytest.fixture
def distributed_config(rabbit_config, pg_databases, tmp_path):
    """deploy/distributed.yml on a test vhost of RabbitMQ and fresh PostgreSQL databases, migrated."""
    config = merge(load_config(DISTRIBUTED_CONFIG), FAST)
    config.update(AMQP_URI=rabbit_config["AMQP_URI"], DATABASE_URL=pg_databases,
                  DATA_DIR=str(tmp_path / "data"), WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}")
    config.pop("LOGGING", None)
    return config


@pytest.fixture
def start_embedded(tmp_path):
    """Start `rongtuk run` as a user would, with extra environment variables; stopped at the end."""
    sites = EmbeddedSites(tmp_path)
    yield sites.start
    sites.stop_all()


@pytest.fixture
def recipients():
    """notify's sealing of delivery addresses under a fresh key, the default daily limit per address."""
    from cryptography.fernet import Fernet

    from services.notify.recipients import Recipients
    return Recipients(Fernet.generate_key().decode())


@pytest.fixture
def embedded(start_embedded):
    """A running embedded site with the default settings."""
    return start_embedded()


@pytest.fixture
def ctx(tmp_path):
    """intake's use cases' context (services/intake/cases.IntakeContext): the shipped subject catalogue,
    a sealer under a fresh key, attachments under the test's folder."""
    from cryptography.fernet import Fernet

    from services.intake.cases import IntakeContext
    from services.intake.catalogue import Catalogue
    from services.intake.sealing import Sealer
    from shared.config import project_path
    from shared.files import FileStore
    return IntakeContext(catalogue=Catalogue.load(project_path("deploy/subjects.yml")),
                         sealer=Sealer(Fernet.generate_key().decode()), files=FileStore(tmp_path / "files"))
