"""The statuses of a case as intake records them."""
RECEIVED, ROUTED, REOPENED = "received", "routed", "reopened"
FORWARDED, ANSWERED = "forwarded", "answered"
CLOSED_STATUSES = ("closed", "answered_from_kb", "answered")  # answered: the result was given
