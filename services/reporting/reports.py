"""The office's reports: what goes into the six-month memo and the fiscal-year report, from the
figures (report_figures.py) and the office's own details (the REPORTING section of the config).
A plain module: it builds the documents' contexts; documents.py and workbook.py draw them.
"""
from datetime import date

from services.reporting.indicators import BY_ID
from services.reporting.periods import thai_date

DEFAULT_OFFICE = {
    "office": "ศูนย์รับเรื่องร้องเรียน", "unit": "", "phone": "", "reference": "", "to": "หัวหน้าส่วนราชการ",
    "signatures": [], "category_names": {"misconduct": "การทุจริตหรือประพฤติมิชอบของเจ้าหน้าที่"},
    "corruption_categories": ["misconduct"],
}


def office(settings):
    """The office's details from the REPORTING section (missing ones from DEFAULT_OFFICE)."""
    return {**DEFAULT_OFFICE, **{k: v for k, v in (settings or {}).items() if v is not None}}


def corruption_table(rows, details):
    """s.12's rows as the documents and the workbook show them."""
    names = details.get("category_names") or {}
    return [{"detail": names.get(row["category"], row["category"]), "count": row["count"],
             "unit": row["unit"] or "", "outcome": f"ดำเนินการแล้วเสร็จ {row['answered']} เรื่อง"
                                                   + (f" อยู่ระหว่างดำเนินการ {row['open']} เรื่อง" if row["open"] else ""),
             "note": ""} for row in rows]


def six_month_memo(figures, period, details, today: date, thai_digits=True):
    """The context of templates/six_month_memo.html."""
    shares = {i["id"]: i for i in figures["indicators"]}
    total = figures["counts"]["total"]
    first, last = period.first_day, period.last_day
    span = f"{thai_date(first, thai_digits, short=True)} - {thai_date(last, thai_digits, short=True)}"
    rows = [{"detail": "เรื่องร้องเรียนที่ได้รับ", "result": total}]
    answered = shares["answered"]
    rows.append({"detail": "ได้รับการตอบสนอง (ร้อยละ)", "result": _share(answered), "unit": ""})
    for name in ("routed_correctly", "complete_information", "progress_on_time", "followed_up", "result_documents",
                 "on_time"):
        rows.append({"detail": f"{BY_ID[name].thai} (ร้อยละ)", "result": _share(shares[name]), "unit": ""})
    for kind, count in sorted(figures["counts"]["by_kind"].items()):
        rows.append({"detail": f"ประเภทที่ {kind}", "result": count})
    return {
        "office": details["office"], "unit": details["unit"], "phone": details["phone"],
        "reference": details["reference"], "date": today, "to": details["to"],
        "subject": f"รายงานผลการดำเนินงานจัดการข้อร้องเรียน {period.name(thai_digits=False)}",
        "period_span": span,
        "background": "ตามคู่มือการจัดการข้อร้องเรียน กำหนดให้รายงานผลการดำเนินงานจัดการข้อร้องเรียนต่อผู้บริหารทุกหกเดือน",
        "facts": (f"ในห้วง{period.name(thai_digits=False)} มีผลการดำเนินงาน ดังนี้" if total else
                  f"ในห้วง{period.name(thai_digits=False)} ไม่มีการร้องเรียน"),
        "total": total, "rows": rows,
        "proposal": "เห็นควรนำเรียนเพื่อโปรดทราบ",
        "signatures": details.get("signatures") or [],
    }


def _share(indicator):
    percent = indicator["percent"]
    return "-" if percent is None else f"{percent:.2f} ({indicator['numerator']}/{indicator['denominator']})"


COUNT_NAMES = (("by_kind", "ประเภท"), ("by_category", "เรื่อง"), ("by_channel", "ช่องทาง"), ("by_unit", "หน่วยงาน"))


def fiscal_year_report(figures, period, details, corruption):
    """The context of templates/fiscal_year.html (and, with `corruption`, of the workbook)."""
    counts = figures["counts"]
    return {
        "title": f"รายงานผลการดำเนินงานจัดการข้อร้องเรียน {period.name(thai_digits=False)}",
        "office": details["office"], "fiscal_year": period.fiscal_year,
        "period_span": f"{thai_date(period.first_day, False)} - {thai_date(period.last_day, False)}",
        "indicators": [{**row, "thai": BY_ID[row["id"]].thai} for row in figures["indicators"]],
        "total": counts["total"], "previous_total": figures["previous_year"]["total"],
        "change": figures["previous_year"]["change_percent"],
        "counts": [{"name": thai, "rows": sorted(counts[key].items(), key=lambda item: (-item[1], item[0]))}
                   for key, thai in COUNT_NAMES],
        "corruption": corruption,
        "indicator_names": [(row["id"], BY_ID[row["id"]].thai) for row in figures["indicators"]],
        "sites": [{"site_id": site["site_id"], "total": site["total"],
                   "percents": [i["percent"] for i in site["indicators"]]} for site in figures.get("sites") or []],
    }
