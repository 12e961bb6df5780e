"""intake: the documents that came with the result, listed on the case's page (routing keeps the files)

Revision ID: intake_0009
Revises: intake_0008
"""
import sqlalchemy as sa
from alembic import op

revision = "intake_0009"
down_revision = "intake_0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("result_documents", sa.Text))


def downgrade():
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("result_documents")
