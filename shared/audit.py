"""The audit log: every officer's access and action, allowed or denied, on record and never changed.

Each service that answers officers keeps its own `audit_log` (intake: logins, reads, cases recorded,
looks at who complained and their approvals, figures; routing: the officers' routing actions and the
knowledge base), written in the same transaction as what it records, so an action and its record
commit together or not at all; a denial is written in a transaction of its own. The table is
append-only: the migration that makes it also makes triggers that refuse UPDATE and DELETE, on
PostgreSQL and SQLite alike. `rongtuk audit` lists and exports the logs of the site's services together.

A row names the actor (username or API key's name, its kind and role), what they asked (`action`, one
of shared/policy.py's or a session's), the case if any, the `outcome`, the reason they gave, and
details. Never a password, a token or a complainant's identity.
"""
import json

from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text, select

from shared.store import UtcDateTime
from shared.times import utcnow

OUTCOMES = (
    "allowed",    # done
    "denied",     # the policy refused it; nothing was done
    "requested",  # a look at a confidential complainant, waiting for a second person's approval
    "approved",   # a second person approved such a request
    "refused",    # a second person refused it
    "viewed",     # who complained was shown
    "failed",     # a login that did not succeed (wrong password, unknown user, throttled)
)

audit = MetaData()

audit_log = Table(
    "audit_log", audit,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),       # a username, an API key's name, "command:..."
    Column("actor_kind", String(16), nullable=False),   # person | key | system | anonymous
    Column("role", String(32)),
    Column("site_id", String(32)),
    Column("action", String(32), nullable=False),       # a policy action, or login / logout
    Column("outcome", String(16), nullable=False),      # OUTCOMES
    Column("case_id", String(36)),
    Column("reason", Text),                             # what the actor said (a look at who complained)
    Column("detail", Text),                             # JSON: what else belongs to the record
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_case", "case_id"),
)

# Triggers that make the table append-only (created by the migration that creates the table).
APPEND_ONLY = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
           FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
        """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
           FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ],
}
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log",
                   "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
                   "DROP FUNCTION IF EXISTS audit_log_append_only()"],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"],
}


def create_in_migration(op):
    """The table and its triggers, from a service's migration."""
    op.create_table(audit_log.name, *[c.copy() for c in audit_log.columns])
    for index in audit_log.indexes:
        op.create_index(index.name, audit_log.name, [c.name for c in index.columns])
    for statement in APPEND_ONLY[op.get_bind().dialect.name]:
        op.execute(statement)


def drop_in_migration(op):
    for statement in DROP[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_table(audit_log.name)


def record(session, actor, action, outcome, case_id=None, reason=None, detail=None, at=None):
    """Append one row. `actor` is a shared.actors.Actor, or None for someone not known (a failed login)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"no outcome {outcome!r}")
    session.execute(audit_log.insert().values(
        at=at or utcnow(), actor=(actor.name if actor else "-")[:200],
        actor_kind=actor.kind if actor else "anonymous", role=actor.role if actor else None,
        site_id=actor.site_id if actor else None, action=action[:32], outcome=outcome, case_id=case_id,
        reason=(reason or None) and str(reason)[:2000],
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None))


def listing(session, since=None, until=None, actor=None, case_id=None, action=None, outcome=None, limit=None):
    """Rows oldest first, each a dict (detail decoded), filtered as asked."""
    query = select(audit_log).order_by(audit_log.c.at, audit_log.c.id)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    for column, value in (("actor", actor), ("case_id", case_id), ("action", action), ("outcome", outcome)):
        if value:
            query = query.where(audit_log.c[column] == value)
    if limit:
        query = query.limit(limit)
    return [{**row._asdict(), "detail": json.loads(row.detail) if row.detail else None}
            for row in session.execute(query).all()]
