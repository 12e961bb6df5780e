"""Schema migrations with Alembic: each service has its own history, in the folder its caller names
(services/<name>/migrations, as `services.migrations_folders` gives them)."""
import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from shared.config import database_url
from shared.store import UtcDateTime, make_engine


def alembic_config(service_name, folder, url):
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    cfg.attributes["url"] = url
    cfg.attributes["service_name"] = service_name
    return cfg


def upgrade(config, folders, revision="head"):
    """Bring each service's database to `revision`; `folders` maps a service's name to its migrations
    folder. Returns the URLs it touched, as (name, url)."""
    urls = []
    for name, folder in folders.items():
        url = database_url(config, name)
        command.upgrade(alembic_config(name, folder, url), revision)
        urls.append((name, url))
    return urls


def run_env():
    """The body of every service's migrations/env.py (online mode only: we always have the URL)."""
    engine = make_engine(context.config.attributes["url"])
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # a batch migration rebuilds a table, and SQLite refuses to drop one that rows refer to
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
            connection.commit()  # end the one SQLAlchemy began for it, so the migrations' own is theirs
        context.configure(connection=connection, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
            if broken:  # the rebuilt tables must still hold together: refuse, and roll back
                raise RuntimeError(f"migration leaves rows that refer to nothing: {broken[:5]}")
    engine.dispose()


def create_messaging_tables(op):
    """Version 1 of the outbox, inbox and dead-letter tables, as each service's first migration makes them."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(36)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("published_at", UtcDateTime),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
    )
    op.create_index("ix_outbox_pending", "outbox", ["id"],
                    sqlite_where=sa.text("published_at IS NULL"),
                    postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "inbox",
        sa.Column("handler", sa.String(128), primary_key=True),
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("processed_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
        sa.Column("handler", sa.String(128), nullable=False),
        sa.Column("queue", sa.String(255), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(64)),
        sa.Column("case_id", sa.String(64)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("first_failed_at", UtcDateTime, nullable=False),
        sa.Column("last_failed_at", UtcDateTime, nullable=False),
        sa.Column("replayed_at", UtcDateTime),
    )
    op.create_index("ix_dead_letters_status", "dead_letters", ["status"])


def address_outbox(op):
    """Version 2 of the outbox: `to_site` for events addressed to another site too, and `retry_at`
    for such a row whose site cannot be reached yet (it waits without holding up the others)."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("to_site", sa.String(32)))
        batch.add_column(sa.Column("retry_at", UtcDateTime))


def unaddress_outbox(op):
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("retry_at")
        batch.drop_column("to_site")
