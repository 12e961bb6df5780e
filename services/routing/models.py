"""Routing's tables: each case's assignment and how it was decided, and the log of officers' actions."""
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text

from shared.store import UtcDateTime

metadata = MetaData()

assignments = Table(
    "assignments", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("unit_id", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("assigned_at", UtcDateTime, nullable=False),
    Column("tracking_number", String(40)),
    Column("method", String(16)),          # rule | model | triage | officer | knowledge
    Column("score", Float),
    Column("model_version", String(64)),
    Column("kind", Integer),
    Column("kind_reason", Text),
    Column("status", String(16)),          # assigned | triage | confirmed | rerouted | answered | waiting
    Column("text", Text),                  # subject and description, to retrain from confirmed routings
    Column("updated_at", UtcDateTime),
)

actions = Table(
    "routing_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("action", String(32), nullable=False),  # confirm | reroute | request_info | info_received
    Column("officer", String(128), nullable=False),
    Column("detail", Text),
    Column("at", UtcDateTime, nullable=False),
)
