"""A case's routing status: what routing has done with it, how an officer's action moves it, and
which actions its status refuses.

Plain rules: routing's use cases (assignments.py, forwarding.py) ask here for the status to write,
and a refusal is a RoutingError that says why, raised before anything is written. An officer may
confirm or re-route a case whatever its status (CONFIRMED, REROUTED).
"""
from services.routing.exceptions import RoutingError

ASSIGNED, TRIAGE = "assigned", "triage"        # routed to a unit, or to the triage unit for a person to sort
CONFIRMED, REROUTED = "confirmed", "rerouted"  # an officer agreed with the unit, or moved the case
WAITING = "waiting"                            # for the complainant's information (the SLA clocks pause)
FORWARDED = "forwarded"                        # with another site, until its answer comes back
ANSWERED = "answered"                          # answered: here, from the knowledge base, or by the other site
STATUSES = (ASSIGNED, TRIAGE, CONFIRMED, REROUTED, WAITING, FORWARDED, ANSWERED)
TAUGHT = (CONFIRMED, REROUTED)                 # an officer confirmed or corrected the unit: retraining learns these


def routed(triage=False, answered_from_kb=False):
    """The status of a case just routed."""
    return ANSWERED if answered_from_kb else TRIAGE if triage else ASSIGNED


def request_info(status):
    if status == WAITING:
        raise RoutingError("the case is already waiting for the complainant")
    return WAITING


def info_received(status):
    if status != WAITING:
        raise RoutingError("the case is not waiting for the complainant")
    return ASSIGNED


def take_units(status):
    """More units may take the case (its status does not change)."""
    if status in (ANSWERED, FORWARDED):
        raise RoutingError(f"the case is {status}: no more units can take it")
    return status


def forward(status, to_site, forwarded_to=None, referral_site=None):
    """The case may go to `to_site`: not once answered, not twice to one site, not back where it came from."""
    if status == ANSWERED:
        raise RoutingError("the case is already answered")
    if forwarded_to == to_site and status == FORWARDED:
        raise RoutingError(f"the case is already forwarded to {to_site}")
    if referral_site == to_site:
        raise RoutingError(f"the case came from {to_site}: answer it instead of forwarding it back")
    return FORWARDED


def answer(status):
    if status == ANSWERED:
        raise RoutingError("the case is already answered")
    return ANSWERED


def site_answer(status):
    """The site a case was forwarded to answered it: ANSWERED, or None if it was answered here
    meanwhile (that answer stands; the site's is on its own timeline)."""
    return None if status == ANSWERED else ANSWERED
