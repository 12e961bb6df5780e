"""SLA use cases against a real (SQLite) database: pause, resume, stop, reopen, kind and calendar changes."""
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from services.sla import clocks as sla
from services.sla.exceptions import NotStartedYet
from services.sla.models import clocks
from services.sla.policy import SlaPolicy
from shared import events
from shared.events import CASE_ROUTED_V1 as CASE_ROUTED  # v1 producers are still understood
from shared.store import outbox
from shared.times import BANGKOK

CASE = "0c5a1d8e-2b8f-4a4e-9f6b-3e1d7c9a2b44"
POLICY = SlaPolicy()


def bkk(text):
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


@pytest.fixture
def store(store_of):
    return store_of("sla", "test")


def routed(received, kind=2):
    return CASE_ROUTED.load(CASE_ROUTED.build(
        site_id="HUB", case_id=CASE, tracking_number="HUB-2569-000321", kind=kind, received_at=received,
        unit_id="inspection", unit_name="กลุ่มงานตรวจสอบและติดตามผล", reason="default unit"))


def start(store, received, kind=2):
    store.run(sla.start_clocks, routed(received, kind), POLICY)


def resolution(store):
    with store.reading() as session:
        return session.execute(select(clocks).where(clocks.c.case_id == CASE, clocks.c.target == "resolution")
                               .order_by(clocks.c.generation.desc())).first()


def events_of(store, name):
    with store.reading() as session:
        return [json.loads(b) for b in session.execute(select(outbox.c.body).where(outbox.c.event_type == name)
                                                       .order_by(outbox.c.id)).scalars()]


def test_a_routed_case_gets_a_resolution_and_a_first_notice_clock_once(store):
    start(store, bkk("2025-06-05T10:00"))
    start(store, bkk("2025-06-05T10:00"))  # re-routed: same clocks, no restart
    row = resolution(store)
    assert row.due_at == bkk("2025-06-10T16:30")  # Thu 5 -> Fri 6, Mon 9, Tue 10
    assert row.state == "open" and row.next_check_at == bkk("2025-06-10T08:30")
    assert len(events_of(store, "sla_clock_started")) == 2


def test_a_pause_adds_the_business_days_it_lasted(store):
    start(store, bkk("2025-06-05T10:00"))
    store.run(sla.pause, CASE, bkk("2025-06-06T09:00"), "ขอเอกสารเพิ่มเติมจากผู้ร้อง")
    paused = resolution(store)
    assert paused.state == "paused" and paused.next_check_at is None
    # resumed the next Wednesday: Mon 9, Tue 10 and Wed 11 stood still
    store.run(sla.resume, CASE, bkk("2025-06-11T09:00"), POLICY)
    row = resolution(store)
    assert row.paused_business_days == 3
    assert row.due_at == bkk("2025-06-13T16:30")
    assert row.state == "open" and row.next_check_at == bkk("2025-06-13T08:30")
    [changed] = events_of(store, "sla_deadline_changed")
    assert changed["reason"] == "paused" and changed["previous_due_at"].startswith("2025-06-10T09:30")


def test_a_pause_within_one_day_adds_nothing(store):
    start(store, bkk("2025-06-05T10:00"))
    store.run(sla.pause, CASE, bkk("2025-06-06T09:00"))
    store.run(sla.resume, CASE, bkk("2025-06-06T15:00"), POLICY)
    assert resolution(store).due_at == bkk("2025-06-10T16:30")
    assert events_of(store, "sla_deadline_changed") == []


def test_stopping_in_time_is_met_and_late_is_late(store):
    start(store, bkk("2025-06-05T10:00"))
    [stopped] = store.run(sla.stop, CASE, bkk("2025-06-09T11:00"), ["resolution"])
    assert stopped == {"site_id": "HUB", "kind": 2, "target": "resolution", "business_days": 2, "outcome": "met"}
    row = resolution(store)
    assert (row.state, row.outcome, row.next_check_at) == ("met", "met", None)
    start(store, bkk("2025-06-05T10:00"))  # a late duplicate of case_routed restarts nothing
    assert resolution(store).state == "met"


