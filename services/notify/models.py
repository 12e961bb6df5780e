"""Notify's tables: the delivery log (every message to a complainant and what became of it)."""
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("channel", String(16)),
    Column("recipient", String(254)),
    Column("subject", Text),
    Column("body", Text),
    Column("status", String(16), nullable=False),  # awaiting_contact | pending | delivered | failed | no_contact
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("notice", Text),  # what the event gave the message (JSON), for composing it once the address is known
    Index("ix_deliveries_next_attempt", "next_attempt_at"),
)
