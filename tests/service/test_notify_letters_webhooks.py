"""Notify's letter and webhook channels against a real (SQLite) database: a complainant who gave only
a postal address gets a PDF letter in the print queue, delivered (and recorded) once printed; a case
event goes, signed, to the webhook endpoints that want it, once however often it comes."""
import json

import pytest
from sqlalchemy import select

from services.notify import deliveries
from services.notify.letters import LetterQueue
from services.notify.models import deliveries as deliveries_table
from services.notify.webhooks import WebhookSender, parse_endpoints, verify
from shared import events
from shared.store import outbox
from tests.helpers import StubHttp, pdf_text
from tests.service.test_notify_deliveries import FakeContacts

OFFICE = {"name_th": "สำนักงานพัฒนาชุมชนจังหวัดระยอง", "address_lines": ["ถนนสุขุมวิท ตำบลท่าประดู่", "อำเภอเมืองระยอง 21000"],
          "phone": "0 3861 1234", "signatory": "พัฒนาการจังหวัดระยอง", "reference_prefix": "รย 0019"}
ADDRESS = "นายสมศักดิ์ ส่งจดหมาย\n99/1 หมู่ 3 ตำบลเนินพระ\nอำเภอเมืองระยอง จังหวัดระยอง 21000"
SECRET = "a-shared-secret-of-the-office-crm"


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.tell")


def case_event(purpose_key="1"):
    return {"event_id": f"6f1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e2{purpose_key}",
            "case_id": "0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11", "tracking_number": "RAYONGCD-2570-000042",
            "contact_channels": ["address"], "answer": "ซ่อมถนนเรียบร้อยแล้ว", "answered_by_site": "RAYONGCD",
            "site_id": "RAYONGCD"}


def recorded(store):
    with store.reading() as session:
        return [json.loads(b) for b in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "notification_recorded").order_by(outbox.c.id)).scalars()]


def test_a_complainant_with_only_an_address_gets_a_letter_printed_then_recorded(store, recipients, tmp_path):
    letters = LetterQueue(tmp_path / "letters", OFFICE)
    senders = {"email": object(), "letter": letters}  # e-mail configured, but they gave no e-mail address
    contacts = FakeContacts({"name": "นายสมศักดิ์ ส่งจดหมาย", "address": ADDRESS})
    event = case_event()
    assert deliveries.notify(store, senders, recipients, contacts, event, "result") == deliveries.QUEUED
    assert deliveries.notify(store, senders, recipients, contacts, event, "result") is None  # once
    (waiting,) = letters.queued()
    text = pdf_text(letters.path(waiting).read_bytes(), tmp_path)
    assert "RAYONGCD-2570-000042" in text and "เรียน ผู้ร้องเรียน" in text
    assert "ซ่อมถนนเรียบร้อยแล้ว" in text and "99/1 หมู่ 3 ตำบลเนินพระ" in text
    assert "สำนักงานพัฒนาชุมชนจังหวัดระยอง" in text
    assert recorded(store) == []  # queued is not delivered: the first-notice clock waits for the print

    with store.reading() as session:
        listed = deliveries.letters_waiting(session)
    assert [row["id"] for row in listed] == [waiting] and listed[0]["purpose"] == "result"
    assert store.run(deliveries.letter_printed, waiting) is True
    assert store.run(deliveries.letter_printed, waiting) is False
    assert [(r["purpose"], r["channel"], r["outcome"]) for r in recorded(store)] == [("result", "letter", "delivered")]


@pytest.fixture
def receiver():
    """An office's system taking webhooks: answers each with the next status of `answers` (default 200)."""
    answers = []
    stub = StubHttp(lambda request: (answers.pop(0) if answers else 200, {}, {}), path="/hook")
    stub.answers = answers
    yield stub
    stub.close()


def answered(event_id="2a0c3e4f-5b6d-4e7f-8a9b-0c1d2e3f4a5b"):
    return events.CASE_ANSWERED.load(events.CASE_ANSWERED.build(
        site_id="HUB", case_id="0d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11", event_id=event_id,
        tracking_number="HUB-2570-000042", answer="ซ่อมไฟฟ้าแล้ว", officer="somchai", unit_id="ict-pr",
        answered_by_site="HUB", referral=None, to_site=None, documents=[]))