def test_a_reopened_case_gets_new_clocks_from_the_reopening(store):
    start(store, bkk("2025-06-05T10:00"))
    store.run(sla.stop, CASE, bkk("2025-06-12T10:00"))
    assert resolution(store).outcome == "late"
    store.run(sla.reopen, CASE, bkk("2025-06-16T10:00"), POLICY)
    row = resolution(store)
    assert row.generation == 1 and row.state == "open"
    assert row.due_at == bkk("2025-06-19T16:30")


def test_a_kind_change_recomputes_from_receipt(store):
    start(store, bkk("2025-06-05T10:00"), kind=2)
    store.run(sla.change_kind, CASE, 3, bkk("2025-06-06T10:00"), POLICY)
    row = resolution(store)
    assert (row.kind, row.business_days) == (3, 10)
    assert row.due_at == bkk("2025-06-19T16:30")  # 10 business days after Thu 5 Jun
    assert events_of(store, "sla_deadline_changed")[0]["reason"] == "kind_changed"


def kind_changed(kind, previous_kind, at):
    return events.CASE_KIND_CHANGED.load({**events.CASE_KIND_CHANGED.build(
        site_id="HUB", case_id=CASE, tracking_number="HUB-2569-000321", kind=kind, previous_kind=previous_kind,
        reason="ผู้ร้องจะฟ้องศาลปกครอง", officer="นายสมชาย"), "occurred_at": at.isoformat()})


def test_an_officers_change_of_kind_waits_for_the_clocks_then_retimes_them_from_receipt(store):
    correction = kind_changed(4, 2, bkk("2025-06-06T10:00"))
    with pytest.raises(NotStartedYet, match="has no clocks yet"):
        store.run(sla.kind_changed, correction, POLICY)  # overtook case_routed: tried again later
    assert events_of(store, "sla_deadline_changed") == []
    start(store, bkk("2025-06-05T10:00"), kind=2)
    assert resolution(store).due_at == bkk("2025-06-10T16:30")  # 3 business days
    store.run(sla.kind_changed, correction, POLICY)
    row = resolution(store)
    # 30 business days from Thu 5 Jun, past Asarnha Bucha and Khao Phansa (Thu 10, Fri 11 Jul)
    assert (row.kind, row.business_days, row.due_at) == (4, 30, bkk("2025-07-21T16:30"))
    [changed] = events_of(store, "sla_deadline_changed")
    assert (changed["reason"], changed["kind"], changed["target"]) == ("kind_changed", 4, "resolution")
    store.run(sla.kind_changed, kind_changed(2, 4, bkk("2025-06-09T10:00")), POLICY)
    assert resolution(store).due_at == bkk("2025-06-10T16:30")  # back to 3 days from receipt


def test_an_added_holiday_moves_the_deadlines_it_falls_within_and_removing_it_moves_them_back(store):
    start(store, bkk("2025-06-05T10:00"))
    result = store.run(sla.change_calendar, "put", "2025-06-09", POLICY, bkk("2025-06-05T12:00"),
                       kind="holiday", name="วันหยุดพิเศษตามมติคณะรัฐมนตรี")
    assert result == {"day": "2025-06-09", "clocks_changed": 1}
    assert resolution(store).due_at == bkk("2025-06-11T16:30")
    outside = store.run(sla.change_calendar, "put", "2025-07-01", POLICY, bkk("2025-06-05T12:00"),
                        kind="holiday", name="ไม่กระทบ")
    assert outside["clocks_changed"] == 0
    store.run(sla.change_calendar, "remove", "2025-06-09", POLICY, bkk("2025-06-05T12:00"))
    assert resolution(store).due_at == bkk("2025-06-10T16:30")
    assert [e["reason"] for e in events_of(store, "sla_deadline_changed")] == ["calendar", "calendar"]


