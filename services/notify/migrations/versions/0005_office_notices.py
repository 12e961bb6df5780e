"""notify: notices to the office (a unit's contacts, a role's holder) beside those to complainants

Revision ID: notify_0005
Revises: notify_0004

`audience` is who a delivery is for: NULL (every row before this revision) or "complainant", "unit",
"role", "webhook"; `role` the directory role a notice of audience "role" went to.
"""
import sqlalchemy as sa
from alembic import op

revision = "notify_0005"
down_revision = "notify_0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("audience", sa.String(16)))
        batch.add_column(sa.Column("role", sa.String(64)))


def downgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("role")
        batch.drop_column("audience")
