"""The complainant's identifiers: Thai national ID numbers and phone numbers, checked and normalised."""
import re

from services.intake.exceptions import InvalidIdentifier

_NON_DIGITS = re.compile(r"[\s\-().]")
# Thai numerals (๐-๙) are as much a citizen's digits as 0-9; other scripts' digits are not accepted
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _digits(text):
    return _NON_DIGITS.sub("", (text or "").translate(_THAI_DIGITS))


def national_id_checksum(first_twelve: str) -> int:
    """The 13th digit of a Thai national ID: (11 - sum(d_i * (13 - i)) mod 11) mod 10."""
    total = sum(int(digit) * (13 - position) for position, digit in enumerate(first_twelve))
    return (11 - total % 11) % 10


def normalise_national_id(text: str) -> str:
    """13 digits with a valid checksum, dashes and spaces removed (1-2345-67890-12-1 is written so)."""
    digits = _digits(text)
    if not re.fullmatch(r"[0-9]{13}", digits):
        raise InvalidIdentifier("A Thai national ID has 13 digits.")
    if digits[0] == "0":
        raise InvalidIdentifier("A Thai national ID does not start with 0.")
    if national_id_checksum(digits[:12]) != int(digits[12]):
        raise InvalidIdentifier("The check digit of this national ID is wrong.")
    return digits


def normalise_phone(text: str) -> str:
    """A Thai phone number in E.164 (+66...). Mobile: 06/08/09 + 8 digits; landline: 02-05, 07 + 7 digits."""
    digits = _digits((text or "").strip())
    if digits.startswith("+66"):
        national = "0" + digits[3:]
    elif digits.startswith("0066"):
        national = "0" + digits[4:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        national = "0" + digits[2:]
    else:
        national = digits
    if not re.fullmatch(r"[0-9]+", national):
        raise InvalidIdentifier("A phone number has only digits, spaces, dashes and a leading +66.")
    # mobiles 06/08/09 + 8 digits; landlines 02 (Bangkok) and 03, 04, 05, 07 areas + 7 digits
    if re.fullmatch(r"0[689][0-9]{8}", national) or re.fullmatch(r"0[2-57][0-9]{7}", national):
        return "+66" + national[1:]
    raise InvalidIdentifier("Not a Thai mobile (0X-XXXX-XXXX) or landline (0X-XXX-XXXX) number.")


def display_phone(e164: str) -> str:
    """+66812345678 -> 081-234-5678; +6621234567 -> 02-123-4567."""
    national = "0" + e164[3:]
    if len(national) == 10:
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    return f"{national[:2]}-{national[2:5]}-{national[5:]}"
