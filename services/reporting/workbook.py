"""The fiscal-year report as an XLSX workbook (openpyxl): one sheet per table, numbers as numbers.

It is written from the figures as the indicators API gives them (issue 12's
`{"fiscal_year", "period", "indicators", "counts", "corruption"}`), so that the workbook and the API
always agree. Sheet and column names are in Thai, as the office files them.
"""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from services.reporting.indicators import BY_ID

PERCENT = "0.00"
BOLD = Font(bold=True)
COUNTS = (("by_kind", "ประเภท"), ("by_category", "เรื่อง"), ("by_channel", "ช่องทาง"), ("by_unit", "หน่วยงาน"))
KIND_NAMES = {"1": "ข้อเสนอแนะ/สอบถาม", "2": "ร้องเรียนทั่วไป", "3": "ร้องเรียนร้ายแรง", "4": "ฟ้องร้อง/สื่อ/ผู้บังคับบัญชา"}


def fiscal_year_workbook(figures) -> bytes:
    """The workbook's bytes: sheets ตัวชี้วัด (indicators), จำนวนเรื่อง (counts by kind, subject,
    channel and unit), ทุจริตและประพฤติมิชอบ (seed 003 s.12's table) and, for every site (site=*),
    รายสำนักงาน (each site's total and indicators)."""
    book = Workbook()
    _indicators(book.active, figures)
    _counts(book.create_sheet("จำนวนเรื่อง"), figures)
    _corruption(book.create_sheet("ทุจริตและประพฤติมิชอบ"), figures)
    if figures.get("sites"):
        _sites(book.create_sheet("รายสำนักงาน"), figures)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _indicators(sheet, figures):
    sheet.title = "ตัวชี้วัด"
    _header(sheet, ("รหัส", "ตัวชี้วัด", "ตัวตั้ง", "ตัวหาร", "ร้อยละ"))
    for row in figures["indicators"]:
        indicator = BY_ID.get(row["id"])
        sheet.append([row["id"], indicator.thai if indicator else row["id"], row["numerator"], row["denominator"],
                      row["percent"]])
        sheet.cell(sheet.max_row, 5).number_format = PERCENT
    _widths(sheet, (22, 70, 10, 10, 10))


def _counts(sheet, figures):
    counts = figures["counts"]
    _header(sheet, ("จำแนกตาม", "รายการ", "จำนวนเรื่อง"))
    sheet.append(["ทั้งหมด", "", counts["total"]])
    for key, thai in COUNTS:
        for name, number in sorted(counts.get(key, {}).items(), key=lambda item: (-item[1], str(item[0]))):
            label = KIND_NAMES.get(str(name), str(name)) if key == "by_kind" else str(name)
            sheet.append([thai, label, number])
    _widths(sheet, (14, 50, 14))


def _corruption(sheet, figures):
    _header(sheet, ("ปีงบประมาณ", "รายละเอียดเรื่องร้องเรียน", "จำนวนเรื่องร้องเรียน", "กลุ่มงานที่รับผิดชอบ",
                    "ผลการดำเนินการ", "หมายเหตุ"))
    rows = figures.get("corruption") or []
    if not rows:
        sheet.append([figures["fiscal_year"], "ไม่มี", 0, "", "", ""])
    for row in rows:
        sheet.append([figures["fiscal_year"], row["detail"], row["count"], row.get("unit") or "",
                      row.get("outcome") or "", row.get("note") or ""])
    _widths(sheet, (12, 60, 18, 30, 30, 20))


def _sites(sheet, figures):
    """Each site's total and indicators (the report of every site, site=*): a row per site."""
    ids = [row["id"] for row in figures["indicators"]]
    _header(sheet, ("สำนักงาน", "จำนวนเรื่อง", *[f"{BY_ID[i].thai} (ร้อยละ)" for i in ids]))
    for site in figures["sites"]:
        sheet.append([site["site_id"], site["total"], *[i["percent"] for i in site["indicators"]]])
        for column in range(3, 3 + len(ids)):
            sheet.cell(sheet.max_row, column).number_format = PERCENT
    _widths(sheet, (16, 12, *([18] * len(ids))))


def _header(sheet, names):
    sheet.append(list(names))
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"


def _widths(sheet, widths):
    for column, width in zip("ABCDEFGHIJKL", widths):
        sheet.column_dimensions[column].width = width
