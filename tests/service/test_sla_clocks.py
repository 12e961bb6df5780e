"""SLA clocks through the real sla service, its sweep timer and SQLite, with the clock faked."""
import json
from datetime import datetime, timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.sla.dependencies import Clock
from services.sla.service import SlaService
from shared.events import CASE_ROUTED_V1 as CASE_ROUTED  # v1 producers are still understood
from shared.store import outbox
from shared.times import BANGKOK
from tests.helpers import FakeTime, connected, count_rows, wait_for

CASE_ID = "5b0f9a52-7c1e-4c55-9a35-0d6b2f1e8c01"
RECEIVED = datetime(2025, 12, 4, 10, 0, tzinfo=BANGKOK)   # Thu; Fri 5 and Wed 10 Dec are holidays
DUE = datetime(2025, 12, 11, 16, 30, tzinfo=BANGKOK)       # kind 2: 3 business days
WARN = datetime(2025, 12, 11, 8, 30, tzinfo=BANGKOK)       # the last business day begins
ESCALATIONS = [("unit_head", datetime(2025, 12, 12, 16, 30, tzinfo=BANGKOK)),          # +1 business day
               ("office_director", datetime(2025, 12, 16, 16, 30, tzinfo=BANGKOK)),    # +3
               ("complaint_committee", datetime(2025, 12, 18, 16, 30, tzinfo=BANGKOK))]  # +5


@pytest.fixture
def fake_time(monkeypatch):
    time = FakeTime(RECEIVED + timedelta(minutes=1))
    monkeypatch.setattr(Clock, "now", staticmethod(time))
    return time


@pytest.fixture
def sla_config(embedded_config):
    embedded_config["SLA"]["sweep_interval"] = 0.02
    return embedded_config


def sweeps():
    return REGISTRY.get_sample_value("rongtuk_entrypoint_calls_total", {"service": "sla", "entrypoint": "sweep"}) or 0


def let_sweeps_run(count=3):
    start = sweeps()
    wait_for(lambda: sweeps() >= start + count, message=f"{count} sweeps")


def emitted(config, *types, target="resolution"):
    with connected(config, "sla") as conn:
        rows = conn.execute(select(outbox.c.event_type, outbox.c.body).where(outbox.c.event_type.in_(types))
                            .order_by(outbox.c.id)).all()
    found = [(row.event_type, json.loads(row.body)) for row in rows]
    return [(name, body) for name, body in found if target is None or body.get("target") == target]


def route_the_case(container, config, kind=2):
    body = CASE_ROUTED.build(site_id="HUB", case_id=CASE_ID, tracking_number="HUB-2569-000123", kind=kind,
                             received_at=RECEIVED, unit_id="inspection", unit_name="กลุ่มงานตรวจสอบและติดตามผล",
                             reason="rule misconduct")
    with entrypoint_waiter(container, "start_clock", timeout=15):
        event_dispatcher(config)("routing", "case_routed", body)
    assert count_rows(config, "sla", "clocks") == 2  # resolution and first notice


def at(moment):
    return datetime.fromisoformat(moment)


