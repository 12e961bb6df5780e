"""LINE out: push messages through the LINE Messaging API (LINE Notify closed on 1 April 2025).

Every push carries the delivery's id as its `X-Line-Retry-Key`: LINE executes a push once per key,
so a retry after a timeout or a 5xx (which may have been delivered after all) cannot reach the
complainant twice; LINE answers the repeat 409, which is the delivery done. What LINE answers:

- 2xx, or 409 to a retry key it already accepted: delivered;
- 429 "monthly limit": the channel's message quota for the month is used up. Refused (SendRefused):
  trying again before the quota is raised or the month turns changes nothing; the delivery stays in
  `rongtuk notify failed` to be sent again then;
- 429 otherwise (the rate limit), a 5xx, a timeout: tried again (LinePushError), after Retry-After
  when LINE gives one;
- any other 4xx (a user who blocked the account or never added it, a bad token): refused, with
  LINE's own message kept with the delivery.
"""
import requests

from services.notify.exceptions import LinePushError, SendRefused
from services.notify.retry import retry_after_seconds

MAX_TEXT = 5000  # a LINE text message holds 5,000 characters
QUOTA_MESSAGE = "monthly limit"  # LINE's 429 body: "You have reached your monthly limit."


class LinePusher:
    def __init__(self, api_base, channel_access_token, timeout=10.0):
        self.api_base = (api_base or "https://api.line.me").rstrip("/")
        self.token = channel_access_token
        self.timeout = timeout

    def send(self, to, subject, body, reference=None):
        if not self.token:
            raise LinePushError("LINE.channel_access_token is not configured")
        text = f"{subject}\n\n{body}"[:MAX_TEXT]
        headers = {"Authorization": f"Bearer {self.token}"}
        if reference:
            headers["X-Line-Retry-Key"] = str(reference)
        response = requests.post(f"{self.api_base}/v2/bot/message/push", timeout=self.timeout, headers=headers,
                                 json={"to": to, "messages": [{"type": "text", "text": text}]})
        status = response.status_code
        if status < 300 or (status == 409 and reference and response.headers.get("X-Line-Accepted-Request-Id")):
            return
        said = _message(response)
        if status == 429 and QUOTA_MESSAGE in said.lower():
            raise SendRefused(f"LINE answered 429: the channel's monthly message quota is used up ({said})")
        if status == 429 or status >= 500:
            raise LinePushError(f"LINE answered {status}" + (f": {said}" if said else ""),
                                retry_after=retry_after_seconds(response.headers.get("Retry-After")))
        raise SendRefused(f"LINE answered {status}" + (f": {said}" if said else ""))


def _message(response):
    """LINE's own words on an error ({"message": …}), short; "" when it gave none."""
    try:
        said = response.json().get("message") or ""
    except (ValueError, AttributeError):
        said = response.text or ""
    return " ".join(str(said).split())[:200]
