"""Tracking numbers and access codes: `<SITE>-<Buddhist Era fiscal year>-<6-digit sequence>`.

The Thai fiscal year runs 1 October to 30 September and is named by the Buddhist Era year in
which it ends: 1 Oct 2025 - 30 Sep 2026 is ปีงบประมาณ พ.ศ. 2569.
"""
import hashlib
import hmac
import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
# no 0/O, 1/I/L: codes are read out over the phone and typed from letters
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 8
SITE_PATTERN = re.compile(r"[A-Z0-9]{2,16}")


def fiscal_year_be(moment: datetime) -> int:
    """The Buddhist Era fiscal year of an aware moment, on the Bangkok calendar."""
    if moment.tzinfo is None:
        raise ValueError("fiscal_year_be needs an aware datetime")
    local = moment.astimezone(BANGKOK)
    return local.year + BE_OFFSET + (1 if local.month >= 10 else 0)


def format_tracking_number(site: str, fiscal_year: int, sequence: int) -> str:
    if not SITE_PATTERN.fullmatch(site):
        raise ValueError(f"site code {site!r} must be 2-16 capital letters or digits")
    if not 1 <= sequence <= 999_999:
        raise ValueError(f"sequence {sequence} is outside 1..999999")
    return f"{site}-{fiscal_year}-{sequence:06d}"


def new_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def hash_access_code(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{normalise_access_code(code)}".encode()).hexdigest()


def access_code_matches(code: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code, salt), expected_hash)


def normalise_access_code(code: str) -> str:
    return "".join(code.split()).upper()
