"""Officers' passwords: how strong one must be, and how it is kept (argon2id, never the password).

A password is refused when it is shorter than MIN_LENGTH characters, or when zxcvbn (which knows
common passwords, words, names, keyboard walks, dates and repeats) estimates it guessable with fewer
than about 10^10 guesses (score < MIN_SCORE), the username and the site's own words counted as known
to the guesser. Hashes are argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile); a
hash made with weaker parameters than today's is rehashed at the next good login. A plain module: no
nameko, no database.
"""
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3
MAX_LENGTH = 256  # zxcvbn and argon2 both take longer; nobody types more
_HASHER = PasswordHasher()  # argon2id


@functools.cache
def _dummy():
    """A hash checked against when the username is unknown, so that an unknown user costs the same
    time; made at the first such check, not when the module is imported."""
    return _HASHER.hash("not a password anyone has: the same work for an unknown username")


def weakness(password, username="", known_words=()):
    """Why `password` is too weak (English, for the CLI and the API), or None when it will do."""
    if not isinstance(password, str) or not password:
        return "a password is required"
    if len(password) > MAX_LENGTH:
        return f"a password is at most {MAX_LENGTH} characters"
    if len(password) < MIN_LENGTH:
        return f"a password is at least {MIN_LENGTH} characters"
    words = [w for w in (username, *known_words) if w]
    if username and username.casefold() in password.casefold():
        return "a password must not contain the username"
    estimate = zxcvbn(password, user_inputs=words)
    if estimate["score"] < MIN_SCORE:
        hint = (estimate.get("feedback") or {}).get("warning") or "it is too easy to guess"
        return f"the password is too weak: {hint.rstrip('.').lower()}; use a longer phrase of unrelated words"
    return None


def hash_password(password):
    return _HASHER.hash(password)


def verify(password_hash, password):
    """(matches, needs_rehash). An unknown user's check (password_hash None) takes as long and fails."""
    try:
        _HASHER.verify(password_hash or _dummy(), password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, False
    if password_hash is None:
        return False, False
    return True, _HASHER.check_needs_rehash(password_hash)
