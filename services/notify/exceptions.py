"""What notify cannot do: plain classes (no nameko, no database)."""


class LinePushError(RuntimeError):
    """A LINE push that could not be sent (no channel token, or LINE refused it); the delivery is
    retried."""


class RecipientSealError(ValueError):
    """A logged address sealed under another key than the site's: it cannot be read."""


class SmsError(RuntimeError):
    """An SMS the gateway did not take this time (unreachable, timed out, 5xx); the delivery is retried."""


class SendRefused(RuntimeError):
    """A message a channel refused as such (an SMS gateway's 4xx): sending it again would be refused
    again, so it is not retried; why is kept with the delivery."""
