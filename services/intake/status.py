"""A case's status as intake records it: the statuses, which of them close a case, and how the case
record follows what other services decide.

Plain rules: intake's use cases (cases.py) write the statuses named here. Most are decided
elsewhere and arrive as events (routing's case_info_requested, case_answered_from_kb,
case_forwarded, case_answered…), each on its own queue and so in any order: such a status is
recorded as its event says, except that case_routed only moves a case on from ROUTABLE (a later
status is never taken back to routed). A dispute reopens a closed case (when it does is
services/intake/duplicates.py's rule).
"""
from services.intake.exceptions import CaseStatusError

RECEIVED = "received"                                 # taken, not yet routed
ROUTED = "routed"                                     # with a unit (case_routed; case_info_received)
REOPENED = "reopened"                                 # disputed after it was closed, open again
WAITING_FOR_COMPLAINANT = "waiting_for_complainant"   # case_info_requested: the officer asked for more
ANSWERED_FROM_KB = "answered_from_kb"                 # the knowledge base answered it at first contact
FORWARDED = "forwarded"                               # with another site (case_forwarded)
ANSWERED = "answered"                                 # the result was given (case_answered)
CLOSED = "closed"
STATUSES = (RECEIVED, ROUTED, REOPENED, WAITING_FOR_COMPLAINANT, ANSWERED_FROM_KB, FORWARDED, ANSWERED, CLOSED)
CLOSED_STATUSES = (CLOSED, ANSWERED_FROM_KB, ANSWERED)
ROUTABLE = (RECEIVED, REOPENED)                       # what case_routed moves on to ROUTED; others stay


def closes(status):
    """True if recording `status` closes the case (its closing time is recorded with it)."""
    return status in CLOSED_STATUSES


def reopen(status):
    """A dispute reopens a closed case; an open one is not reopened (the dispute makes a new case)."""
    if not closes(status):
        raise CaseStatusError(f"a case that is {status} is not closed: it cannot be reopened")
    return REOPENED
