"""intake: a case may arrive with no kind; routing reads it from the words and intake records it

Revision ID: intake_0006
Revises: intake_0005
"""
import sqlalchemy as sa
from alembic import op

revision = "intake_0006"
down_revision = "intake_0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:  # SQLite rebuilds the table; PostgreSQL alters it
        batch.alter_column("kind", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("UPDATE cases SET kind = 2 WHERE kind IS NULL")
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("kind", existing_type=sa.Integer(), nullable=False)
