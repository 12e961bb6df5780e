"""SLA's tables: one clock per case and target."""
from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint

from shared.store import UtcDateTime

metadata = MetaData()

clocks = Table(
    "clocks", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("target", String(32), nullable=False),
    Column("kind", Integer, nullable=False),
    Column("unit_id", String(64), nullable=False),
    Column("business_days", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),
    UniqueConstraint("case_id", "target", name="uq_clocks_case_target"),
)
