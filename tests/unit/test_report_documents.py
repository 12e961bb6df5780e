"""services/reporting/documents.py: the six-month memo as PDF, its text read back as pdftotext reads it
and its first page drawn to PNG (poppler-utils), in the Thai font .ci/run installs."""
import subprocess
from datetime import date

import pytest

from services.reporting.documents import DocumentError, render_html, render_pdf
from services.reporting.periods import Period
from tests.helpers import pdf_text, poppler

MEMO = dict(
    office="สำนักงานจังหวัดกาฬสินธุ์", unit="กลุ่มงานอำนวยการ", phone="0 4381 1584", reference="กส 0017.1/123",
    date=date(2026, 4, 15), subject="รายงานผลการดำเนินงานจัดการข้อร้องเรียน " + Period(2569, 1).name(thai_digits=False),
    to="ผู้ว่าราชการจังหวัดกาฬสินธุ์", period_span="ต.ค. 2568 - มี.ค. 2569",
    background="ตามที่สำนักงานจังหวัดได้จัดตั้งศูนย์รับเรื่องร้องเรียน และต้องรายงานผลทุกหกเดือน",
    facts="ในห้วงเดือนตุลาคม 2568 ถึงเดือนมีนาคม 2569 ศูนย์ได้รับเรื่องร้องเรียน ดังนี้",
    total=1234, rows=[{"detail": "เรื่องร้องเรียนทั้งหมด", "result": 1234},
                      {"detail": "ดำเนินการแล้วเสร็จ", "result": 1200},
                      {"detail": "ร้อยละของเรื่องที่ตอบได้", "result": "97.24", "unit": ""}],
    proposal="เห็นควรนำเรียนผู้ว่าราชการจังหวัดเพื่อโปรดทราบ",
    signatures=[{"name": "นางสาวสมหญิง ใจดี", "position": "นักจัดการงานทั่วไปชำนาญการ"}])


def test_the_memo_reads_back_as_written_with_thai_digits_and_the_figures(tmp_path):
    text = pdf_text(render_pdf("six_month_memo.html", MEMO), tmp_path)

    for words in ("บันทึกข้อความ", "ส่วนราชการ สำนักงานจังหวัดกาฬสินธุ์ กลุ่มงานอำนวยการ", "ที่ กส ๐๐๑๗.๑/๑๒๓",
                  "วันที่ ๑๕ เมษายน ๒๕๖๙", "เรื่อง รายงานผลการดำเนินงานจัดการข้อร้องเรียน ปีงบประมาณ พ.ศ.",
                  "ครึ่งปีแรก (ตุลาคม ๒๕๖๘ - มีนาคม ๒๕๖๙)", "เรียน ผู้ว่าราชการจังหวัดกาฬสินธุ์",
                  "๑. ต้นเรื่อง", "๒. ข้อเท็จจริง", "๓. ข้อเสนอ", "จึงเรียนมาเพื่อโปรดทราบ",
                  "เรื่องร้องเรียนทั้งหมด ๑,๒๓๔ เรื่อง", "ดำเนินการแล้วเสร็จ ๑,๒๐๐ เรื่อง", "๙๗.๒๔"):
        assert words in text, words
    assert "1,234" not in text and "2569" not in text  # Thai digits throughout


def test_arabic_digits_by_option_and_no_complaints_is_a_result(tmp_path):
    memo = {**MEMO, "total": 0, "rows": []}
    text = pdf_text(render_pdf("six_month_memo.html", memo, thai_digits=False), tmp_path)

    assert "วันที่ 15 เมษายน 2569" in text and "ไม่มีการร้องเรียน" in text
    assert "๒๕๖๙" not in text


def test_the_first_page_is_drawn_with_ink_where_the_heading_is(tmp_path):
    (tmp_path / "memo.pdf").write_bytes(render_pdf("six_month_memo.html", MEMO))
    subprocess.run([poppler("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", "-gray",
                    str(tmp_path / "memo.pdf"), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000  # a page with text on it, kept in tmp_path


def test_an_office_template_is_used_before_the_shipped_one(tmp_path):
    (tmp_path / "six_month_memo.html").write_text("<p>{{ office }} {{ date | date }}</p>", encoding="utf-8")
    assert render_html("six_month_memo.html", MEMO, own_folder=tmp_path) == "<p>สำนักงานจังหวัดกาฬสินธุ์ ๑๕ เมษายน ๒๕๖๙</p>"


def test_a_missing_figure_or_template_is_named():
    with pytest.raises(DocumentError, match="'total' is undefined"):
        render_html("six_month_memo.html", {k: v for k, v in MEMO.items() if k != "total"})
    with pytest.raises(DocumentError, match="no template nothing.html"):
        render_html("nothing.html", MEMO)
