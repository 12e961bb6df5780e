"""Routing's two state machines, without a database: a case's routing status
(services/routing/case_states.py) and each unit's part in it (services/routing/unit_states.py)."""
import pytest

from services.routing import case_states as case
from services.routing import unit_states as unit
from services.routing.exceptions import RoutingError
from shared import events

# -- a unit's part ------------------------------------------------------------------------------------


def test_the_unit_statuses_are_those_the_event_carries():
    assert unit.STATUSES == events.UNIT_STATUSES == tuple(unit.MOVES)


@pytest.mark.parametrize("current, wanted", [(current, wanted) for current, moves in unit.MOVES.items()
                                             for wanted in moves])
def test_a_support_unit_makes_every_allowed_move(current, wanted):
    note = unit.move("ict-pr", unit.SUPPORT, current, wanted, " ตรวจสอบแล้ว ")
    assert note == "ตรวจสอบแล้ว"


@pytest.mark.parametrize("current, wanted", [(current, wanted) for current in unit.STATUSES
                                             for wanted in unit.STATUSES if wanted not in unit.MOVES[current]])
def test_every_other_move_is_refused_and_says_from_what_to_what(current, wanted):
    with pytest.raises(RoutingError, match=f"unit ict-pr is {current}: it cannot become {wanted}"):
        unit.move("ict-pr", unit.SUPPORT, current, wanted, "หมายเหตุ")


def test_a_withdrawn_unit_moves_no_more_until_assigned_again():
    assert unit.MOVES[unit.WITHDRAWN] == ()
    assert not unit.on_the_case(unit.WITHDRAWN)
    assert all(unit.on_the_case(status) for status in unit.STATUSES if status != unit.WITHDRAWN)


def test_an_unknown_status_is_refused_with_the_known_ones():
    with pytest.raises(RoutingError, match="status must be one of assigned, in_progress, answered, withdrawn"):
        unit.move("ict-pr", unit.SUPPORT, unit.ASSIGNED, "closed")


def test_the_lead_unit_cannot_be_withdrawn():
    with pytest.raises(RoutingError, match="re-route the case instead"):
        unit.move("ict-pr", unit.LEAD, unit.IN_PROGRESS, unit.WITHDRAWN)
    assert unit.move("ict-pr", unit.LEAD, unit.IN_PROGRESS, unit.ANSWERED, "ตอบแล้ว") == "ตอบแล้ว"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_an_answer_needs_a_note_and_other_moves_do_not(note):
    with pytest.raises(RoutingError, match="the note is its answer"):
        unit.move("ict-pr", unit.SUPPORT, unit.IN_PROGRESS, unit.ANSWERED, note)
    assert unit.move("ict-pr", unit.SUPPORT, unit.ASSIGNED, unit.IN_PROGRESS, note) is None


def test_a_note_is_text_and_kept_to_its_length():
    with pytest.raises(RoutingError, match="a note is text"):
        unit.move("ict-pr", unit.SUPPORT, unit.ASSIGNED, unit.ANSWERED, ["ตอบแล้ว"])
    assert len(unit.move("ict-pr", unit.SUPPORT, unit.ASSIGNED, unit.ANSWERED, "ก" * 5000)) == unit.NOTE_CHARS


def test_the_lead_starts_answered_only_when_the_knowledge_base_answered():
    assert unit.lead_status(answered_from_kb=True) == unit.ANSWERED
    assert unit.lead_status(answered_from_kb=False) == unit.ASSIGNED


# -- a case's routing status --------------------------------------------------------------------------


def test_a_routed_case_is_assigned_in_triage_or_answered_from_the_knowledge_base():
    assert case.routed() == case.ASSIGNED
    assert case.routed(triage=True) == case.TRIAGE
    assert case.routed(answered_from_kb=True) == case.ANSWERED


@pytest.mark.parametrize("status", [s for s in case.STATUSES if s != case.WAITING])
def test_information_is_asked_once_and_its_arrival_puts_the_case_back_with_its_unit(status):
    assert case.request_info(status) == case.WAITING
    with pytest.raises(RoutingError, match="already waiting"):
        case.request_info(case.WAITING)
    assert case.info_received(case.WAITING) == case.ASSIGNED
    with pytest.raises(RoutingError, match="not waiting for the complainant"):
        case.info_received(status)


@pytest.mark.parametrize("status", case.STATUSES)
def test_more_units_take_a_case_until_it_is_answered_or_forwarded(status):
    if status in (case.ANSWERED, case.FORWARDED):
        with pytest.raises(RoutingError, match=f"the case is {status}: no more units can take it"):
            case.take_units(status)
    else:
        assert case.take_units(status) == status


def test_a_forward_is_refused_once_answered_twice_to_one_site_and_back_where_it_came_from():
    assert case.forward(case.ASSIGNED, "KALASIN") == case.FORWARDED
    assert case.forward(case.FORWARDED, "KALASIN", forwarded_to="ROIET") == case.FORWARDED
    with pytest.raises(RoutingError, match="already answered"):
        case.forward(case.ANSWERED, "KALASIN")
    with pytest.raises(RoutingError, match="already forwarded to KALASIN"):
        case.forward(case.FORWARDED, "KALASIN", forwarded_to="KALASIN")
    with pytest.raises(RoutingError, match="came from HUB: answer it instead"):
        case.forward(case.ASSIGNED, "HUB", referral_site="HUB")
    # forwarded once, then taken back by a re-route: it may go to the same site again
    assert case.forward(case.REROUTED, "KALASIN", forwarded_to="KALASIN") == case.FORWARDED


@pytest.mark.parametrize("status", [s for s in case.STATUSES if s != case.ANSWERED])
def test_a_case_is_answered_once(status):
    assert case.answer(status) == case.ANSWERED
    with pytest.raises(RoutingError, match="already answered"):
        case.answer(case.ANSWERED)


def test_an_answer_from_another_site_does_not_overwrite_one_given_here():
    assert case.site_answer(case.FORWARDED) == case.ANSWERED
    assert case.site_answer(case.ANSWERED) is None


def test_retraining_learns_from_what_an_officer_confirmed_or_corrected():
    assert set(case.TAUGHT) == {case.CONFIRMED, case.REROUTED} and set(case.TAUGHT) <= set(case.STATUSES)
