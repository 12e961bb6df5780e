"""notify: a delivery about no one case (a unit's daily digest of its open cases)

Revision ID: notify_0006
Revises: notify_0005

`case_id` may be NULL: a digest is about every open case of a unit, and is on no case's timeline.
"""
import sqlalchemy as sa
from alembic import op

revision = "notify_0006"
down_revision = "notify_0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("case_id", existing_type=sa.String(36), nullable=True)


def downgrade():
    op.execute("DELETE FROM deliveries WHERE case_id IS NULL")
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("case_id", existing_type=sa.String(36), nullable=False)
