"""What reporting refuses. It folds every event it hears (one it cannot read is dead-lettered by
shared/delivery.py) and its reads refuse nothing; its commands may (see docs/developers.md)."""


class ReportingError(Exception):
    """A reporting command that cannot be carried out; the message says why."""


class FeedNumberReused(ReportingError):
    """A district sent a feed number the hub has for another event: its feed started again from 1."""
