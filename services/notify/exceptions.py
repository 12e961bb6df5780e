"""What notify cannot do: plain classes (no nameko, no database)."""


class LinePushError(RuntimeError):
    """A LINE push LINE did not take this time (no channel token, its rate limit, a 5xx); the delivery
    is retried, not before `retry_after` seconds when LINE said so."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class RecipientSealError(ValueError):
    """A logged address sealed under another key than the site's: it cannot be read."""


class SmsError(RuntimeError):
    """An SMS the gateway did not take this time (unreachable, timed out, 5xx); the delivery is retried."""


class SendRefused(RuntimeError):
    """A message a channel refused as such (an SMS gateway's 4xx): sending it again would be refused
    again, so it is not retried; why is kept with the delivery."""
