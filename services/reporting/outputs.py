"""The reports as files, for the HTTP API and the `rongtuk report` commands alike: figures counted
(report_figures.py), filled into the office's documents (reports.py) and drawn (documents.py,
workbook.py). Returns (bytes, content type, file name). Jinja2, WeasyPrint and openpyxl are imported
when a document is asked for, not when the service starts."""
from services.reporting import report_figures, reports
from services.reporting.exceptions import ReportingError
from shared.config import project_path, site_id, setting
from shared.times import local_date

PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(config):
    details = reports.office(config.get("REPORTING"))
    folder = setting(config, "REPORTING", "templates", None)
    return details, (project_path(folder) if folder else None)


def six_month_memo(session, config, period, now, site=None, thai_digits=True):
    if period.half is None:
        raise ReportingError("the six-month memo is of one half: give half=1 (October-March) or 2 (April-September)")
    from services.reporting.documents import render_pdf
    details, own = _office(config)
    figures = report_figures.figures(session, period, site, site_id(config), now)
    context = reports.six_month_memo(figures, period, details, local_date(now), thai_digits)
    return (render_pdf("six_month_memo.html", context, own, thai_digits), PDF,
            f"six-month-{period.fiscal_year}-{period.half}.pdf")


def fiscal_year_report(session, config, period, now, fmt, site=None, thai_digits=True):
    if fmt not in ("pdf", "xlsx"):
        raise ReportingError(f"the fiscal-year report is pdf or xlsx, not {str(fmt)[:10]!r}")
    details, own = _office(config)
    figures = report_figures.figures(session, period, site, site_id(config), now)
    rows = report_figures.corruption_rows(session, period, site, site_id(config),
                                          tuple(details.get("corruption_categories") or ("misconduct",)))
    corruption = reports.corruption_table(rows, details)
    name = f"fiscal-year-{period.fiscal_year}" + (f"-{period.half}" if period.half else "")
    if fmt == "xlsx":
        from services.reporting.workbook import fiscal_year_workbook
        return fiscal_year_workbook({**figures, "corruption": corruption}), XLSX, f"{name}.xlsx"
    from services.reporting.documents import render_pdf
    context = reports.fiscal_year_report(figures, period, details, corruption)
    return render_pdf("fiscal_year.html", context, own, thai_digits), PDF, f"{name}.pdf"
