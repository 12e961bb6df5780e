"""Tracking numbers and access codes: `<SITE>-<Buddhist Era fiscal year>-<sequence>`, the sequence of
at least 6 digits: 000001 to 999999, then 1000000 and on. A counter never refuses a complaint: the
number only grows a digit, and stays one pattern (TRACKING_NUMBER) with the sequence last.

The Thai fiscal year runs 1 October to 30 September and is named by the Buddhist Era year in
which it ends: 1 Oct 2025 - 30 Sep 2026 is ปีงบประมาณ พ.ศ. 2569.
"""
import hashlib
import hmac
import re
import secrets
from datetime import datetime
from shared.times import BANGKOK

BE_OFFSET = 543
# no 0/O, 1/I/L: codes are read out over the phone and typed from letters
ACCESS_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_CODE_LENGTH = 8
SITE_PATTERN = re.compile(r"[A-Z0-9]{2,16}")
TRACKING_NUMBER = re.compile(r"(?P<site>[A-Z0-9]{2,16})-(?P<fiscal_year>[0-9]{4})-(?P<sequence>[0-9]{6,10})")
MAX_SEQUENCE = 2_147_483_647  # the database's integer; 10 digits, at 2,000 cases a second for a whole year


def fiscal_year_be(moment: datetime) -> int:
    """The Buddhist Era fiscal year of an aware moment, on the Bangkok calendar."""
    if moment.tzinfo is None:
        raise ValueError("fiscal_year_be needs an aware datetime")
    local = moment.astimezone(BANGKOK)
    return local.year + BE_OFFSET + (1 if local.month >= 10 else 0)


def format_tracking_number(site: str, fiscal_year: int, sequence: int) -> str:
    if not SITE_PATTERN.fullmatch(site):
        raise ValueError(f"site code {site!r} must be 2-16 capital letters or digits")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence {sequence} is outside 1..{MAX_SEQUENCE}")
    return f"{site}-{fiscal_year}-{sequence:06d}"


def parse_tracking_number(text: str):
    """(site, fiscal year, sequence) of a tracking number, however many digits its sequence has; None
    if it is not one."""
    match = TRACKING_NUMBER.fullmatch((text or "").strip().upper())
    if match is None:
        return None
    return match["site"], int(match["fiscal_year"]), int(match["sequence"])


def new_access_code() -> str:
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def hash_access_code(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{normalise_access_code(code)}".encode()).hexdigest()


def access_code_matches(code: str, salt: str, expected_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code, salt), expected_hash)


def normalise_access_code(code: str) -> str:
    return "".join(code.split()).upper()