def test_an_unresolved_case_gets_one_warning_one_breach_and_each_escalation_at_its_time(
        container_factory, sla_config, fake_time):
    container = container_factory(SlaService, sla_config)
    container.start()
    route_the_case(container, sla_config)
    steps = ("sla_warning", "sla_breached", "sla_escalated")

    fake_time.moment = WARN - timedelta(seconds=1)
    let_sweeps_run()
    assert emitted(sla_config, *steps) == []

    fake_time.moment = WARN
    let_sweeps_run()
    [(name, warning)] = emitted(sla_config, *steps)
    assert name == "sla_warning" and at(warning["occurred_at"]) == WARN and at(warning["due_at"]) == DUE

    fake_time.moment = DUE - timedelta(seconds=1)
    let_sweeps_run()
    assert len(emitted(sla_config, *steps)) == 1

    fake_time.moment = DUE
    let_sweeps_run()
    assert [n for n, _ in emitted(sla_config, *steps)] == ["sla_warning", "sla_breached"]

    for role, moment in ESCALATIONS:
        fake_time.moment = moment - timedelta(seconds=1)
        let_sweeps_run()
        assert role not in [b.get("role") for _, b in emitted(sla_config, "sla_escalated")]
        fake_time.moment = moment
        let_sweeps_run()

    fake_time.moment = DUE + timedelta(days=60)
    let_sweeps_run(5)
    fired = emitted(sla_config, *steps)
    assert [n for n, _ in fired] == ["sla_warning", "sla_breached"] + ["sla_escalated"] * 3
    assert at(fired[1][1]["occurred_at"]) == DUE
    assert [(b["step"], b["role"], at(b["occurred_at"])) for _, b in fired[2:]] == [
        (number, role, moment) for number, (role, moment) in enumerate(ESCALATIONS, start=1)]
    # the first-progress-notice clock: 15 calendar days, warned a day before, never escalated
    notice = emitted(sla_config, *steps, target="first_notice")
    assert [(n, at(b["occurred_at"])) for n, b in notice] == [
        ("sla_warning", RECEIVED + timedelta(days=14)), ("sla_breached", RECEIVED + timedelta(days=15))]


def test_a_service_down_across_the_deadline_fires_one_breach_on_start_stamped_with_the_deadline(
        container_factory, sla_config, fake_time):
    first = container_factory(SlaService, sla_config)
    first.start()
    route_the_case(first, sla_config)
    let_sweeps_run()
    first.stop()

    fake_time.moment = DUE + timedelta(days=3)  # Sunday 14 Dec: three days late
    for _ in range(2):  # and started twice, for good measure
        later = container_factory(SlaService, sla_config)
        later.start()
        wait_for(lambda: emitted(sla_config, "sla_breached"), message="the breach")
        let_sweeps_run()
        later.stop()

    breaches = emitted(sla_config, "sla_breached")
    assert len(breaches) == 1
    assert at(breaches[0][1]["occurred_at"]) == DUE
    assert len(emitted(sla_config, "sla_warning")) == 1
    assert emitted(sla_config, "sla_breached", target="first_notice") == []  # due only on 19 Dec
    # the unit head was due on Fri 12 Dec; the director only on Tue 16 Dec
    assert [(b["role"], at(b["occurred_at"])) for _, b in emitted(sla_config, "sla_escalated")] == [ESCALATIONS[0]]


def notice(outcome, purpose, day):
    from shared.events import NOTIFICATION_RECORDED
    return NOTIFICATION_RECORDED.build(site_id="HUB", case_id=CASE_ID, occurred_at=RECEIVED + timedelta(days=day),
                                       notification_id=str(__import__("uuid").uuid4()), purpose=purpose,
                                       channel="sms", outcome=outcome, attempts=1,
                                       audience="complainant", role=None)


def test_a_progress_notice_delivered_meets_the_first_notice_clock_and_a_failed_one_does_not(
        container_factory, sla_config, fake_time):
    container = container_factory(SlaService, sla_config)
    container.start()
    route_the_case(container, sla_config)
    for outcome, purpose in (("failed", "progress"), ("delivered", "acknowledgment"), ("no_contact", "routed")):
        with entrypoint_waiter(container, "meet_first_notice", timeout=15):
            event_dispatcher(sla_config)("notify", "notification_recorded", notice(outcome, purpose, 2))
    assert emitted(sla_config, "sla_clock_stopped", target="first_notice") == []  # none of them tells progress

    with entrypoint_waiter(container, "meet_first_notice", timeout=15):
        event_dispatcher(sla_config)("notify", "notification_recorded", notice("delivered", "progress", 3))
    [(_, stopped)] = emitted(sla_config, "sla_clock_stopped", target="first_notice")
    assert stopped["outcome"] == "met" and at(stopped["occurred_at"]) == RECEIVED + timedelta(days=3)
    assert emitted(sla_config, "sla_clock_stopped") == []  # the resolution clock runs on

    fake_time.moment = RECEIVED + timedelta(days=16)
    let_sweeps_run()
    assert emitted(sla_config, "sla_breached", target="first_notice") == []  # met: no breach on day 16
