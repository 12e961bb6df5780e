"""E-mail through a real SMTP server (aiosmtpd, in this process): every notice to a complainant arrives
once, in Thai, with its tracking number in the subject, however often its event comes; a 4xx from the
server is tried again with backoff, a 5xx (no such mailbox) is kept with why and not tried again."""
import email
import email.policy
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from services.notify import deliveries
from services.notify.mailer import Mailer
from services.notify.models import deliveries as deliveries_table
from shared.times import utcnow
from tests.helpers import free_port
from tests.service.test_notify_deliveries import FakeContacts

NUMBER = "HUB-2570-000321"
TO = "somsri.r@example.co.th"
EVENT = {"case_id": "5d1f6f50-4a5c-4c4f-9d8e-2f9e0e3b6a11", "tracking_number": NUMBER, "site_id": "HUB",
         "answer": "ซ่อมไฟฟ้าแสงสว่างเรียบร้อยแล้ว", "answered_by_site": "HUB", "unit_name": "กองช่าง",
         "question": "เสาไฟต้นไหน", "survey_url": f"https://office.example/track?case={NUMBER}"}
SAYS = {"acknowledgment": "ได้รับเรื่อง", "routed": "กองช่าง", "progress": "ดำเนินการ", "info_request": "เสาไฟต้นไหน",
        "kb_answer": "ซ่อมไฟฟ้าแสงสว่างเรียบร้อยแล้ว", "result": "ซ่อมไฟฟ้าแสงสว่างเรียบร้อยแล้ว",
        "reopened": "อีกครั้ง", "survey": "https://office.example/track?case=" + NUMBER}


class Handler:
    """Takes every message, but answers RCPT for busy@ with 451 and for nobody@ with 550."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("busy@"):
            return "451 4.3.0 mailbox busy, try again later"
        if address.startswith("nobody@"):
            return f"550 5.1.1 <{address}>: no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                                          policy=email.policy.default)))
        return "250 Message accepted"


@pytest.fixture
def smtp():
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def store(store_of):
    return store_of("notify", "notify.tell")


def mailer(smtp):
    return Mailer("ศูนย์รับเรื่องร้องเรียน <complaints@office.example>", host="127.0.0.1", port=smtp.port)


@pytest.mark.parametrize("purpose", sorted(SAYS))
def test_each_notice_arrives_once_in_thai_with_its_tracking_number(smtp, store, recipients, purpose):
    event = {**EVENT, "event_id": f"9a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e{len(purpose):02d}"}
    senders = {"email": mailer(smtp)}
    for _ in range(2):  # the same event again: nothing more
        deliveries.notify(store, senders, recipients, FakeContacts({"email": TO}), event, purpose)
    (to, mail), = smtp.messages
    assert to == [TO] and NUMBER in str(mail["Subject"])
    assert SAYS[purpose] in mail.get_content() and mail.get_content_charset() == "utf-8"
    assert mail["Auto-Submitted"] == "auto-generated"


def row(store):
    with store.reading() as session:
        return session.execute(select(deliveries_table)).one()


def test_a_4xx_is_tried_again_with_backoff_and_a_5xx_is_kept_and_not(smtp, store, recipients):
    senders = {"email": mailer(smtp)}
    event = {**EVENT, "event_id": "9a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e99"}
    before = utcnow()
    deliveries.notify(store, senders, recipients, FakeContacts({"email": "busy@example.org"}), event, "result")
    busy = row(store)
    assert busy.status == "failed" and busy.next_attempt_at >= before + timedelta(seconds=25)
    assert "451" in busy.last_error and "busy@" not in busy.last_error

    store.run(lambda tx: tx.session.execute(deliveries_table.delete()))
    deliveries.notify(store, senders, recipients, FakeContacts({"email": "nobody@example.org"}),
                      {**event, "event_id": "9a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e98"}, "result")
    refused = row(store)
    assert refused.status == "failed" and refused.next_attempt_at is None  # not tried again
    assert "SendRefused" in refused.last_error and "550" in refused.last_error
    assert "nobody@" not in refused.last_error
    assert smtp.messages == []
