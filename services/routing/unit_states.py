"""A unit's part in a case: its statuses, how it may move, and what is refused.

A case has one lead unit and may have supporting units, each with its own status. Plain rules:
routing's use cases (services/routing/assignments.py) ask here before they write.
"""
from services.routing.exceptions import RoutingError

ASSIGNED, IN_PROGRESS, ANSWERED, WITHDRAWN = "assigned", "in_progress", "answered", "withdrawn"
STATUSES = (ASSIGNED, IN_PROGRESS, ANSWERED, WITHDRAWN)  # as case_unit_status_changed carries them
LEAD, SUPPORT = "lead", "support"
NOTE_CHARS = 2000

# how a unit's part may move; a withdrawn unit comes back by being assigned again
MOVES = {ASSIGNED: (IN_PROGRESS, ANSWERED, WITHDRAWN), IN_PROGRESS: (ANSWERED, WITHDRAWN),
         ANSWERED: (IN_PROGRESS,), WITHDRAWN: ()}


def lead_status(answered_from_kb):
    """The lead unit's status when the case is routed: answered already if the knowledge base did."""
    return ANSWERED if answered_from_kb else ASSIGNED


def on_the_case(status):
    """True if a unit with this status takes part in the case (a withdrawn one may be assigned again)."""
    return status != WITHDRAWN


def move(unit_id, role, current, wanted, note=None):
    """The unit's part moves from `current` to `wanted`: returns the note to record with it (trimmed,
    or None), or raises RoutingError saying why the move is refused."""
    if wanted not in MOVES:
        raise RoutingError(f"status must be one of {', '.join(MOVES)}")
    if wanted not in MOVES[current]:
        raise RoutingError(f"unit {unit_id} is {current}: it cannot become {wanted}")
    if wanted == WITHDRAWN and role == LEAD:
        raise RoutingError("the lead unit cannot be withdrawn: re-route the case instead")
    if note is not None and not isinstance(note, str):
        raise RoutingError("a note is text")
    note = (note or "").strip()[:NOTE_CHARS] or None
    if wanted == ANSWERED and not note:
        raise RoutingError("say what the unit found or did: the note is its answer")
    return note