def test_a_case_event_goes_signed_to_each_endpoint_that_wants_it_once_and_a_500_is_tried_again(
        store, recipients, receiver):
    endpoints = parse_endpoints([
        {"name": "crm", "url": receiver.url, "secret": SECRET, "events": ["routing.case_answered"]},
        {"name": "sla-board", "url": receiver.url, "secret": SECRET, "events": ["sla.*"]}])
    senders = {"webhook": WebhookSender(endpoints)}
    receiver.answers.append(500)
    event = answered()
    assert deliveries.hook(store, senders, recipients, "routing", "case_answered", event) == ["failed"]
    assert deliveries.hook(store, senders, recipients, "routing", "case_answered", event) == []  # once
    (row,) = _rows(store)
    assert row.status == "failed" and row.next_attempt_at is not None and "500" in row.last_error
    assert deliveries.retry(store, senders, recipients, None, row.id) == "delivered"
    assert len(receiver.requests) == 2
    headers, body = receiver.requests[-1]["headers"], receiver.requests[-1]["body"]
    assert headers["X-Rongtuk-Event"] == "routing.case_answered" and headers["X-Rongtuk-Delivery"] == row.id
    assert verify(SECRET, headers["X-Rongtuk-Timestamp"], body, headers["X-Rongtuk-Signature"])
    sent = json.loads(body)
    assert sent["event_id"] == event["event_id"] and sent["data"]["answer"] == "…"  # no text: not asked for
    assert recorded(store) == []  # a webhook is no notice to anyone


def test_a_400_is_kept_with_why_and_not_tried_again(store, recipients, receiver):
    endpoints = parse_endpoints([{"name": "crm", "url": receiver.url, "secret": SECRET, "events": ["*"]}])
    senders = {"webhook": WebhookSender(endpoints)}
    receiver.answers.append(400)
    assert deliveries.hook(store, senders, recipients, "routing", "case_answered", answered()) == ["failed"]
    (row,) = _rows(store)
    assert row.next_attempt_at is None and "400" in row.last_error
    with store.reading() as session:
        assert [r["id"] for r in deliveries.failed(session)] == [row.id]


def _rows(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).all()


def test_an_officer_lists_the_letters_prints_them_in_one_pdf_and_marks_them_printed(
        store, recipients, embedded_config, tmp_path):
    from click.testing import CliRunner

    from services.cli import main
    from services.notify.letters import letter_queue
    from tests.helpers import merge, write_config
    config = merge(embedded_config, {"LETTERS": {"office": OFFICE}})
    letters = letter_queue(config)
    senders = {"letter": letters}
    contacts = FakeContacts({"name": "นายสมศักดิ์ ส่งจดหมาย", "address": ADDRESS})
    for key, purpose in (("1", "result"), ("2", "acknowledgment")):
        assert deliveries.notify(store, senders, recipients, contacts, case_event(key), purpose) == deliveries.QUEUED
    first, second = letters.queued()
    path = str(write_config(config, tmp_path / "config.yml"))

    def run(*args):
        return CliRunner().invoke(main, ["--config", path, "notify", *args], catch_exceptions=False)

    listed = run("letters", "--print-queue", str(tmp_path / "all.pdf"))
    assert listed.exit_code == 0, listed.output
    assert first in listed.output and second in listed.output and "99/1" not in listed.output  # never the address
    text = pdf_text((tmp_path / "all.pdf").read_bytes(), tmp_path)
    assert text.count("RAYONGCD-2570-000042") >= 2 and text.count("99/1 หมู่ 3 ตำบลเนินพระ") == 2
    assert recorded(store) == []  # written out to print is not printed

    done = run("printed", first, "not-a-letter")
    assert done.exit_code == 1
    assert f"{first}: printed, delivered" in done.output and "not-a-letter: not a letter waiting" in done.output
    assert letters.queued() == [second] and not letters.path(first).exists()
    assert [(r["purpose"], r["outcome"]) for r in recorded(store)] == [("result", "delivered")]
    again = run("printed", first)
    assert again.exit_code == 1 and len(recorded(store)) == 1  # once
    left = run("letters")
    assert second in left.output and first not in left.output
