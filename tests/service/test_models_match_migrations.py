"""Each service's models and its migrations describe the same tables: a column, index or table added
to one without the other fails here, on SQLite (embedded) and on PostgreSQL (distributed)."""
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String

from shared.config import PROJECT_ROOT, database_url
from shared.store import make_engine, messaging

SERVICES = sorted(p.parent.name for p in (PROJECT_ROOT / "services").glob("*/models.py"))


def declared(service):
    """The service's own tables and the messaging tables every service database has."""
    metadata = MetaData()
    for source in (importlib.import_module(f"services.{service}.models").metadata, messaging):
        for table in source.tables.values():
            table.to_metadata(metadata)
    return metadata


def drift(config, service, metadata):
    engine = make_engine(database_url(config, service))
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), metadata)
    finally:
        engine.dispose()


def test_every_service_has_models_to_compare():
    assert SERVICES == ["intake", "notify", "reporting", "routing", "sla"]


@pytest.mark.parametrize("service", SERVICES)
def test_models_and_migrations_agree_on_sqlite(embedded_config, service):
    assert drift(embedded_config, service, declared(service)) == []


@pytest.mark.parametrize("service", SERVICES)
def test_models_and_migrations_agree_on_postgresql(distributed_config, service):
    assert drift(distributed_config, service, declared(service)) == []


def test_a_column_added_to_a_model_without_its_migration_is_found(embedded_config):
    metadata = declared("intake")
    metadata.tables["cases"].append_column(Column("priority", String(16)))
    assert [(d[0], d[3].name) for d in drift(embedded_config, "intake", metadata)] == [("add_column", "priority")]
