"""services/sla/clock_states.py without a database: how an SLA clock moves, and what it refuses."""
import pytest

from services.sla import clock_states as clock
from services.sla.exceptions import ClockStateError

STOPPED_STATES = (clock.MET, clock.STOPPED)


def test_a_running_clock_is_open_then_warned_then_breached_as_its_steps_fire():
    assert [clock.running(step) for step in range(5)] == [clock.OPEN, clock.WARNED] + [clock.BREACHED] * 3
    assert set(clock.RUNNING) == {clock.running(step) for step in range(5)}


@pytest.mark.parametrize("state", clock.RUNNING)
def test_only_a_running_clock_pauses_and_only_a_paused_one_resumes(state):
    assert clock.pause(state) == clock.PAUSED
    with pytest.raises(ClockStateError, match=f"that is {state} cannot be resumed"):
        clock.resume(state, 0)


@pytest.mark.parametrize("state", (clock.PAUSED, clock.MET, clock.STOPPED))
def test_a_clock_not_running_is_not_paused(state):
    with pytest.raises(ClockStateError, match=f"that is {state} cannot be paused"):
        clock.pause(state)


@pytest.mark.parametrize("next_step, state", [(0, clock.OPEN), (1, clock.WARNED), (2, clock.BREACHED)])
def test_a_resumed_clock_runs_in_the_state_its_fired_steps_give(next_step, state):
    assert clock.resume(clock.PAUSED, next_step) == state


def test_a_new_deadline_keeps_a_paused_clock_paused_and_steps_already_fired_fired():
    assert clock.retimed(clock.PAUSED, 2) == clock.PAUSED
    assert clock.retimed(clock.BREACHED, 2) == clock.BREACHED  # a later deadline does not undo the breach
    assert clock.retimed(clock.WARNED, 1) == clock.WARNED
    for state in STOPPED_STATES:
        with pytest.raises(ClockStateError, match="no deadline to move"):
            clock.retimed(state, 0)


@pytest.mark.parametrize("state", clock.RUNNING + (clock.PAUSED,))
def test_a_clock_stops_met_in_time_or_breached_late(state):
    assert clock.stop(state, in_time=True) == (clock.MET, clock.MET)
    assert clock.stop(state, in_time=False) == (clock.BREACHED, clock.LATE)


@pytest.mark.parametrize("state", STOPPED_STATES)
def test_a_stopped_clock_does_not_stop_again_nor_get_superseded(state):
    with pytest.raises(ClockStateError, match="stopped already"):
        clock.stop(state, in_time=True)
    with pytest.raises(ClockStateError, match="stopped already"):
        clock.supersede(state)


def test_a_superseded_clock_is_stopped_with_no_deadline_met_or_missed():
    assert clock.supersede() == clock.supersede(clock.WARNED) == (clock.STOPPED, clock.SUPERSEDED)


def test_every_state_and_outcome_is_named_once():
    assert len(set(clock.STATES)) == len(clock.STATES) == 6
    assert set(clock.OUTCOMES) == {"met", "late", "superseded"}
