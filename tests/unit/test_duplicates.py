"""services/intake/duplicates.py: repeat complaints and disputes of a result."""
import unicodedata
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.duplicates import (
    DISPUTE_REOPEN_WINDOW,
    REPEAT_WINDOW,
    SIMILAR,
    Earlier,
    dispute_action,
    find_repeat,
    similarity,
)
from shared.times import BANGKOK

ROAD = "ถนนหน้าบ้านเป็นหลุมเป็นบ่อ น้ำท่วมขังทุกครั้งที่ฝนตก ขอให้ซ่อมแซมด่วน"
ROAD_AGAIN = "ถนนหน้าบ้านเป็นหลุมเป็นบ่อ ฝนตกทีไรน้ำท่วมขังทุกครั้ง ขอให้ซ่อมแซมโดยด่วน"
ID_CARD_FEE = "เจ้าหน้าที่ที่ว่าการอำเภอเรียกเก็บเงินค่าทำบัตรประชาชนเกินอัตราที่กฎหมายกำหนด"
ID_CARD_FEE_AGAIN = "เจ้าหน้าที่ที่ว่าการอำเภอเรียกเก็บเงินค่าทำบัตรประชาชนเกินอัตรา ขอให้ตรวจสอบ"
STREET_LIGHT = "ไฟฟ้าส่องสว่างในซอยเพชรเกษม 48 ดับมาสามสัปดาห์แล้ว กลางคืนมืดมาก เกรงจะเกิดอันตราย"
NOISE = "ร้านคาราโอเกะข้างหมู่บ้านเปิดเพลงเสียงดังจนถึงตีสองทุกคืน"

NOW = datetime(2026, 11, 21, 10, 30, tzinfo=BANGKOK)


# --- similarity ------------------------------------------------------------------------------


@pytest.mark.parametrize("a, b", [(ROAD, ROAD_AGAIN), (ID_CARD_FEE, ID_CARD_FEE_AGAIN)])
def test_the_same_complaint_reworded_is_similar(a, b):
    assert similarity(a, b) >= SIMILAR
    assert similarity(a, b) > 0.7


@pytest.mark.parametrize("a, b", [(ROAD, ID_CARD_FEE), (ROAD, STREET_LIGHT), (ID_CARD_FEE, NOISE),
                                  (STREET_LIGHT, NOISE)])
def test_unrelated_complaints_are_not_similar(a, b):
    assert similarity(a, b) < 0.2


@pytest.mark.parametrize("text", [ROAD, ID_CARD_FEE, STREET_LIGHT, "Street light broken on Soi 48", "ab", "ก"])
def test_identical_text_is_1(text):
    assert similarity(text, text) == 1.0


@pytest.mark.parametrize("a, b", [("", ""), ("", ROAD), (ROAD, ""), ("   \n\t", ROAD)])
def test_empty_text_is_0(a, b):
    assert similarity(a, b) == 0.0


def test_spaces_case_and_line_breaks_do_not_count():
    assert similarity("ถนน ชำรุด\nหน้า บ้าน", "ถนนชำรุดหน้าบ้าน") == 1.0
    assert similarity("Broken STREET light", "broken street light") == 1.0


def test_decomposed_and_composed_thai_compare_equal():
    # NFC-normalised first: a vowel + tone mark typed in either order of combining marks
    composed = "น้ำท่วมขัง"
    decomposed = unicodedata.normalize("NFD", composed)
    assert similarity(composed, decomposed) == 1.0


@given(st.text(max_size=60), st.text(max_size=60))
def test_similarity_is_symmetric_and_between_0_and_1(a, b):
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


# --- find_repeat -----------------------------------------------------------------------------


def earlier(days_ago, text, number):
    return Earlier(case_id=f"case-{number}", tracking_number=f"HUB-2570-{number:06d}",
                   received_at=NOW - timedelta(days=days_ago), text=text)


def test_a_similar_complaint_within_30_days_is_a_repeat():
    first = earlier(10, ROAD, 41)
    assert find_repeat(ROAD_AGAIN, NOW, [first]) == first


def test_exactly_30_days_is_still_within_the_window():
    first = earlier(30, ROAD, 41)
    assert REPEAT_WINDOW == timedelta(days=30)
    assert find_repeat(ROAD_AGAIN, NOW, [first]) == first


def test_31_days_ago_is_not_a_repeat():
    assert find_repeat(ROAD_AGAIN, NOW, [earlier(31, ROAD, 41)]) is None


def test_a_case_dated_after_the_new_one_is_ignored():
    later = Earlier("case-later", "HUB-2570-000050", NOW + timedelta(hours=1), ROAD)
    assert find_repeat(ROAD_AGAIN, NOW, [later]) is None


def test_a_dissimilar_earlier_complaint_is_not_a_repeat():
    assert find_repeat(ROAD_AGAIN, NOW, [earlier(3, ID_CARD_FEE, 7), earlier(5, NOISE, 8)]) is None


def test_the_most_similar_earlier_case_is_picked():
    loosely = earlier(2, "ถนนหน้าบ้านเป็นหลุมเป็นบ่อ ขอให้ส่งเจ้าหน้าที่มาดูและซ่อมแซม รถจักรยานยนต์ล้มบ่อยมาก", 11)
    closely = earlier(20, ROAD, 12)
    unrelated = earlier(1, STREET_LIGHT, 13)
    assert similarity(ROAD_AGAIN, closely.text) > similarity(ROAD_AGAIN, loosely.text)
    for order in ([loosely, closely, unrelated], [closely, unrelated, loosely], [unrelated, loosely, closely]):
        assert find_repeat(ROAD_AGAIN, NOW, order) == closely


def test_no_earlier_cases_no_repeat():
    assert find_repeat(ROAD, NOW, []) is None


# --- dispute_action --------------------------------------------------------------------------


@pytest.mark.parametrize("closed_days_ago", [0, 1, 5, 89, 90])
def test_a_case_closed_within_90_days_is_reopened(closed_days_ago):
    assert DISPUTE_REOPEN_WINDOW == timedelta(days=90)
    assert dispute_action("closed", NOW - timedelta(days=closed_days_ago), NOW) == "reopen"


@pytest.mark.parametrize("closed_days_ago", [91, 365])
def test_a_case_closed_longer_ago_gets_a_new_linked_case(closed_days_ago):
    assert dispute_action("closed", NOW - timedelta(days=closed_days_ago), NOW) == "link"


@pytest.mark.parametrize("status", ["received", "routed", "reopened"])
def test_a_case_not_closed_gets_a_new_linked_case(status):
    assert dispute_action(status, None, NOW) == "link"
    assert dispute_action(status, NOW - timedelta(days=3), NOW) == "link"


def test_a_closed_case_without_a_closing_time_gets_a_new_linked_case():
    assert dispute_action("closed", None, NOW) == "link"
