"""Schema migrations on databases that already hold cases, as an upgrade meets them."""
import pytest
from sqlalchemy import inspect, text

from services import upgrade_databases
from shared.config import EMBEDDED_CONFIG, database_url, load_config
from shared.store import make_engine


@pytest.fixture
def config(tmp_path):
    config = load_config(EMBEDDED_CONFIG)
    config.update(DATA_DIR=str(tmp_path / "data"), AMQP_URI="memory://")
    return config


def test_making_the_kind_optional_keeps_every_case_and_what_refers_to_it_on_sqlite(config):
    upgrade_databases(config, ["intake"], "intake_0005")
    engine = make_engine(database_url(config, "intake"))  # foreign keys on, as the services run
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO cases (id, tracking_number, access_code_hash, site_id, channel, kind, subject, description,"
            " status, received_at, updated_at) VALUES ('c1', 'HUB-2569-000001', 'h', 'HUB', 'web', 2, 's', 'd',"
            " 'received', '2026-11-02 02:15:00', '2026-11-02 02:15:00')"))
        connection.execute(text(  # a row that refers to the case: SQLite would refuse to drop the table
            "INSERT INTO disputes (id, case_id, channel, subject, description, received_at)"
            " VALUES ('d1', 'c1', 'web', 's', 'd', '2026-11-03 02:15:00')"))

    upgrade_databases(config, ["intake"])

    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, kind FROM cases")).all() == [("c1", 2)]
        assert connection.execute(text("SELECT case_id FROM disputes")).all() == [("c1",)]
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on for the services
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
    [kind] = [c for c in inspect(engine).get_columns("cases") if c["name"] == "kind"]
    assert kind["nullable"] is True
    engine.dispose()
