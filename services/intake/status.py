"""The statuses of a case as intake records them."""
RECEIVED, ROUTED, REOPENED = "received", "routed", "reopened"
CLOSED_STATUSES = ("closed", "answered_from_kb")  # set by the issues that close cases
