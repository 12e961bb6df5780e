"""LINE out: push messages through the LINE Messaging API (LINE Notify closed on 1 April 2025)."""
import requests

from services.notify.exceptions import LinePushError


class LinePusher:
    def __init__(self, api_base, channel_access_token, timeout=10.0):
        self.api_base = (api_base or "https://api.line.me").rstrip("/")
        self.token = channel_access_token
        self.timeout = timeout

    def send(self, to, subject, body, reference=None):
        if not self.token:
            raise LinePushError("LINE.channel_access_token is not configured")
        text = f"{subject}\n\n{body}"[:5000]  # a LINE text message holds 5,000 characters
        response = requests.post(f"{self.api_base}/v2/bot/message/push", timeout=self.timeout,
                                 headers={"Authorization": f"Bearer {self.token}"},
                                 json={"to": to, "messages": [{"type": "text", "text": text}]})
        if response.status_code >= 300:
            raise LinePushError(f"LINE answered {response.status_code}")
