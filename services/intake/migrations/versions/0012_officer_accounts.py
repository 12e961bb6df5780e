"""intake: officers' accounts (username, argon2id password hash, role, units, site)

Revision ID: intake_0012
Revises: intake_0011

Accounts live in intake's database, beside the API keys: intake is where officers' requests come in
(the JSON API, later the portal) and already answers the other services who a key is.
"""
import sqlalchemy as sa
from alembic import op

from shared.store import UtcDateTime

revision = "intake_0012"
down_revision = "intake_0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("units", sa.Text, nullable=False),
        sa.Column("site_id", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("password_changed_at", UtcDateTime, nullable=False),
        sa.Column("disabled_at", UtcDateTime),
    )


def downgrade():
    op.drop_table("accounts")
