"""The addresses notify writes to, kept sealed, and counted without being kept.

A delivery's address is kept only as a Fernet token under the site's seal key (the key intake seals
identities with: shared.config.seal_key), so the delivery log on disk says which case and channel a
notice went to and what it said, and only a holder of the key reads the address itself. Automatic
notices are counted per address by a keyed fingerprint (HMAC-SHA256 under a key derived from the
seal key, apart from intake's), which nobody can turn back into the address without the key.
"""
import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken

from services.notify.exceptions import RecipientSealError

DEFAULT_DAILY_LIMIT = 10


class Recipients:
    def __init__(self, key, daily_limit=DEFAULT_DAILY_LIMIT):
        key = key.encode() if isinstance(key, str) else key
        self._fernet = Fernet(key)
        self._fingerprint_key = hashlib.sha256(b"rongtuk-notify-recipient:" + base64.urlsafe_b64decode(key)).digest()
        self.daily_limit = int(daily_limit)

    def seal(self, contents: dict) -> str:
        return self._fernet.encrypt(json.dumps(contents, ensure_ascii=False, sort_keys=True).encode()).decode()

    def unseal(self, token: str) -> dict:
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise RecipientSealError("this delivery's address was sealed under another key (is SEAL_KEY the "
                                     "same for every notify process of the site?)") from exc

    def fingerprint(self, channel, recipient) -> str:
        normalised = recipient.strip().casefold() if channel == "email" else recipient.strip()
        return hmac.new(self._fingerprint_key, f"{channel}:{normalised}".encode(), hashlib.sha256).hexdigest()
