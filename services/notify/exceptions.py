"""What notify cannot do: plain classes (no nameko, no database)."""


class LinePushError(RuntimeError):
    """A LINE push that could not be sent (no channel token, or LINE refused it); the delivery is
    retried."""


class RecipientSealError(ValueError):
    """A logged address sealed under another key than the site's: it cannot be read."""
