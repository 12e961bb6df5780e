"""services/reporting/figures.py: a case's figures folded from its events, in any order they arrive."""
import itertools
from datetime import datetime, timedelta, timezone

from services.reporting.figures import EMPTY, fold

T0 = datetime(2026, 1, 5, 3, 0, tzinfo=timezone.utc)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def ev(minutes, **fields):
    return {"site_id": "HUB", "case_id": "c1", "occurred_at": at(minutes), **fields}


RECEIVED = ("intake", "case_received", ev(0, tracking_number="HUB-2569-000001", channel="hotline", kind=None,
                                          category="misconduct", confidential=True, contact_channels=["email"],
                                          received_at=at(0), link_reason=None))
ROUTED = ("routing", "case_routed", ev(1, tracking_number="HUB-2569-000001", kind=2, unit_id="roads",
                                       received_at=at(0)))
REROUTED = ("routing", "case_rerouted", ev(5, from_unit_id="roads", unit_id="inspection"))
KIND = ("routing", "case_kind_changed", ev(6, kind=3, previous_kind=2))
INFO = ("routing", "case_info_requested", ev(7))
STARTED = ("sla", "sla_clock_started", ev(2, target="resolution", due_at=at(5000), kind=2, unit_id="roads"))
NOTICE = ("sla", "sla_clock_started", ev(2, target="first_notice", due_at=at(9000), kind=2, unit_id="roads"))
WARNED = ("sla", "sla_warning", ev(4000, target="resolution", due_at=at(5000), kind=2, unit_id="roads"))
BREACHED = ("sla", "sla_breached", ev(5001, target="resolution", due_at=at(5000), kind=2, unit_id="roads"))
ESCALATED = ("sla", "sla_escalated", ev(6000, target="resolution", due_at=at(5000), kind=2, unit_id="roads",
                                        step=1, role="unit_head"))
ANSWERED = ("routing", "case_answered", ev(7000, unit_id="inspection"))
STOPPED = ("sla", "sla_clock_stopped", ev(7000, target="resolution", due_at=at(5000), outcome="late",
                                          kind=3, unit_id="inspection"))
NOTICE_MET = ("sla", "sla_clock_stopped", ev(7000, target="first_notice", due_at=at(9000), outcome="met",
                                             kind=3, unit_id="inspection"))
HISTORY = (RECEIVED, ROUTED, STARTED, NOTICE, REROUTED, KIND, INFO, WARNED, BREACHED, ESCALATED, ANSWERED,
           STOPPED, NOTICE_MET)


def folded(events):
    row = None
    for source, name, event in events:
        row = fold(row, source, name, event)
    return row


def test_a_whole_history_gives_every_figure():
    figures = folded(HISTORY)

    assert figures == {**EMPTY, "site_id": "HUB", "tracking_number": "HUB-2569-000001", "channel": "hotline",
                       "category": "misconduct", "confidential": True, "has_contact": True, "kind": 3,
                       "kind_changes": 1, "first_unit_id": "roads", "unit_id": "inspection", "rerouted": True,
                       "info_requested": True, "received_at": at(0), "routed_at": at(1), "answered_at": at(7000),
                       "answered_by_unit": True, "first_notice_due_at": at(9000), "first_notice_outcome": "met",
                       "resolution_due_at": at(5000), "resolution_outcome": "late", "warnings": 1, "breaches": 1,
                       "escalations": 1}


def test_the_order_events_arrive_in_does_not_change_the_figures():
    # across services there is no order: intake's, routing's and sla's events may come in any order
    expected = folded(HISTORY)
    for first_three in itertools.permutations((RECEIVED, ROUTED, REROUTED)):
        assert folded(first_three + tuple(e for e in HISTORY if e not in first_three)) == expected


def test_a_case_answered_from_the_knowledge_base_without_a_contact():
    received = ("intake", "case_received", {**RECEIVED[2], "contact_channels": [], "kind": 1, "confidential": False})
    figures = folded([received, ("routing", "case_answered_from_kb", ev(1, entry_id="parking", answer="…",
                                                                         score=0.9))])
    assert (figures["kind"], figures["has_contact"], figures["answered_from_kb"], figures["answered_by_unit"]) == \
        (1, False, True, False)
    assert figures["answered_at"] == at(1) and figures["routed_at"] is None


def test_events_of_other_clocks_and_unknown_events_change_nothing_but_what_every_event_says():
    forward = ("sla", "sla_breached", ev(9, target="forward_answer", due_at=at(8), kind=2, unit_id="x"))
    assert folded([forward]) == {**EMPTY, "site_id": "HUB"}
    assert folded([("notify", "notification_recorded", ev(3, purpose="acknowledgment"))]) == {**EMPTY, "site_id": "HUB"}


def test_a_rating_is_the_cases_satisfaction_whenever_it_arrives():
    rated = ("intake", "case_rated", ev(8000, tracking_number="HUB-2569-000001", score=4))
    for order in ((RECEIVED, ANSWERED, rated), (rated, RECEIVED, ANSWERED)):
        figures = None
        for source, name, event in order:
            figures = fold(figures, source, name, event)
        assert figures["satisfaction"] == 4 and figures["tracking_number"] == "HUB-2569-000001"
    assert fold(None, *RECEIVED)["satisfaction"] is None
