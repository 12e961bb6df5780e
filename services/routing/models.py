"""Routing's tables: the assignment of each case."""
from sqlalchemy import Column, MetaData, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

assignments = Table(
    "assignments", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("assigned_at", UtcDateTime, nullable=False),
)
