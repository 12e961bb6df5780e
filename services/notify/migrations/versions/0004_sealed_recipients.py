"""notify: delivery addresses sealed, automatic notices counted per address per day

Revision ID: notify_0004
Revises: notify_0003

The rows logged before this revision keep their address (and a body that may greet the complainant
by name) in the clear until notify starts: sealing needs the site's key, which migrations do not
have, so notify seals them when it starts (services/notify/dependencies.py).
"""
import sqlalchemy as sa
from alembic import op

revision = "notify_0004"
down_revision = "notify_0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("sealed", sa.Text))
        batch.add_column(sa.Column("reason", sa.Text))
    op.create_table(
        "address_counts",
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", "day"),
    )


def downgrade():
    op.drop_table("address_counts")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("reason")
        batch.drop_column("sealed")
