"""SLA's tables: clocks (one per case, target and generation), the steps they fired, extra calendar days."""
from sqlalchemy import (Column, Date, Index, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

from shared.store import UtcDateTime

metadata = MetaData()

clocks = Table(
    "clocks", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("site_id", String(32), nullable=False),
    Column("target", String(32), nullable=False),
    Column("generation", Integer, nullable=False),
    Column("kind", Integer, nullable=False),
    Column("unit_id", String(64), nullable=False),
    Column("business_days", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # open | warned | breached | paused | met | stopped
    Column("paused_at", UtcDateTime),
    Column("paused_business_days", Integer, nullable=False),
    Column("next_step", Integer, nullable=False),
    Column("next_check_at", UtcDateTime),  # when the next step is due; NULL when none is
    Column("stopped_at", UtcDateTime),
    Column("outcome", String(16)),  # met | late | superseded
    Column("updated_at", UtcDateTime),
    UniqueConstraint("case_id", "target", "generation", name="uq_clocks_case_target_generation"),
    Index("ix_clocks_next_check_at", "next_check_at"),
    Index("ix_clocks_case_id", "case_id"),
)

clock_steps = Table(
    "clock_steps", metadata,
    Column("clock_id", String(36), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("name", String(16), nullable=False),
    Column("role", String(64)),
    Column("due_at", UtcDateTime, nullable=False),   # the true time of the step
    Column("fired_at", UtcDateTime, nullable=False),  # when the sweep noticed it
)

calendar_days = Table(
    "calendar_days", metadata,
    Column("site_id", String(32), primary_key=True),  # "*" is the default every site shares
    Column("day", Date, primary_key=True),
    Column("kind", String(8), nullable=False),  # holiday | workday
    Column("name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
