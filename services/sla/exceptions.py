"""What sla refuses, or cannot do yet: plain classes (no nameko, no database).

A refusal raised by an RPC declared in its `expected_exceptions` reaches the caller as a nameko
RemoteError that names the class (`exc_type`, e.g. "CalendarError"), not its module.
"""


class CalendarError(ValueError):
    """An extra holiday or working day that cannot be added or removed as given; says why."""


class ClockStateError(ValueError):
    """A move a clock's state does not allow (services/sla/clock_states.py). The use cases select
    only clocks that can move, so this is a fault, never an answer."""


class NotStartedYet(Exception):
    """An event about clocks that case_routed has not started here yet: the handler tries again."""
