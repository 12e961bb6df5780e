"""Notify's delivery log against a real (SQLite) database: every attempt recorded, failures retried."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.notify import deliveries
from services.notify.models import deliveries as deliveries_table
from shared.config import database_url
from shared.store import Store, make_engine, outbox, utcnow


class FakeMailer:
    def __init__(self, fail=False):
        self.fail = fail
        self.sent = []

    def send(self, to, subject, body):
        if self.fail:
            raise ConnectionRefusedError("SMTP server down")
        self.sent.append((to, subject, body))


@pytest.fixture
def store(embedded_config):
    engine = make_engine(database_url(embedded_config, "notify"))
    yield Store(engine, "notify", "HUB", "notify.acknowledge_case", on_emitted=lambda: None)
    engine.dispose()


def case_event(case_id="0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11"):
    return {"event_id": "6f1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e21", "case_id": case_id,
            "tracking_number": "HUB-2569-000042"}


def logged(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).one()


def recorded_outcomes(store):
    with store.reading() as session:
        return [json.loads(body)["outcome"] for body in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "notification_recorded").order_by(outbox.c.id)
        ).scalars()]


def test_a_complainant_without_an_address_is_logged_as_no_contact(store):
    assert store.run(deliveries.plan_acknowledgment, case_event(), {}) is None
    assert logged(store).status == "no_contact"
    assert recorded_outcomes(store) == ["no_contact"]


def test_a_delivery_is_sent_and_logged(store):
    mailer = FakeMailer()
    delivery_id = store.run(deliveries.plan_acknowledgment, case_event(),
                            {"email": "somchai@example.org", "name": "สมชาย"})
    assert deliveries.attempt(store, {"email": mailer}, delivery_id) == "delivered"
    to, subject, body = mailer.sent[0]
    assert to == "somchai@example.org" and "HUB-2569-000042" in subject and "คุณสมชาย" in body
    row = logged(store)
    assert (row.status, row.attempts, row.next_attempt_at) == ("delivered", 1, None)
    assert recorded_outcomes(store) == ["delivered"]
    assert deliveries.attempt(store, {"email": mailer}, delivery_id) is None  # never sent twice
    assert len(mailer.sent) == 1


def test_a_failed_delivery_is_retried_with_backoff_until_it_goes_through(store):
    delivery_id = store.run(deliveries.plan_acknowledgment, case_event(), {"email": "somchai@example.org"})
    assert deliveries.attempt(store, {"email": FakeMailer(fail=True)}, delivery_id) == "failed"
    row = logged(store)
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=25)
    with store.reading() as session:
        assert deliveries.due_for_retry(session) == []
        assert deliveries.due_for_retry(session, now=row.next_attempt_at) == [delivery_id]
    assert deliveries.attempt(store, {"email": FakeMailer()}, delivery_id) == "delivered"
    assert recorded_outcomes(store) == ["failed", "delivered"]


def test_retries_stop_after_the_last_attempt(store):
    delivery_id = store.run(deliveries.plan_acknowledgment, case_event(), {"email": "somchai@example.org"})
    for _ in range(deliveries.MAX_ATTEMPTS):
        deliveries.attempt(store, {"email": FakeMailer(fail=True)}, delivery_id)
    row = logged(store)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", deliveries.MAX_ATTEMPTS, None)
    with store.reading() as session:
        assert deliveries.due_for_retry(session, now=utcnow() + timedelta(days=365)) == []


def test_a_delivery_a_crash_left_pending_is_picked_up(store):
    delivery_id = store.run(deliveries.plan_acknowledgment, case_event(), {"email": "somchai@example.org"})
    with store.reading() as session:
        assert deliveries.due_for_retry(session) == []
        assert deliveries.due_for_retry(session, now=utcnow() + deliveries.STALE_PENDING) == [delivery_id]
