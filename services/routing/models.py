"""Routing's tables: each case's assignment and how it was decided, the log of officers' actions,
and the audit log (shared/audit.py)."""
from sqlalchemy import Column, Float, Index, Integer, MetaData, String, Table, Text

from shared.audit import audit_log
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
    Column("forwarded_to", String(32)),             # the site the case was forwarded to
    Column("referral_site", String(32)),            # the site that forwarded it here, and its case
    Column("referral_case_id", String(36)),
    Column("referral_tracking_number", String(40)),
    Column("answer", Text),                         # the answer the complainant is told
    Column("answered_by_site", String(32)),
    Column("answered_at", UtcDateTime),
)

case_units = Table(
    "case_units", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("unit_id", String(64), primary_key=True),
    Column("role", String(16), nullable=False),     # lead | support
    Column("status", String(16), nullable=False),   # assigned | in_progress | answered | withdrawn
    Column("note", Text),
    Column("assigned_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_case_units_unit_status", "unit_id", "status"),
)

actions = Table(
    "routing_actions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False),
    Column("action", String(32), nullable=False),  # confirm | reroute | request_info | info_received
    Column("officer", String(128), nullable=False),
    Column("detail", Text),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_routing_actions_case", "case_id"),
)

# The knowledge base. An entry is never deleted, only marked (deleted_at), and every write adds one
# to its version: the sum of versions and the number of rows change with every edit, whoever's
# clock wrote it, which is how each routing worker notices that its index is stale.
knowledge_entries = Table(
    "knowledge_entries", metadata,
    Column("id", String(64), primary_key=True),
    Column("questions", Text, nullable=False),   # a JSON list of strings
    Column("answer", Text, nullable=False),
    Column("unit_id", String(64), nullable=False, server_default=""),  # "" : the triage unit
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(128), nullable=False),
    Column("deleted_at", UtcDateTime),
)

# Who changed which entry, when, and to what: the entry's row keeps only the last change.
knowledge_changes = Table(
    "knowledge_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # added | replaced | removed
    Column("officer", String(128), nullable=False),
    Column("detail", Text),                         # the entry as written (JSON); empty on removal
    Column("at", UtcDateTime, nullable=False),
    Index("ix_knowledge_changes_entry", "entry_id"),
)

# The documents a unit's answer came with (the result the complainant receives). The file is kept
# under DATA_DIR/result-documents by its sha256; a case answered again after a dispute adds its own.
result_documents = Table(
    "result_documents", metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("officer", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_result_documents_case", "case_id"),
)

audit_log.to_metadata(metadata)  # shared/audit.py: who did or was refused what, append-only
