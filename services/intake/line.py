"""The LINE channel: webhook events of the LINE Messaging API, verified and turned into complaints.

LINE signs each webhook body with the channel secret: X-Line-Signature is the base64 of its
HMAC-SHA256. A user's text message becomes a case (the LINE user id as the complainant's
contact); other events (follows, stickers, images without text) are acknowledged and ignored.
"""
import base64
import hashlib
import hmac

from services.intake.exceptions import LineError
from shared.thai import clean_text

NO_SUBJECT = "ร้องเรียนผ่าน LINE"


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, body: bytes, given: str | None) -> bool:
    if not secret or not given or not given.isascii():  # a forged header may hold anything
        return False
    return hmac.compare_digest(signature(secret, body).encode(), given.encode())


def complaints(payload):
    """[(external_id, case data)] for the text messages of users in a webhook payload."""
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise LineError("a LINE webhook body has an events list")
    found = []
    for event in payload["events"]:
        if not isinstance(event, dict) or event.get("type") != "message":
            continue
        message, source = event.get("message") or {}, event.get("source") or {}
        if message.get("type") != "text" or source.get("type") != "user" or not source.get("userId"):
            continue
        text = _clean(str(message.get("text") or ""))
        if not text:
            continue
        external_id = str(event.get("webhookEventId") or message.get("id") or "")
        if not external_id:
            raise LineError("a message event without webhookEventId or message id")
        first_line = text.splitlines()[0][:200]
        found.append((external_id, {
            "channel": "line", "channel_ref": {"line_message_id": str(message.get("id", ""))[:200]},
            "kind": None, "category": None, "subject": first_line or NO_SUBJECT, "description": text[:5000],
            "location": None, "complainant": {"line_user_id": str(source["userId"])[:64]},
            "confidential": False, "disputes": None, "attachments": [],
        }))
    return found


def _clean(text):
    """A chat message cannot be sent back for correction: control characters are dropped, not refused."""
    return clean_text(text)
