"""Notify's delivery log against a real (SQLite) database: every attempt recorded, failures retried,
and the complainant's address asked of intake once per delivery, however often its event comes."""
import json
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
from nameko.standalone.events import event_dispatcher
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.intake.service import IntakeService
from services.notify import deliveries
from services.notify.models import deliveries as deliveries_table
from services.notify.service import NotifyService
from shared.store import outbox
from shared.times import utcnow
from tests.helpers import api_for, connected, count_rows, thai_case, wait_for


class FakeMailer:
    def __init__(self, fail=False):
        self.fail = fail
        self.sent = []

    def send(self, to, subject, body, reference=None):
        if self.fail:
            raise ConnectionRefusedError("SMTP server down")
        self.sent.append((to, subject, body))


class FakeContacts:
    """intake's contact_for_notice as notify calls it: counts the calls, fails while told to."""

    def __init__(self, contact, fail=False):
        self.contact = contact
        self.fail = fail
        self.calls = []
        self.asked = []  # (delivery id, purpose): intake keys its record of the look by the delivery

    def __call__(self, case_id, delivery_id, purpose):
        self.calls.append(case_id)
        self.asked.append((delivery_id, purpose))
        if self.fail:
            raise TimeoutError("intake did not answer")
        return self.contact


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.acknowledge_case")


def case_event(case_id="0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11"):
    return {"event_id": "6f1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e21", "case_id": case_id,
            "tracking_number": "HUB-2569-000042"}


def addressed(store, recipients, contact, event=None, purpose="acknowledgment"):
    """A notice logged and its address given, as the handler does; the id to send, or None."""
    delivery_id = store.run(deliveries.log_notice, event or case_event(), purpose, store.handler_name)
    return delivery_id if store.run(deliveries.address, delivery_id, contact, recipients) else None


def logged(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).one()


def recorded_outcomes(store):
    with store.reading() as session:
        return [json.loads(body)["outcome"] for body in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "notification_recorded").order_by(outbox.c.id)
        ).scalars()]


def test_a_complainant_without_an_address_is_logged_as_no_contact(store, recipients):
    assert addressed(store, recipients, {}) is None
    assert logged(store).status == "no_contact"
    assert recorded_outcomes(store) == ["no_contact"]


def test_a_case_that_left_no_address_is_logged_as_no_contact_without_asking_for_one(store, recipients):
    assert store.run(deliveries.log_notice, case_event(), "acknowledgment", store.handler_name,
                     ask_contact=False) is None
    assert (logged(store).status, logged(store).notice) == ("no_contact", None)
    assert recorded_outcomes(store) == ["no_contact"]


def test_a_delivery_is_sent_and_logged(store, recipients):
    mailer = FakeMailer()
    delivery_id = addressed(store, recipients, {"email": "somchai@example.org", "name": "สมชาย"})
    assert deliveries.attempt(store, {"email": mailer}, recipients, delivery_id) == "delivered"
    to, subject, body = mailer.sent[0]
    assert to == "somchai@example.org" and "HUB-2569-000042" in subject
    assert body.startswith("เรียน ผู้ร้องเรียน") and "สมชาย" not in body
    row = logged(store)
    assert (row.status, row.attempts, row.next_attempt_at) == ("delivered", 1, None)
    assert recorded_outcomes(store) == ["delivered"]
    assert deliveries.attempt(store, {"email": mailer}, recipients, delivery_id) is None  # never sent twice
    assert len(mailer.sent) == 1


def test_a_failed_delivery_is_retried_with_backoff_until_it_goes_through(store, recipients):
    delivery_id = addressed(store, recipients, {"email": "somchai@example.org"})
    assert deliveries.attempt(store, {"email": FakeMailer(fail=True)}, recipients, delivery_id) == "failed"
    row = logged(store)
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=25)
    with store.reading() as session:
        assert deliveries.due_for_retry(session) == []
        assert deliveries.due_for_retry(session, now=row.next_attempt_at) == [delivery_id]
    assert deliveries.attempt(store, {"email": FakeMailer()}, recipients, delivery_id) == "delivered"
    assert recorded_outcomes(store) == ["failed", "delivered"]


def test_retries_stop_after_the_last_attempt(store, recipients):
    delivery_id = addressed(store, recipients, {"email": "somchai@example.org"})
    for _ in range(deliveries.MAX_ATTEMPTS):
        deliveries.attempt(store, {"email": FakeMailer(fail=True)}, recipients, delivery_id)
    row = logged(store)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", deliveries.MAX_ATTEMPTS, None)
    with store.reading() as session:
        assert deliveries.due_for_retry(session, now=utcnow() + timedelta(days=365)) == []


def test_a_delivery_a_crash_left_pending_is_picked_up(store, recipients):
    delivery_id = addressed(store, recipients, {"email": "somchai@example.org"})
    with store.reading() as session:
        assert deliveries.due_for_retry(session) == []
        assert deliveries.due_for_retry(session, now=utcnow() + deliveries.STALE_PENDING) == [delivery_id]


# --- the address is asked once per delivery ---------------------------------------------------
# Asking intake for it is recorded there (the access log of a confidential case's identity): a
# redelivered event or a retried handler must not ask again, yet a notice whose address did not
# come must still go out.

