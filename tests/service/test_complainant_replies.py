"""A complainant's e-mail reply to an officer's question: kept with their case (not made a new case),
taken by routing as the information received (the clocks run again), and on the case's timeline.
Someone else's mail naming the case, or a reply to a case not waiting, changes no clock."""
import json

import pytest
from sqlalchemy import select

from services.intake import cases, mailbox_poll
from services.intake import status as case_status
from services.intake.models import cases as cases_table
from services.reporting import timeline
from services.routing import assignments
from shared import events
from shared.store import outbox
from tests.service.test_intake_cases import ROAD, load, rows
from tests.service.test_routing_cases import emitted, received
from shared.config import database_url
from shared.store import Store, make_engine

REPLY = ("Subject: Re: ขอข้อมูลเพิ่มเติม เรื่องเลขที่ {number}\nFrom: Somchai <{sender}>\n"
         "Message-ID: <{mid}@mail.example>\nContent-Type: text/plain; charset=utf-8\n\n"
         "บ้านเลขที่ 45/12 อยู่ท้ายซอยครับ\n\nOn Tue, 1 Dec 2026, Rongtuk wrote:\n> ขอข้อมูลเพิ่มเติม\n")


def mail(number, sender="somchai.j@example.co.th", mid="r1"):
    return REPLY.format(number=number, sender=sender, mid=mid).encode()


@pytest.fixture
def store(store_of):
    return store_of("intake", "test")


@pytest.fixture
def routing_store(embedded_config):
    engine = make_engine(database_url(embedded_config, "routing"))
    yield lambda site="HUB": Store(engine, "routing", site, "routing.test", lambda: None)
    engine.dispose()


class Settings:
    host = "imap.example"


def poll(store, ctx, *messages):
    return mailbox_poll.poll_mailbox(store, ctx, Settings(), fetch=lambda _s: list(enumerate(messages)),
                                     mark_seen=lambda _s, _uids: None)


@pytest.fixture
def waiting(store, ctx):
    created = store.run(cases.receive_case, load(ROAD), ctx)
    store.run(lambda tx: tx.session.execute(cases_table.update().where(cases_table.c.id == created["case_id"])
                                            .values(status=case_status.WAITING_FOR_COMPLAINANT)))
    return created


def replies(store):
    with store.reading() as session:
        return [json.loads(b) for b in session.execute(select(outbox.c.body).where(
            outbox.c.event_type == "case_reply_received").order_by(outbox.c.id)).scalars()]


def test_a_reply_from_the_complainant_is_kept_with_the_case_once_and_answers_the_question(store, ctx, waiting):
    number = waiting["tracking_number"]
    assert poll(store, ctx, mail(number), mail(number)) == []  # no new case, and the same mail once
    assert len(rows(store, cases_table)) == 1
    (event,) = replies(store)
    assert (event["tracking_number"], event["channel"], event["answers_request"]) == (number, "email", True)
    with store.reading() as session:
        (kept,) = cases.replies_of(session, waiting["case_id"])
    assert kept["text"] == "บ้านเลขที่ 45/12 อยู่ท้ายซอยครับ" and kept["answers_request"] is True
    assert "สมชาย" not in json.dumps(event, ensure_ascii=False) and "somchai" not in json.dumps(event)


def test_mail_from_someone_else_naming_the_case_is_a_complaint_of_its_own(store, ctx, waiting):
    number = waiting["tracking_number"]
    created = poll(store, ctx, mail(number, sender="stranger@example.org", mid="s1"))
    assert len(created) == 1 and created != [number]
    assert replies(store) == []


def test_routing_takes_the_answer_as_the_information_received_and_the_timeline_says_so(routing_store):
    case_id = received(routing_store)
    routing_store().run(assignments.request_info, case_id, "ขอทราบที่อยู่โดยละเอียด", "somchai")

    def reply(answers, event_id):
        return events.CASE_REPLY_RECEIVED.load(events.CASE_REPLY_RECEIVED.build(
            site_id="HUB", case_id=case_id, event_id=event_id, tracking_number="HUB-2569-000001", channel="email",
            reply_id="3f1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e21", answers_request=answers))

    routing_store().handle(reply(True, "5a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e21"), assignments.reply_received)
    routing_store().handle(reply(True, "5a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e22"), assignments.reply_received)
    (resumed,) = emitted(routing_store, "case_info_received")  # the second finds the case no longer waiting
    assert resumed["officer"] == "ผู้ร้อง (ตอบกลับทางอีเมล)"
    assert timeline.summary("case_reply_received", reply(True, "5a1c1b7e-0c3e-4d7e-8a4e-1d3c5b7a9e23")) == \
        "ผู้ร้องตอบกลับทางอีเมล (ตอบคำถามที่ขอข้อมูลเพิ่มเติม)"


LINE_USER = "U4af4980629b3c7d0e4d2f8a1b5c6d7e8"


def line_case(store, ctx, status=None, user=LINE_USER):
    created = store.run(cases.receive_case, load({**ROAD, "channel": "line",
                                                  "complainant": {"line_user_id": user}}), ctx)
    if status:
        store.run(lambda tx: tx.session.execute(cases_table.update().where(cases_table.c.id == created["case_id"])
                                                .values(status=status)))
    return created


def test_a_line_message_from_a_complainant_whose_case_waits_is_their_answer_once(store, ctx):
    line_case(store, ctx)  # an older case of theirs, not waiting
    asked = line_case(store, ctx, case_status.WAITING_FOR_COMPLAINANT)
    text = "บ้านเลขที่ 45/12 ท้ายซอยครับ"
    reply = store.run(cases.receive_line_reply, "ev-1", LINE_USER, text, [], ctx.sealer)
    assert (reply["tracking_number"], reply["answers_request"]) == (asked["tracking_number"], True)
    assert store.run(cases.receive_line_reply, "ev-1", LINE_USER, text, [], ctx.sealer) == {"repeat": True}
    (event,) = replies(store)
    assert (event["channel"], event["answers_request"]) == ("line", True) and LINE_USER not in json.dumps(event)
    with store.reading() as session:
        assert [r["text"] for r in cases.replies_of(session, asked["case_id"])] == [text]


def test_a_line_message_naming_a_case_of_theirs_is_kept_with_it_and_anyone_elses_is_a_complaint(store, ctx):
    theirs = line_case(store, ctx)
    number = theirs["tracking_number"]
    kept = store.run(cases.receive_line_reply, "ev-2", LINE_USER, f"เรื่อง {number} ถึงไหนแล้วครับ", [number],
                     ctx.sealer)
    assert kept["case_id"] == theirs["case_id"] and kept["answers_request"] is False  # kept; no clock moves
    stranger = "U0000000000000000000000000000beef"
    assert store.run(cases.receive_line_reply, "ev-3", stranger, f"เรื่อง {number}", [number], ctx.sealer) is None
    assert store.run(cases.receive_line_reply, "ev-4", stranger, "ถนนพังอีกแล้ว", [], ctx.sealer) is None
    assert store.run(cases.receive_line_reply, "ev-5", LINE_USER, "ไฟดับทั้งซอย", [], ctx.sealer) is None  # none waits
    assert [e["tracking_number"] for e in replies(store)] == [number]
