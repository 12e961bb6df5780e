"""Personal data at rest: sealed (encrypted) identity, and keyed fingerprints to match it unseen.

Identity fields of every complainant are kept as one Fernet token (AES-128-CBC + HMAC-SHA256)
under the site's seal key (shared.config.seal_key: SEAL_KEY, or the key file outside the data
folder); duplicates are found by HMAC fingerprints of the normalised national
ID, phone, e-mail and LINE id, so matching never needs to unseal anything.
"""
import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken

from services.intake.exceptions import SealError


class Sealer:
    def __init__(self, key: str):
        try:
            self._fernet = Fernet(key.encode() if isinstance(key, str) else key)
        except (ValueError, TypeError) as exc:
            raise SealError("the seal key must be 32 url-safe base64-encoded bytes (Fernet.generate_key())") from exc
        raw = base64.urlsafe_b64decode(key)
        self._fingerprint_key = hashlib.sha256(b"rongtuk-fingerprint:" + raw).digest()

    def seal(self, identity: dict) -> str:
        return self._fernet.encrypt(json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()).decode()

    def unseal(self, token: str) -> dict:
        try:
            return json.loads(self._fernet.decrypt(token.encode()))
        except InvalidToken as exc:
            raise SealError("sealed identity cannot be opened with this key") from exc

    def fingerprint(self, kind: str, value: str) -> str:
        return hmac.new(self._fingerprint_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
