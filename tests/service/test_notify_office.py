"""Notices to the office through a case's life, with a faked clock: SLA's sweeps fire the steps of its
clocks, and notify tells the unit of each warning and breach and each escalation's role holder,
once each however often an event comes; a progress notice to the complainant on day 3 meets the
first-notice clock, and a case nobody told breaches it on day 16."""
import json
from datetime import datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from services.notify import deliveries, office
from services.notify.models import deliveries as deliveries_table
from services.routing.directory import Directory
from services.sla import clocks as sla
from services.sla.models import clocks
from services.sla.policy import SlaPolicy
from shared import events
from shared.store import outbox
from shared.times import BANGKOK
from tests.service.test_notify_deliveries import FakeMailer

DIRECTORY = Directory.load(Path(__file__).resolve().parents[2] / "deploy" / "directory.yml").as_mapping()
POLICY = SlaPolicy()
TOLD, SILENT = "0c5a1d8e-2b8f-4a4e-9f6b-3e1d7c9a2b44", "7d1f0b6a-3c4e-4f9a-8b2d-5e6f7a8b9c0d"
NUMBERS = {TOLD: "HUB-2570-000101", SILENT: "HUB-2570-000102"}
CANARY = {"name": "นางสาวแคนารี ทดสอบลับ", "email": "canary.secret@example.org", "phone": "+66899999999"}


def bkk(text):
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


@pytest.fixture
def sla_store(store_of):
    return store_of("sla", "sla.sweep")


@pytest.fixture
def notify_store(store_of):
    return store_of("notify", "notify.office")


def routed(case_id, received):
    return events.CASE_ROUTED.load(events.CASE_ROUTED.build(
        site_id="HUB", case_id=case_id, tracking_number=NUMBERS[case_id], kind=2, received_at=received,
        unit_id="ict-pr", unit_name="กลุ่มงานสารสนเทศวางแผนและประเมินผล", reason="rule r1",
        method="rule", score=None, model_version=None, kind_reason="as received"))


def progress_notice(case_id, at):
    return events.NOTIFICATION_RECORDED.load(events.NOTIFICATION_RECORDED.build(
        site_id="HUB", case_id=case_id, occurred_at=at, notification_id="1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b",
        purpose="progress", channel="email", outcome="delivered", attempts=1, audience="complainant", role=None))


def fired(sla_store, seen):
    """The SLA events in the outbox not seen before, loaded as a handler gets them."""
    with sla_store.reading() as session:
        rows = session.execute(select(outbox.c.id, outbox.c.event_type, outbox.c.body)
                               .order_by(outbox.c.id)).all()
    new = [row for row in rows if row.id not in seen]
    seen.update(row.id for row in new)
    return [(row.event_type, events.load("sla", row.event_type, json.loads(row.body))) for row in new]


def notices_for(name, event):
    number = NUMBERS[event["case_id"]]
    if name == "sla_escalated":
        return [office.to_role(event, DIRECTORY, number)]
    purpose = {"sla_warning": "warning", "sla_breached": "breach"}[name]
    return [office.to_unit(purpose, event, DIRECTORY, number, event["unit_id"])]


