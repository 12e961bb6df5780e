"""PostgreSQL under eventlet: queries from green threads run side by side, not one after another."""
import eventlet
import psycopg2.extensions
import pytest
import sqlalchemy as sa

from shared.store import make_engine
from tests.helpers import PG_ADMIN_URL

pytestmark = pytest.mark.postgres


def test_the_monkey_patch_made_psycopg2_green():
    assert psycopg2.extensions.get_wait_callback() is not None


def test_concurrent_queries_overlap_in_time():
    engine = make_engine(PG_ADMIN_URL)

    def slow_query(_):
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT statement_timestamp() AS began, pg_sleep(0.3), clock_timestamp() AS ended")).one()

    try:
        rows = list(eventlet.GreenPool(5).imap(slow_query, range(5)))
    finally:
        engine.dispose()
    # every query began before any of them ended: they ran at once
    assert max(r.began for r in rows) < min(r.ended for r in rows)
