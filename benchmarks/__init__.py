"""Benchmarks: `make bench`, `make bench-sla`, `make bench-routing`, `make bench-reports`, `make bench-hub`,
`make bench-metrics`."""
from contextlib import contextmanager

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def fresh_database(name, service):
    """A PostgreSQL database `name` made afresh and migrated to `service`'s head; yields its
    DATABASE_URL and drops it at the end, so that a large table left behind (and its autovacuum)
    weighs on nothing run later on the machine."""
    import sqlalchemy as sa

    from services import upgrade_databases
    from shared.store import make_engine
    admin = make_engine(ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade_databases({"DATABASE_URL": url}, [service])
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
