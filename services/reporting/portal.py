"""The executives' page of the web portal (/officer/figures): the indicators and counts of a period by
site, unit, kind and channel, as bar charts and tables, and the reports to download. Reporting serves
it, as it serves the figures' API; the officer is the portal's session cookie (shared/pages.py), which
intake, keeper of sessions, checks and puts on the audit log, as it does for the API's bearer tokens.
"""
from datetime import datetime, timedelta
from pathlib import Path

from services.reporting import report_figures
from services.reporting.exceptions import ReportingError
from services.reporting.indicators import BY_ID
from services.reporting.periods import PeriodError, parse_period, period_of
from shared.config import site_id
from shared.pages import CHANNEL_TH, KIND_TH, SESSION_COOKIE, Pages, page, unit_names
from shared.rpc import RpcTimeout, call_with_timeout, rpc_timeout
from shared.times import utcnow


TEMPLATES = Path(__file__).resolve().parent / "templates" / "portal"


def bars(counts, names=None):
    """[(label, number, width step 0-100 by 5)] of a {key: number} count, largest first."""
    top = max(counts.values(), default=0)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [((names or {}).get(key, key if key != "none" else "ไม่ระบุ"), number,
             int(round(number * 20 / top)) * 5 if top else 0) for key, number in rows]


class FiguresPages:
    """Mixed into ReportingService."""

    def _figures_officer(self, request):
        """(officer {name}, None) for an officer the policy lets read the figures, else (None, a page)."""
        pages = Pages(TEMPLATES, config=self.config)
        token = request.cookies.get(SESSION_COOKIE)
        if not token:
            return None, pages.redirect(request, "/login")
        answer = call_with_timeout(self.intake.authorize, f"Bearer {token}", None, "read_figures",
                                   timeout=rpc_timeout(self.config))
        if answer["status"] == 401:
            return None, pages.redirect(request, "/login")
        if answer["status"] != 200:
            officer = {"name": answer.get("officer", ""), "role": answer.get("role", "")}
            return None, pages.page(request, "error.html", 403, officer=officer, title="ไม่มีสิทธิ์ดูตัวชี้วัด",
                                    message="บทบาทของท่านไม่มีสิทธิ์ดูตัวชี้วัดและรายงาน "
                                            "การเข้าถึงครั้งนี้ถูกบันทึกไว้แล้ว")
        return {"name": answer["officer"], "role": answer.get("role", "")}, None

    @page("GET", "/officer/figures")
    def figures_page(self, request):
        officer, away = self._figures_officer(request)
        if away:
            return away
        pages = Pages(TEMPLATES, config=self.config)
        args = request.args
        now = utcnow()
        current = period_of(now)
        try:
            period = parse_period(args.get("fiscal_year") or current.fiscal_year, args.get("half") or None)
            with self.db.reading() as session:
                figures = report_figures.figures(session, period, args.get("site") or None, site_id(self.config), now,
                                                 unit=(args.get("unit") or "").strip()[:64] or None)
        except (PeriodError, ReportingError) as exc:
            return pages.page(request, "figures.html", 400, officer=officer, figures=None, problem=str(exc),
                              args=args, current=current, charts={}, indicators=[])
        counts = figures["counts"]
        charts = {"ตามประเภทเรื่อง": bars(counts["by_kind"], {str(k): v for k, v in KIND_TH.items()}),
                  "ตามช่องทาง": bars(counts["by_channel"], CHANNEL_TH),
                  "ตามหน่วยงาน": bars(counts["by_unit"], self._unit_names()),
                  "ตามหมวดเรื่อง": bars(counts["by_category"])}
        if "by_site" in counts:
            charts["ตามสำนักงาน"] = bars(counts["by_site"])
        indicators = [{**i, "thai": BY_ID[i["id"]].thai if i["id"] in BY_ID else i["id"]}
                      for i in figures["indicators"]]
        until = (datetime.fromisoformat(figures["period"]["to"]) - timedelta(days=1)).date().isoformat()
        return pages.page(request, "figures.html", officer=officer, figures=figures, problem=None, args=args,
                          current=current, charts=charts, indicators=indicators, until=until)

    def _unit_names(self):
        """{unit id: Thai name} of this site's directory (routing's); {} if routing does not answer in
        time: the page then names units by their ids."""
        try:
            directory = call_with_timeout(self.routing.directory, timeout=rpc_timeout(self.config))
        except RpcTimeout:
            return {}
        return unit_names(directory)

    @page("GET", "/officer/reports/six-month.pdf")
    def figures_six_month(self, request):
        _officer, away = self._figures_officer(request)
        return away if away is not None else self._report_file(request, "six-month", "pdf")

    @page("GET", "/officer/reports/fiscal-year.<any(pdf,xlsx):fmt>")
    def figures_fiscal_year(self, request, fmt):
        _officer, away = self._figures_officer(request)
        return away if away is not None else self._report_file(request, "fiscal-year", fmt)
