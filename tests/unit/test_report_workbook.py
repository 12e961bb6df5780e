"""services/reporting/workbook.py and indicators.py: the fiscal-year workbook holds the API's figures
as numbers, one sheet per table; shares are None where nothing was counted."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from services.reporting.indicators import BY_ID, INDICATORS, change, percent
from services.reporting.workbook import fiscal_year_workbook

FIGURES = {
    "fiscal_year": 2569, "half": None, "site": "HUB",
    "period": {"from": "2025-10-01T00:00:00+07:00", "to": "2026-10-01T00:00:00+07:00"},
    "indicators": [{"id": "routed_correctly", "numerator": 45, "denominator": 48, "percent": 93.75},
                   {"id": "complete_information", "numerator": 40, "denominator": 48, "percent": 83.33},
                   {"id": "progress_on_time", "numerator": 0, "denominator": 0, "percent": None}],
    "counts": {"total": 57, "by_kind": {"1": 30, "2": 20, "3": 5, "4": 2},
               "by_category": {"public-works": 25, "service-quality": 32},
               "by_channel": {"web": 40, "hotline": 17}, "by_unit": {"ฝ่ายโยธา": 25, "สำนักปลัด": 32}},
    "corruption": [{"detail": "เรียกรับเงินเพื่อเร่งออกใบอนุญาต", "count": 2, "unit": "กลุ่มงานตรวจสอบ",
                    "outcome": "อยู่ระหว่างสอบสวน"}],
}


def sheets(data):
    book = load_workbook(BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_each_table_is_a_sheet_and_its_numbers_are_numbers():
    book = sheets(fiscal_year_workbook(FIGURES))

    assert list(book) == ["ตัวชี้วัด", "จำนวนเรื่อง", "ทุจริตและประพฤติมิชอบ"]
    indicators = book["ตัวชี้วัด"]
    assert indicators[0] == ["รหัส", "ตัวชี้วัด", "ตัวตั้ง", "ตัวหาร", "ร้อยละ"]
    assert indicators[1] == ["routed_correctly", BY_ID["routed_correctly"].thai, 45, 48, 93.75]
    assert indicators[3][2:] == [0, 0, None]  # nothing counted: no share, not 0 %
    counts = book["จำนวนเรื่อง"]
    assert counts[1] == ["ทั้งหมด", None, 57]
    assert ["ประเภท", "ข้อเสนอแนะ/สอบถาม", 30] in counts and ["ช่องทาง", "hotline", 17] in counts
    assert sum(row[2] for row in counts[2:] if row[0] == "ประเภท") == 57
    assert all(isinstance(row[2], int) for row in counts[1:])
    assert book["ทุจริตและประพฤติมิชอบ"][1] == [2569, "เรียกรับเงินเพื่อเร่งออกใบอนุญาต", 2, "กลุ่มงานตรวจสอบ",
                                                 "อยู่ระหว่างสอบสวน", None]


def test_a_year_without_corruption_complaints_says_none_as_the_seed_does():
    book = sheets(fiscal_year_workbook({**FIGURES, "corruption": []}))
    assert book["ทุจริตและประพฤติมิชอบ"][1][:3] == [2569, "ไม่มี", 0]


def test_every_indicator_has_an_id_a_thai_name_and_both_sides_written():
    assert [i.id for i in INDICATORS][:5] == ["routed_correctly", "complete_information", "progress_on_time",
                                              "followed_up", "result_documents"]
    assert all(i.thai and i.numerator and i.denominator for i in INDICATORS)


@pytest.mark.parametrize("numerator, denominator, expected", [(45, 48, 93.75), (1, 3, 33.33), (0, 5, 0.0),
                                                              (0, 0, None)])
def test_a_share_is_a_percentage_and_none_of_nothing(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_the_change_against_the_year_before():
    assert change(80, 100) == -20.0 and change(5, 0) is None


SITES = [{"site_id": "KALASIN", "total": 40, "indicators": FIGURES["indicators"]},
         {"site_id": "RATCHABURI1", "total": 17, "indicators": [{**i, "percent": None} for i in FIGURES["indicators"]]}]


def test_every_sites_report_has_a_sheet_and_a_table_per_site(tmp_path):
    from services.reporting import reports
    from services.reporting.documents import render_pdf
    from services.reporting.periods import Period
    from tests.helpers import pdf_text

    figures = {**FIGURES, "site": "*", "sites": SITES, "previous_year": {"total": 50, "change_percent": 14.0}}
    book = sheets(fiscal_year_workbook(figures))
    assert book["รายสำนักงาน"][1:] == [["KALASIN", 40, 93.75, 83.33, None], ["RATCHABURI1", 17, None, None, None]]
    assert "รายสำนักงาน" not in sheets(fiscal_year_workbook(FIGURES))  # one site's report: no such sheet

    context = reports.fiscal_year_report(figures, Period(2569, None), reports.office({}), [])
    text = "".join(pdf_text(render_pdf("fiscal_year.html", context, thai_digits=False), tmp_path).split())
    assert "ผลการดำเนินงานรายสำนักงาน" in text and "KALASIN4093.75" in text and "RATCHABURI117" in text
