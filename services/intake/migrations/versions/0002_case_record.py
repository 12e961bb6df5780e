"""intake: the full case record, sealed complainants, attachments, identity access log, API keys, inbound messages

Revision ID: intake_0002
Revises: intake_0001
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0002"
down_revision = "intake_0001"
branch_labels = None
depends_on = None

CASE_COLUMNS = [
    ("category", sa.String(64)), ("channel_ref", sa.Text), ("recorded_by", sa.String(128)),
    ("province", sa.String(100)), ("district", sa.String(100)), ("subdistrict", sa.String(100)),
    ("latitude", sa.Float), ("longitude", sa.Float), ("address", sa.Text), ("closed_at", UtcDateTime),
    ("linked_case_id", sa.String(36)), ("link_reason", sa.String(16)),
]


def upgrade():
    with op.batch_alter_table("complainants") as batch:
        batch.add_column(sa.Column("sealed", sa.Text))
        for name in ("fp_national_id", "fp_phone", "fp_email", "fp_line"):
            batch.add_column(sa.Column(name, sa.String(64)))
            batch.create_index(f"ix_complainants_{name}", [name])
    with op.batch_alter_table("cases") as batch:
        for name, type_ in CASE_COLUMNS:
            batch.add_column(sa.Column(name, type_))
        batch.add_column(sa.Column("confidential", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("field_check", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.create_index("ix_cases_complainant_received", ["complainant_id", "received_at"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "identity_access_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("requested_by", sa.String(128), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime),
    )
    op.create_table(
        "inbound_messages",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("external_id", sa.String(255), primary_key=True),
        sa.Column("case_id", sa.String(36)),
        sa.Column("received_at", UtcDateTime, nullable=False),
    )


def downgrade():
    for table in ("inbound_messages", "api_keys", "identity_access_log", "attachments"):
        op.drop_table(table)
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_complainant_received")
        for name in [c for c, _ in CASE_COLUMNS] + ["confidential", "field_check"]:
            batch.drop_column(name)
    with op.batch_alter_table("complainants") as batch:
        for name in ("fp_national_id", "fp_phone", "fp_email", "fp_line"):
            batch.drop_index(f"ix_complainants_{name}")
            batch.drop_column(name)
        batch.drop_column("sealed")