def test_the_unit_hears_its_warnings_and_breaches_and_each_role_its_escalation_once(sla_store, notify_store,
                                                                                     recipients):
    mailer = FakeMailer()
    received = bkk("2026-12-01T10:00")  # a Tuesday
    for case_id in (TOLD, SILENT):
        sla_store.run(sla.start_clocks, routed(case_id, received), POLICY)
    # day 3: the unit's progress note reached the complainant of one case
    sla_store.run(sla.progress_told, progress_notice(TOLD, bkk("2026-12-04T11:00")))
    seen, told = set(), []
    day = received
    while day < received + timedelta(days=30):
        day += timedelta(hours=6)
        sla_store.run(sla.sweep, day, POLICY)
        for name, event in fired(sla_store, seen):
            if name not in ("sla_warning", "sla_breached", "sla_escalated"):
                continue
            told.append((name, event["case_id"], event["target"], event.get("role")))
            for _ in range(2):  # the same event twice: told once
                deliveries.notify_office(notify_store, {"email": mailer}, recipients, event,
                                         notices_for(name, event))

    with sla_store.reading() as session:
        states = {(r.case_id, r.target): r.state for r in session.execute(select(clocks)).all()}
    assert states[(TOLD, "first_notice")] == "met"
    assert states[(SILENT, "first_notice")] == "breached"
    first_notice_breach = [t for t in told if t[:3] == ("sla_breached", SILENT, "first_notice")]
    assert len(first_notice_breach) == 1

    sent = [(to, subject) for to, subject, _body in mailer.sent]
    assert len(sent) == len(set(sent)) == len(told)  # one message per step and recipient, none twice
    to_unit = [s for s in sent if s[0] == "ict-pr@office.example"]
    to_head = [s for s in sent if s[0] == "head.ict-pr@office.example"]
    to_director = [s for s in sent if s[0] == "director@office.example"]
    to_committee = [s for s in sent if s[0] == "committee@office.example"]
    # each case's resolution clock (3 business days): a warning and a breach to the unit, an escalation
    # to each role; the first-notice clock of the case nobody told: its warning and its breach
    assert len(to_unit) == 2 * 2 + 2
    assert len(to_head) == len(to_director) == len(to_committee) == 2
    silent = NUMBERS[SILENT]
    assert any(silent in subject and "เกินกำหนดแจ้งความคืบหน้าแก่ผู้ร้องเรียน" in subject for _to, subject in to_unit)
    assert all("ครั้งที่" in subject for _to, subject in to_head + to_director)
    assert not any(NUMBERS[TOLD] in subject and "แจ้งความคืบหน้า" in subject for _to, subject in sent)

    with notify_store.reading() as session:
        rows = session.execute(select(deliveries_table)).all()
    assert {(r.audience, r.role) for r in rows} == {("unit", None), ("role", "unit_head"),
                                                    ("role", "office_director"), ("role", "complaint_committee")}
    assert all(r.status == "delivered" and r.sealed and "office.example" not in (r.sealed or "") for r in rows)


def test_an_escalation_nobody_holds_is_logged_once_as_reaching_no_one(notify_store, recipients):
    event = events.SLA_ESCALATED.load(events.SLA_ESCALATED.build(
        site_id="HUB", case_id=SILENT, clock_id="5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", target="resolution",
        kind=2, unit_id="ict-pr", due_at=bkk("2026-12-04T16:30"), step=4, role="minister"))
    mailer = FakeMailer()
    for _ in range(2):
        deliveries.notify_office(notify_store, {"email": mailer}, recipients, event,
                                 [office.to_role(event, DIRECTORY, NUMBERS[SILENT])])
    with notify_store.reading() as session:
        rows = session.execute(select(deliveries_table)).all()
    assert mailer.sent == [] and len(rows) == 1
    assert rows[0].status == "no_contact" and "role minister of unit ict-pr" in rows[0].reason
    with notify_store.reading() as session:
        recorded = [json.loads(b) for b in session.execute(
            select(outbox.c.body).where(outbox.c.event_type == "notification_recorded")).scalars()]
    assert [(r["purpose"], r["audience"], r["role"], r["outcome"]) for r in recorded] == [
        ("escalation", "role", "minister", "no_contact")]


def test_quiet_hours_hold_a_warning_for_the_retry_round_after_they_end(notify_store, recipients):
    event = events.SLA_WARNING.load(events.SLA_WARNING.build(
        site_id="HUB", case_id=SILENT, clock_id="5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", target="resolution",
        kind=2, unit_id="ict-pr", due_at=bkk("2026-12-04T16:30")))
    mailer = FakeMailer()
    night = bkk("2026-12-03T23:00")
    notice = office.to_unit("warning", event, DIRECTORY, NUMBERS[SILENT], "ict-pr", night,
                            office.parse_quiet_hours("20:00-07:00"))
    assert deliveries.notify_office(notify_store, {"email": mailer}, recipients, event, [notice]) == []
    assert mailer.sent == []
    contacts = lambda *args: {}  # noqa: E731 - no complainant is asked for an office notice
    assert deliveries.retry_due(notify_store, {"email": mailer}, recipients, contacts,
                                now=bkk("2026-12-04T06:59")) == []
    assert deliveries.retry_due(notify_store, {"email": mailer}, recipients, contacts,
                                now=bkk("2026-12-04T07:00")) == ["delivered"]
    assert [to for to, _s, _b in mailer.sent] == ["ict-pr@office.example"]


def test_a_message_to_the_office_about_a_confidential_case_names_nothing_of_its_complainant(notify_store,
                                                                                         recipients):
    """The office's messages are built from the event, the directory and the tracking number alone:
    whatever the complainant gave, none of it can be in them."""
    event = events.SLA_BREACHED.load(events.SLA_BREACHED.build(
        site_id="HUB", case_id=SILENT, clock_id="5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", target="resolution",
        kind=3, unit_id="ict-pr", due_at=bkk("2026-12-04T16:30")))
    mailer = FakeMailer()
    deliveries.notify_office(notify_store, {"email": mailer}, recipients, event,
                             [office.to_unit("breach", event, DIRECTORY, NUMBERS[SILENT], "ict-pr")])
    (_to, subject, body), = mailer.sent
    assert NUMBERS[SILENT] in subject and "4 ธันวาคม 2569 เวลา 16.30 น." in body
    for value in CANARY.values():
        assert value not in subject + body


