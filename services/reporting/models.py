"""Reporting's tables: every case event it heard, and one summary row per case."""
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

case_events = Table(
    "case_events", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("case_id", String(36), nullable=False),
    Column("service", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("summary", Text, nullable=False),
    # the event as reporting heard it (JSON), for `rongtuk reporting rebuild`; none for reporting's
    # own entries and for events heard before reporting_0003
    Column("body", Text),
    Index("ix_case_events_case", "case_id", "occurred_at"),
)

case_summaries = Table(
    "case_summaries", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("site_id", String(32), nullable=False),
    Column("tracking_number", String(40)),
    Column("status", String(32), nullable=False),
    Column("kind", Integer),
    Column("channel", String(32)),
    Column("unit_id", String(64)),
    Column("received_at", UtcDateTime),
    Column("due_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_case_summaries_status", "status"),
)