def test_a_repeat_of_the_event_asks_for_nothing_once_the_notice_has_its_address(store, recipients):
    event, contacts, mailer = case_event(), FakeContacts({"email": "somchai@example.org"}), FakeMailer()

    assert deliveries.notify(store, {"email": mailer}, recipients, contacts, event, "acknowledgment") == "delivered"
    assert deliveries.notify(store, {"email": mailer}, recipients, contacts, event, "acknowledgment") is None

    assert contacts.calls == [event["case_id"]] and len(mailer.sent) == 1
    assert recorded_outcomes(store) == ["delivered"]


def test_a_notice_whose_address_did_not_come_is_sent_on_the_retry_of_its_event(store, recipients):
    event, contacts, mailer = case_event(), FakeContacts({"email": "somchai@example.org"}, fail=True), FakeMailer()

    with pytest.raises(TimeoutError):
        deliveries.notify(store, {"email": mailer}, recipients, contacts, event, "acknowledgment")
    assert logged(store).status == deliveries.AWAITING_CONTACT  # claimed and logged, not lost
    contacts.fail = False
    assert deliveries.notify(store, {"email": mailer}, recipients, contacts, event, "acknowledgment") == "delivered"

    assert len(contacts.calls) == 2 and len(mailer.sent) == 1
    assert "HUB-2569-000042" in mailer.sent[0][1]


def test_a_notice_whose_address_never_came_is_sent_by_the_retry_timer(store, recipients):
    event, contacts, mailer = case_event(), FakeContacts({"email": "somchai@example.org"}, fail=True), FakeMailer()
    with pytest.raises(TimeoutError):
        deliveries.notify(store, {"email": mailer}, recipients, contacts, event, "acknowledgment")  # then given up
    delivery_id = logged(store).id
    later = utcnow() + deliveries.STALE_PENDING
    with store.reading() as session:
        assert deliveries.due_for_retry(session) == []  # left to the handler's own retries for a while
        assert deliveries.due_for_retry(session, now=later) == [delivery_id]

    senders = {"email": mailer}
    assert deliveries.retry_due(store, senders, recipients, contacts, now=later) == [None]  # intake still away
    assert logged(store).status == deliveries.AWAITING_CONTACT
    assert deliveries.retry_due(store, senders, recipients, contacts, now=later) == []  # its next turn is later
    contacts.fail = False
    assert deliveries.retry_due(store, senders, recipients, contacts, now=later + deliveries.STALE_PENDING) == [
        "delivered"]
    assert deliveries.notify(store, senders, recipients, contacts, event, "acknowledgment") is None  # replayed

    assert len(contacts.calls) == 3  # the handler's, then one per round of the timer that found it due
    assert contacts.asked == [(delivery_id, "acknowledgment")] * 3  # one delivery: one record at intake
    assert len(mailer.sent) == 1 and recorded_outcomes(store) == ["delivered"]


def calls(entrypoint, metric="rongtuk_entrypoint_calls_total"):
    return REGISTRY.get_sample_value(metric, {"service": "notify", "entrypoint": entrypoint}) or 0


def access_log_rows(config, case_id):
    return count_rows(config, "intake", "identity_access_log", f"WHERE case_id = '{case_id}'")


@pytest.fixture
def intake_and_notify(container_factory, embedded_config):
    def start():
        for service in (IntakeService, NotifyService):
            container_factory(service, embedded_config).start()
        return api_for(embedded_config)
    return start


def confidential_case(api):
    created = api.post_case(thai_case(confidential=True)).json()
    assert created["status"] == "received", created
    return created


def test_a_confidential_case_delivered_twice_reads_its_complainant_once(intake_and_notify, embedded_config):
    api = intake_and_notify()
    before = calls("acknowledge_case")
    created = confidential_case(api)
    case_id = created["case_id"]
    wait_for(lambda: count_rows(embedded_config, "notify", "deliveries", "WHERE status = 'delivered'") == 1,
             message="the acknowledgment delivered")
    with connected(embedded_config, "intake") as conn:
        body = json.loads(conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.event_type == "case_received")).scalar_one())

    event_dispatcher(embedded_config)("intake", "case_received", body)  # the broker delivers it again

    wait_for(lambda: calls("acknowledge_case") - before == 2, message="the repeat handled")
    assert access_log_rows(embedded_config, case_id) == 1
    assert count_rows(embedded_config, "notify", "deliveries") == 1
    assert len(list((Path(embedded_config["DATA_DIR"]) / "mail").glob("*.eml"))) == 1


def test_a_handler_retried_after_the_address_came_does_not_read_it_again(intake_and_notify, embedded_config):
    real = deliveries.record_attempt
    failures = []

    def fails_once(tx, delivery_id, error, final=False, retry_after=None):
        if not failures:
            failures.append(delivery_id)
            raise RuntimeError("database connection lost")
        return real(tx, delivery_id, error, final, retry_after)

    with patch.object(deliveries, "record_attempt", fails_once):
        api = intake_and_notify()
        before = calls("acknowledge_case"), calls("acknowledge_case", "rongtuk_entrypoint_errors_total")
        created = confidential_case(api)
        wait_for(lambda: calls("acknowledge_case") - before[0] == 2, message="the handler retried")

    assert calls("acknowledge_case", "rongtuk_entrypoint_errors_total") - before[1] == 1
    assert failures and access_log_rows(embedded_config, created["case_id"]) == 1