class Answering:
    """A service's RPC proxy as call_with_timeout uses it: each method answers from `answers`, and the
    calls are counted."""

    def __init__(self, **answers):
        self.calls = []
        for name, answer in answers.items():
            setattr(self, name, SimpleNamespace(call_async=self._async(name, answer)))

    def _async(self, name, answer):
        def call(*args):
            self.calls.append(name)
            return SimpleNamespace(result=lambda: answer(*args))
        return call


def test_each_unit_hears_its_open_cases_once_on_a_business_day_morning(sla_store, notify_store, recipients):
    from nameko.testing.services import worker_factory

    from services.notify.dependencies import Settings
    from services.notify.service import NotifyService
    late, due_today = TOLD, SILENT
    sla_store.run(sla.start_clocks, routed(late, bkk("2026-12-01T10:00")), POLICY)  # due Fri 4 December
    sla_store.run(sla.start_clocks, routed(due_today, bkk("2026-12-03T10:00")), POLICY)  # due Wed 9 December
    mailer, now = FakeMailer(), {"at": None}

    def open_clocks_by_unit(site):
        with sla_store.reading() as session:
            return sla.open_by_unit(session, now["at"], site)

    sla_rpc = Answering(open_clocks_by_unit=open_clocks_by_unit)
    intake_rpc = Answering(tracking_numbers=lambda ids: {i: NUMBERS[i] for i in ids if i in NUMBERS})
    routing_rpc = Answering(directory=lambda: DIRECTORY)
    service = worker_factory(NotifyService, db=notify_store, sla=sla_rpc, intake=intake_rpc, routing=routing_rpc,
                             senders={"email": mailer}, recipients=recipients,
                             settings=Settings(wording={}, digest_at=time(8, 0)), config={"RPC": {"timeout": 5}})
    import services.notify.service as notify_service

    def run_at(moment):
        now["at"] = moment
        original = notify_service.utcnow
        notify_service.utcnow = lambda: moment
        try:
            service.send_digests()
        finally:
            notify_service.utcnow = original

    run_at(bkk("2026-12-07T09:00"))  # Monday 7 December: the holiday for Father's Day (the 5th, a Saturday)
    assert mailer.sent == [] and sla_rpc.calls == ["open_clocks_by_unit"]
    run_at(bkk("2026-12-09T07:59"))  # Wednesday
    assert mailer.sent == [] and sla_rpc.calls == ["open_clocks_by_unit"]  # not yet its time: nobody asked
    run_at(bkk("2026-12-09T08:00"))
    run_at(bkk("2026-12-09T08:01"))
    run_at(bkk("2026-12-09T15:00"))
    (to, subject, body), = mailer.sent  # once a day however often it looks
    assert to == "ict-pr@office.example" and "2 เรื่อง" in subject
    assert body.index(NUMBERS[late]) < body.index(NUMBERS[due_today])
    assert "เกินกำหนด 2 วันทำการ" in body and "ครบกำหนดวันนี้" in body  # Tue 8 and Wed 9 since the 4th
    for value in CANARY.values():
        assert value not in body
    assert sla_rpc.calls == ["open_clocks_by_unit"] * 2  # the day claimed: later looks ask nothing

    run_at(bkk("2026-12-12T09:00"))  # a Saturday: no digest
    assert len(mailer.sent) == 1
    sla_store.run(sla.stop, due_today, bkk("2026-12-11T10:00"))  # answered on Friday
    run_at(bkk("2026-12-14T08:30"))  # the next Monday: what is still open
    assert len(mailer.sent) == 2 and NUMBERS[due_today] not in mailer.sent[1][2] and "1 เรื่อง" in mailer.sent[1][1]
    with notify_store.reading() as session:
        rows = session.execute(select(deliveries_table)).all()
        recorded = session.execute(select(outbox.c.id).where(outbox.c.event_type == "notification_recorded")).all()
    assert sorted((r.purpose, r.audience, r.case_id, r.status) for r in rows) == [
        ("digest", "unit", None, "delivered")] * 2
    assert recorded == []  # on no case's timeline
