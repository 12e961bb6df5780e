"""services/intake/identity.py: Thai national ID numbers and phone numbers, checked and normalised."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.exceptions import InvalidIdentifier
from services.intake.identity import (
    display_phone,
    national_id_checksum,
    normalise_national_id,
    normalise_phone,
)


def with_check_digit(first_twelve):
    return first_twelve + str(national_id_checksum(first_twelve))


# --- national ID: the check digit ------------------------------------------------------------


def test_checksum_by_the_formula_written_out():
    # 1 1 0 3 7 0 2 0 7 1 8 3, weights 13..2:
    # 13 + 12 + 0 + 30 + 63 + 0 + 14 + 0 + 35 + 4 + 24 + 6 = 201; 201 mod 11 = 3; 11 - 3 = 8
    assert national_id_checksum("110370207183") == 8


@pytest.mark.parametrize("first_twelve, check", [
    ("110370207183", 8),  # born in Bangkok
    ("310100123456", 5),  # registered before 1984 (type 3)
    ("170990034567", 5),
    ("565432109876", 4),
    ("350060012345", 6),  # Chiang Mai house register
    ("140010098765", 1),
])
def test_checksums_of_real_looking_ids(first_twelve, check):
    assert national_id_checksum(first_twelve) == check
    assert normalise_national_id(first_twelve + str(check)) == first_twelve + str(check)


def test_remainders_zero_and_one_give_check_digits_one_and_zero():
    # a remainder of 1 gives 11 - 1 = 10 -> 0; a remainder of 0 gives 11 -> 1
    found = {}
    for n in range(1_000_000_000_00, 1_000_000_000_00 + 200):
        twelve = str(n)
        total = sum(int(d) * (13 - i) for i, d in enumerate(twelve))
        found.setdefault(total % 11, twelve)
    assert national_id_checksum(found[1]) == 0
    assert national_id_checksum(found[0]) == 1


@pytest.mark.parametrize("written", [
    "1-1037-02071-83-8",
    "1 1037 02071 83 8",
    "  1103702071838 ",
    "1-1037-02071-838",
    "3 1010 01234 56 5",
    "5-6543-21098-76-4",
])
def test_dashes_and_spaces_are_removed(written):
    expected = "".join(ch for ch in written if ch.isdigit())
    assert normalise_national_id(written) == expected


@pytest.mark.parametrize("text", [
    "1-1037-02071-83-7",        # wrong check digit
    "1103702071839",            # wrong check digit
    "110370207183",             # 12 digits
    "11037020718388",           # 14 digits
    "1-1037-0207l-83-8",        # a letter l for a 1
    "ก103702071838",            # a Thai letter
    "0103702071830",            # starts with 0 (with the right check digit of 010370207183)
    "",
    "   ",
    None,
])
def test_invalid_national_ids_are_refused(text):
    with pytest.raises(InvalidIdentifier):
        normalise_national_id(text)


def test_a_leading_zero_is_refused_even_with_a_correct_check_digit():
    full = with_check_digit("010370207183")
    assert full == "0103702071830"
    with pytest.raises(InvalidIdentifier, match="start with 0"):
        normalise_national_id(full)
    with pytest.raises(InvalidIdentifier, match="start with 0"):
        normalise_national_id("0-1037-02071-83-0")


def test_an_id_in_thai_numerals_is_normalised_to_ascii_digits_or_refused():
    """Thai numerals (๐-๙) are written on official forms; the stored ID must be the same 13 ASCII
    digits however it was typed (it is fingerprinted to find repeats), or refused."""
    thai = "๑-๑๐๓๗-๐๒๐๗๑-๘๓-๘"  # 1-1037-02071-83-8
    try:
        normalised = normalise_national_id(thai)
    except InvalidIdentifier:
        return
    assert normalised == "1103702071838"


twelve_digits = st.from_regex(r"\A[1-9][0-9]{11}\Z")


@given(twelve_digits)
def test_any_twelve_digits_with_their_checksum_are_accepted(first_twelve):
    full = with_check_digit(first_twelve)
    assert normalise_national_id(full) == full
    dashed = f"{full[0]}-{full[1:5]}-{full[5:10]}-{full[10:12]}-{full[12]}"
    assert normalise_national_id(dashed) == full


@given(twelve_digits, st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_is_refused(first_twelve, shift):
    full = with_check_digit(first_twelve)
    wrong = full[:12] + str((int(full[12]) + shift) % 10)
    with pytest.raises(InvalidIdentifier):
        normalise_national_id(wrong)


# --- phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "081-234-5678",
    "0812345678",
    "081 234 5678",
    "(081) 234-5678",
    "081.234.5678",
    "+66 81 234 5678",
    "+66812345678",
    "+66-81-234-5678",
    "66812345678",
    "0066812345678",
    "00 66 81 234 5678",
    " 081-234-5678 ",
])
def test_one_mobile_number_written_many_ways(written):
    assert normalise_phone(written) == "+66812345678"


@pytest.mark.parametrize("written, e164", [
    ("062-345-6789", "+66623456789"),
    ("0987654321", "+66987654321"),
    ("095 111 2222", "+66951112222"),
    ("+66 92 345 6789", "+66923456789"),
])
def test_mobile_numbers_06_08_09(written, e164):
    assert normalise_phone(written) == e164


@pytest.mark.parametrize("written, e164", [
    ("02-123-4567", "+6621234567"),      # Bangkok
    ("021234567", "+6621234567"),
    ("+66 2 123 4567", "+6621234567"),
    ("6621234567", "+6621234567"),
    ("02-281-4567", "+6622814567"),
    ("053-123-456", "+6653123456"),      # Chiang Mai: 0 + 53 + 6 digits = 0 + [2-7] + 7 digits
    ("053123456", "+6653123456"),
    ("043-234-567", "+6643234567"),      # Khon Kaen
    ("074-123-456", "+6674123456"),      # Hat Yai
    ("038-123-456", "+6638123456"),      # Chonburi
])
def test_bangkok_and_provincial_landlines(written, e164):
    assert normalise_phone(written) == e164


@pytest.mark.parametrize("text", [
    "081-234-567",        # too short for a mobile, and 08 is no landline prefix
    "08123456",
    "1111",               # the government hotline: not a person's number
    "1555",
    "191",
    "081-234-56789",      # too long
    "0212345678",         # 02 + 8 digits
    "081-ABC-5678",
    "โทร 081-234-5678",
    "+1 212 555 0123",    # New York
    "+44 20 7946 0958",   # London
    "001 212 555 0123",
    "01-234-5678",        # 01 is no Thai prefix
    "0012345678",
    "",
    "   ",
    None,
])
def test_phone_numbers_that_are_refused(text):
    with pytest.raises(InvalidIdentifier):
        normalise_phone(text)


@pytest.mark.parametrize("written, e164", [
    ("๐๘๑-๒๓๔-๕๖๗๘", "+66812345678"),  # all Thai numerals
    ("08๑-๒๓๔-๕๖๗๘", "+66812345678"),  # Thai numerals after a typed 08
    ("๐๒-๑๒๓-๔๕๖๗", "+6621234567"),
])
def test_a_phone_in_thai_numerals_is_normalised_to_ascii_or_refused(written, e164):
    """The E.164 form is fingerprinted and dialled: it is ASCII digits, whatever digits were typed."""
    try:
        normalised = normalise_phone(written)
    except InvalidIdentifier:
        return
    assert normalised == e164


@pytest.mark.parametrize("e164, shown", [
    ("+66812345678", "081-234-5678"),
    ("+66987654321", "098-765-4321"),
    ("+6621234567", "02-123-4567"),
    ("+6653123456", "05-312-3456"),  # every 9-digit number is shown 0X-XXX-XXXX
])
def test_display_phone(e164, shown):
    assert display_phone(e164) == shown


@pytest.mark.parametrize("written", ["081-234-5678", "+66 2 123 4567", "053 123 456", "0066 95 111 2222"])
def test_display_of_a_normalised_number_normalises_back_to_it(written):
    e164 = normalise_phone(written)
    assert normalise_phone(display_phone(e164)) == e164


@given(st.sampled_from("689"), st.from_regex(r"\A[0-9]{8}\Z"))
def test_every_mobile_number_round_trips(second, rest):
    national = f"0{second}{rest}"
    e164 = normalise_phone(national)
    assert e164 == "+66" + national[1:]
    assert display_phone(e164).replace("-", "") == national
    assert normalise_phone(e164) == e164
