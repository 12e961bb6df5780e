"""Intake's tables: the case record, complainants and tracking sequences."""
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

complainants = Table(
    "complainants", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200)),
    Column("email", String(254)),
    Column("phone", String(32)),
    Column("created_at", UtcDateTime, nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_number", String(40), nullable=False, unique=True),
    Column("access_code_hash", String(64), nullable=False),
    Column("site_id", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("kind", Integer, nullable=False),
    Column("subject", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("complainant_id", String(36), ForeignKey("complainants.id")),
    Column("status", String(32), nullable=False),
    Column("unit_id", String(64)),
    Column("unit_name", String(200)),
    Column("due_at", UtcDateTime),
    Column("received_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

tracking_sequences = Table(
    "tracking_sequences", metadata,
    Column("site_id", String(32), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)
