"""An SLA clock's states: how a clock moves as its steps fire, while the case waits for the
complainant, and when it stops; and the moves each state refuses.

Plain rules: services/sla/clocks.py asks here for the state (and outcome) to write, and selects
the clocks a move applies to by the states named here.
"""
from services.sla.exceptions import ClockStateError

OPEN = "open"          # running, no step fired yet
WARNED = "warned"      # running, the warning fired
BREACHED = "breached"  # running past its deadline; or stopped late (its outcome says so)
PAUSED = "paused"      # waiting for the complainant: its business days do not count
MET = "met"            # stopped in time
STOPPED = "stopped"    # stopped with no deadline of its own to meet: superseded
STATES = (OPEN, WARNED, BREACHED, PAUSED, MET, STOPPED)
RUNNING = (OPEN, WARNED, BREACHED)

# how a stopped clock ended
LATE, SUPERSEDED = "late", "superseded"
OUTCOMES = (MET, LATE, SUPERSEDED)


def running(next_step):
    """A running clock's state from the steps it has fired (0 none, 1 the warning, 2 on the breach
    and its escalations)."""
    return OPEN if next_step == 0 else WARNED if next_step == 1 else BREACHED


def pause(state):
    """The case waits for the complainant: a running clock stands still."""
    if state not in RUNNING:
        raise ClockStateError(f"a clock that is {state} cannot be paused")
    return PAUSED


def resume(state, next_step):
    """The complainant answered: a paused clock runs again, in the state its fired steps give."""
    if state != PAUSED:
        raise ClockStateError(f"a clock that is {state} cannot be resumed")
    return running(next_step)


def retimed(state, next_step):
    """A running or paused clock given a new deadline (a kind or the calendar changed): a paused one
    stays paused, a running one takes the state its fired steps give."""
    if state in (MET, STOPPED):
        raise ClockStateError(f"a clock that is {state} has no deadline to move")
    return PAUSED if state == PAUSED else running(next_step)


def stop(state, in_time):
    """The case is resolved or closed: (state, outcome) of the clock, met or late."""
    if state in (MET, STOPPED):
        raise ClockStateError(f"a clock that is {state} has stopped already")
    return (MET, MET) if in_time else (BREACHED, LATE)


def supersede(state=OPEN):
    """Another clock does this one's work (a referral's first notice is the forwarding site's):
    (state, outcome) of a clock stopped with no deadline to meet."""
    if state in (MET, STOPPED):
        raise ClockStateError(f"a clock that is {state} has stopped already")
    return STOPPED, SUPERSEDED
