"""The audit log (shared/audit.py) is append-only in intake's and routing's databases, on SQLite and on
PostgreSQL: rows are added, listed and filtered, never changed or deleted."""
import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DatabaseError

from shared import audit
from shared.store import open_store
from tests.helpers import officer


def append_and_tamper(store):
    head = officer("unit_head", name="wichai", units=["inspection"])
    store.run(lambda tx: audit.record(tx.session, head, "approve_reveal", "approved", "case-1", "อนุมัติ",
                                      {"request_id": "r-1"}))
    store.run(lambda tx: audit.record(tx.session, None, "login", "failed"))
    with store.reading() as session:
        rows = audit.listing(session)
        assert [(r["actor"], r["actor_kind"], r["action"], r["outcome"]) for r in rows] == [
            ("wichai", "person", "approve_reveal", "approved"), ("-", "anonymous", "login", "failed")]
        assert rows[0]["detail"] == {"request_id": "r-1"} and rows[0]["role"] == "unit_head"
        assert [r["action"] for r in audit.listing(session, actor="wichai")] == ["approve_reveal"]
        assert audit.listing(session, case_id="case-2") == []
    for tamper in (update(audit.audit_log).values(actor="someone else"), delete(audit.audit_log)):
        with pytest.raises(DatabaseError, match="append-only"):
            store.run(lambda tx: tx.session.execute(tamper))
    with store.reading() as session:
        assert len(audit.listing(session)) == 2
    with pytest.raises(ValueError, match="no outcome"):
        store.run(lambda tx: audit.record(tx.session, head, "read_case", "maybe"))


@pytest.mark.parametrize("service", ["intake", "routing"])
def test_the_audit_log_is_append_only_on_sqlite(store_of, service):
    append_and_tamper(store_of(service))


@pytest.mark.postgres
@pytest.mark.parametrize("service", ["intake", "routing"])
def test_the_audit_log_is_append_only_on_postgresql(pg_databases, service):
    with open_store({"DATABASE_URL": pg_databases}, service, "test") as store:
        append_and_tamper(store)
        with pytest.raises(DatabaseError, match="append-only"):
            store.run(lambda tx: tx.session.execute(text("TRUNCATE audit_log")))
