"""Storage: one database per service, SQLAlchemy 2, SQLite (embedded) or PostgreSQL (distributed).

`Database` is the one database dependency. A worker gets a `Store`, whose transactions carry the
service's state change, the events it emits (the outbox) and, for event handlers, the id of the
event handled (the inbox), so that all three commit or none does. Outside a running service (the
`rongtuk` command, tests, benchmarks) `open_store` gives the same `Store` on an engine of its own.
"""
import json
import logging
from contextlib import contextmanager
from datetime import timezone

import eventlet
from nameko.extensions import DependencyProvider
from sqlalchemy import (Column, DateTime, Index, Integer, MetaData, String, Table, Text,
                        TypeDecorator, create_engine, event, make_url, text)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.config import database_url, setting, site_id
from shared.events import SITE_ADDRESSED
from shared.times import utcnow

log = logging.getLogger(__name__)


class UtcDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# The messaging tables every service database has (created by each service's first migration).
messaging = MetaData()

outbox = Table(
    "outbox", messaging,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("source", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("case_id", String(36)),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("to_site", String(32)),      # also published to that site (shared.events.SITE_ADDRESSED)
    Column("retry_at", UtcDateTime),    # a row whose site was unreachable waits until then
    Index("ix_outbox_pending", "id",
          sqlite_where=text("published_at IS NULL"), postgresql_where=text("published_at IS NULL")),
)

inbox = Table(
    "inbox", messaging,
    Column("handler", String(128), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", UtcDateTime, nullable=False),
)

dead_letters = Table(
    "dead_letters", messaging,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("handler", String(128), nullable=False),
    Column("queue", String(255), nullable=False),
    Column("source", String(32), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("event_id", String(64)),
    Column("case_id", String(64)),
    Column("body", Text, nullable=False),
    Column("reason", String(16), nullable=False),  # invalid | failed
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # dead | replay_requested | replayed
    Column("first_failed_at", UtcDateTime, nullable=False),
    Column("last_failed_at", UtcDateTime, nullable=False),
    Column("replayed_at", UtcDateTime),
    Index("ix_dead_letters_status", "status"),
)


def make_engine(url):
    url = make_url(url)
    if url.drivername == "postgresql":
        # psycopg2, which eventlet's monkey patch makes green; SQLAlchemy 2.1 would pick psycopg 3
        url = url.set(drivername="postgresql+psycopg2")
    if url.drivername.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def insert_ignoring_duplicates(session, table, values):
    """INSERT that does nothing on a unique conflict; True if a row was written."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    result = session.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())
    return result.rowcount == 1


class Transaction:
    """One unit of work: state changes through `session`, events through `emit`."""

    def __init__(self, session, service_name, site):
        self.session = session
        self.service_name = service_name
        self.site_id = site
        self.emitted = []

    def emit(self, event_type, *, case_id, **payload):
        if event_type.source != self.service_name:
            raise ValueError(f"{self.service_name} cannot emit {event_type.source}.{event_type.name}")
        wire = event_type.build(site_id=self.site_id, case_id=case_id, **payload)
        to_site = wire.get("to_site") if (event_type.source, event_type.name) in SITE_ADDRESSED else None
        if to_site == self.site_id:
            raise ValueError(f"{event_type.name} is addressed to this site itself")
        self.session.execute(outbox.insert().values(
            event_id=wire["event_id"], source=event_type.source, event_type=event_type.name,
            case_id=wire["case_id"], body=json.dumps(wire, ensure_ascii=False), created_at=utcnow(),
            to_site=to_site,
        ))
        self.emitted.append(wire)
        return wire

    def claim(self, event_id, handler):
        """Record that `handler` processed `event_id`; False when it already had."""
        return insert_ignoring_duplicates(self.session, inbox, {
            "handler": handler, "event_id": str(event_id), "processed_at": utcnow()})


class Store:
    """What a worker sees of its service's database."""

    def __init__(self, engine, service_name, site, handler_name, on_emitted):
        self.engine = engine
        self.service_name = service_name
        self.site_id = site
        self.handler_name = handler_name
        self._on_emitted = on_emitted

    @contextmanager
    def transaction(self):
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                tx = Transaction(session, self.service_name, self.site_id)
                yield tx
        if tx.emitted:
            self._on_emitted()

    @contextmanager
    def reading(self):
        with Session(self.engine) as session:
            yield session

    def run(self, use_case, *args, **kwargs):
        """Run a command's use case in one transaction: use_case(tx, *args, **kwargs)."""
        with self.transaction() as tx:
            return use_case(tx, *args, **kwargs)

    def handle(self, event, use_case, *args, **kwargs):
        """Run an event's use case once for this handler, however often the event is delivered."""
        with self.transaction() as tx:
            if not tx.claim(event["event_id"], self.handler_name):
                log.info("%s: event %s already processed, skipped", self.handler_name, event["event_id"])
                return None
            return use_case(tx, event, *args, **kwargs)


def _no_relay():
    """Outside a running service no relay waits to be woken: the running services' relays find the
    events at their next poll (OUTBOX.poll_interval)."""


@contextmanager
def open_store(config, service_name, handler_name="cli", on_emitted=_no_relay):
    """A `Store` on `service_name`'s database for one piece of work outside a running service, on an
    engine of its own that is disposed of on leaving; `store.engine` for what needs the engine."""
    engine = make_engine(database_url(config, service_name))
    try:
        yield Store(engine, service_name, site_id(config), handler_name, on_emitted)
    finally:
        engine.dispose()


class Database(DependencyProvider):
    """The service's database, its outbox relay and its dead-letter office."""

    @classmethod
    def of(cls, container):
        """The Database among a service container's dependencies (None without one): what other
        extensions of the service that use its database look up once, at setup or start."""
        return next((d for d in container.dependencies if isinstance(d, cls)), None)

    def setup(self):
        # imported here: both modules use the tables above
        from shared.deadletters import DeadLetterOffice
        from shared.outbox import OutboxRelay

        config = self.container.config
        self.service_name = self.container.service_name
        self.site_id = site_id(config)
        self.engine = make_engine(database_url(config, self.service_name))
        self.relay = OutboxRelay(
            self.engine, config, self.service_name,
            poll_interval=float(setting(config, "OUTBOX", "poll_interval", 1.0)),
            enabled=bool(setting(config, "OUTBOX", "relay", True)),
        )
        self.dead_letter_office = DeadLetterOffice(
            self.engine, config, self.service_name,
            poll_interval=float(setting(config, "DEAD_LETTERS", "poll_interval", 1.0)),
        )

    def start(self):
        from prometheus_client import REGISTRY

        from shared.pipeline_metrics import PipelineCollector  # it reads the tables above
        self.collector = PipelineCollector(self.service_name, self.engine)
        REGISTRY.register(self.collector)
        self._threads = [
            self.container.spawn_managed_thread(self.relay.run, identifier=f"{self.service_name}.outbox_relay"),
            self.container.spawn_managed_thread(self.dead_letter_office.run_replays,
                                                identifier=f"{self.service_name}.dead_letter_replays"),
        ]

    def _unregister(self):
        from prometheus_client import REGISTRY
        collector, self.collector = getattr(self, "collector", None), None
        if collector is not None:
            REGISTRY.unregister(collector)

    def stop(self):
        self._unregister()
        self.relay.stop()
        self.dead_letter_office.stop()
        for thread in getattr(self, "_threads", []):  # let a publish in flight finish
            with eventlet.Timeout(5, False):
                thread.wait()
        self.engine.dispose()

    def kill(self):
        self._unregister()
        self.relay.stop()
        self.dead_letter_office.stop()
        self.engine.dispose()

    def store(self, handler_name):
        """A `Store` on this service's engine, its events woken into the relay."""
        return Store(self.engine, self.service_name, self.site_id, handler_name, self.relay.wake)

    def get_dependency(self, worker_ctx):
        return self.store(f"{self.service_name}.{worker_ctx.entrypoint.method_name}")