def test_a_site_workday_on_a_saturday_brings_a_deadline_forward(store):
    start(store, bkk("2025-06-05T10:00"))
    store.run(sla.change_calendar, "put", "2025-06-07", POLICY, bkk("2025-06-05T12:00"), kind="workday",
              name="ทำงานชดเชย", site_id="HUB")
    assert resolution(store).due_at == bkk("2025-06-09T16:30")


def test_the_case_page_view_of_clocks(store):
    start(store, bkk("2025-06-05T10:00"))
    with store.reading() as session:
        view = sla.case_clocks(session, CASE, bkk("2025-06-09T16:30"), POLICY)
    by_target = {c["target"]: c for c in view}
    assert by_target["resolution"]["due_at"] == "2025-06-10T16:30:00+07:00"
    assert by_target["resolution"]["time_left_seconds"] == 8 * 3600
    assert by_target["resolution"]["time_left"] == "เหลือ 1 วันทำการ"
    assert by_target["first_notice"]["due_at"] == "2025-06-20T10:00:00+07:00"


def test_the_sweep_reads_only_due_clocks(store):
    start(store, bkk("2025-06-05T10:00"))
    assert store.run(sla.sweep, bkk("2025-06-10T08:29"), POLICY) == []
    fired = store.run(sla.sweep, bkk("2025-06-10T08:30"), POLICY)
    assert [f["step"] for f in fired] == ["warning"]
    assert resolution(store).next_check_at == bkk("2025-06-10T16:30")
    assert store.run(sla.sweep, bkk("2025-06-10T08:30") + timedelta(hours=1), POLICY) == []


def test_a_disputed_case_reopened_by_intake_gets_new_clocks(store):
    from shared.events import CASE_REOPENED
    start(store, bkk("2025-06-05T10:00"))
    store.run(sla.stop, CASE, bkk("2025-06-09T10:00"))
    event = CASE_REOPENED.load(CASE_REOPENED.build(site_id="HUB", case_id=CASE, occurred_at=bkk("2025-06-16T10:00"),
                                                   tracking_number="HUB-2569-000321", reason="dispute",
                                                   field_check=True))
    store.run(sla.reopen_disputed, event, POLICY)
    row = resolution(store)
    assert row.generation == 1 and row.due_at == bkk("2025-06-19T16:30")


def referral_received(received, referral=True):
    from shared.events import CASE_RECEIVED
    return CASE_RECEIVED.load(CASE_RECEIVED.build(
        site_id="KALASIN", case_id=CASE, tracking_number="KALASIN-2569-000001", channel="referral", kind=2,
        subject="s", description="d", received_at=received, complainant_ref=None, contact_channels=[],
        category=None, location=None, confidential=False, field_check=False, linked_case_id=None, link_reason=None,
        referral={"site_id": "HUB", "case_id": "9b2f6c1e-0d3a-4f5b-8c7d-6e5f4a3b2c1d",
                  "tracking_number": "HUB-2569-000001"} if referral else None))


def clock_states(store):
    with store.reading() as session:
        return {r.target: (r.state, r.outcome) for r in session.execute(
            select(clocks.c.target, clocks.c.state, clocks.c.outcome).where(clocks.c.case_id == CASE))}


@pytest.mark.parametrize("received_first", [True, False])
def test_a_referral_gets_no_first_notice_clock_whichever_event_comes_first(store, received_first):
    received = bkk("2026-03-02T10:00")
    if received_first:
        store.run(sla.waive_first_notice, referral_received(received))
        start(store, received)
    else:
        start(store, received)
        store.run(sla.waive_first_notice, referral_received(received))

    assert clock_states(store) == {"resolution": ("open", None), "first_notice": ("stopped", "superseded")}
    stopped = events_of(store, "sla_clock_stopped")
    assert [e["outcome"] for e in stopped] == ([] if received_first else ["superseded"])


def test_a_case_received_here_keeps_its_first_notice_clock(store):
    received = bkk("2026-03-02T10:00")
    store.run(sla.waive_first_notice, referral_received(received, referral=False))
    start(store, received)

    assert clock_states(store) == {"resolution": ("open", None), "first_notice": ("open", None)}
