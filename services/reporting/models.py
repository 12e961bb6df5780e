"""Reporting's tables: every case event it heard, one summary row per case, and each case's figures."""
from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text

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

# What the indicators and counts need of each case (services/reporting/figures.py folds it)
case_figures = Table(
    "case_figures", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("site_id", String(32), nullable=False),
    Column("tracking_number", String(40)),
    Column("channel", String(32)),
    Column("category", String(64)),
    Column("confidential", Boolean),
    Column("has_contact", Boolean),
    Column("linked_as", String(16)),           # repeat or dispute: the case it was linked to
    Column("kind", Integer),
    Column("kind_changes", Integer, nullable=False),
    Column("first_unit_id", String(64)),
    Column("unit_id", String(64)),
    Column("rerouted", Boolean, nullable=False),
    Column("info_requested", Boolean, nullable=False),
    Column("received_at", UtcDateTime),
    Column("routed_at", UtcDateTime),
    Column("answered_at", UtcDateTime),
    Column("answered_from_kb", Boolean, nullable=False),
    Column("answered_by_unit", Boolean, nullable=False),
    Column("first_notice_due_at", UtcDateTime),
    Column("first_notice_outcome", String(16)),
    Column("resolution_due_at", UtcDateTime),
    Column("resolution_outcome", String(16)),
    Column("warnings", Integer, nullable=False),
    Column("breaches", Integer, nullable=False),
    Column("escalations", Integer, nullable=False),
    Column("reopened", Integer, nullable=False),
    Column("result_documents", Integer, nullable=False),
    Index("ix_case_figures_received", "site_id", "received_at"),
    Index("ix_case_figures_unit", "unit_id"),
)
