"""The indicators and counts of a period, counted in SQL over case_figures (docs/reports.md).

One aggregate query gives every indicator's numerator and denominator, one grouped query per count;
no case is read into Python. A case belongs to the period of the Bangkok day it was received on.
"""
from sqlalchemy import and_, case, func, not_, or_, select, true

from services.reporting.exceptions import ReportingError
from services.reporting.indicators import change, percent
from services.reporting.models import case_figures as f
from shared.times import local_iso

ALL_SITES = "*"
ROUTED = and_(f.c.routed_at.is_not(None), not_(f.c.answered_from_kb))
NEEDED_CHASING = or_(f.c.warnings > 0, f.c.breaches > 0)
RESOLVED = f.c.resolution_outcome.in_(("met", "late"))


def _shares(now):
    """(id, numerator condition, denominator condition) of each indicator, in INDICATORS' order."""
    notice_due = and_(f.c.has_contact, f.c.first_notice_due_at.is_not(None),
                      or_(f.c.first_notice_outcome.in_(("met", "late")),
                          and_(f.c.first_notice_outcome.is_(None), f.c.first_notice_due_at <= now)))
    return (
        ("routed_correctly", and_(ROUTED, not_(f.c.rerouted)), ROUTED),
        ("complete_information", and_(ROUTED, not_(f.c.info_requested)), ROUTED),
        ("progress_on_time", and_(notice_due, f.c.first_notice_outcome == "met"), notice_due),
        ("followed_up", and_(NEEDED_CHASING, f.c.escalations > 0), NEEDED_CHASING),
        ("result_documents", and_(f.c.answered_by_unit, f.c.result_documents > 0), f.c.answered_by_unit),
        ("answered", or_(f.c.answered_from_kb, f.c.answered_by_unit), true()),
        ("on_time", and_(RESOLVED, f.c.resolution_outcome == "met"), RESOLVED),
    )


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def known_sites(session):
    return set(session.execute(select(f.c.site_id).distinct()).scalars())


def figures(session, period, site, this_site, now, unit=None):
    """The API's answer for `period` (services/reporting/periods.Period): indicators and counts of
    `site` (this_site by default, ALL_SITES for every site reporting has heard of), of one unit if
    `unit` is given (the case's final unit). Raises ReportingError for a site it has never heard of."""
    site = (site or this_site).strip().upper() if site != ALL_SITES else ALL_SITES
    if site not in (ALL_SITES, this_site) and site not in known_sites(session):
        raise ReportingError(f"no site {site[:32]!r}: reporting has no case of it")
    where = _where(period.start, period.end, site, unit)
    shares = _shares(now)
    row = session.execute(select(*[_count(and_(num, den)) for _, num, den in shares],
                                 *[_count(den) for _, _, den in shares]).where(where)).one()
    n = len(shares)
    indicators = [{"id": name, "numerator": int(row[i]), "denominator": int(row[n + i]),
                   "percent": percent(int(row[i]), int(row[n + i]))} for i, (name, _, _) in enumerate(shares)]
    counts = {"total": _total(session, where)}
    for name, column in (("by_kind", f.c.kind), ("by_category", f.c.category), ("by_channel", f.c.channel),
                         ("by_unit", f.c.unit_id)):
        counts[name] = {("none" if key is None else str(key)): int(number) for key, number in session.execute(
            select(column, func.count()).where(where).group_by(column)).all()}
    previous = period.previous_year()
    before = _total(session, _where(previous.start, previous.end, site, unit))
    on_time_by_kind = {str(kind): {"numerator": int(met), "denominator": int(resolved), "percent": percent(met, resolved)}
                       for kind, met, resolved in session.execute(
                           select(f.c.kind, _count(f.c.resolution_outcome == "met"), _count(RESOLVED))
                           .where(and_(where, f.c.kind.is_not(None))).group_by(f.c.kind)).all()}
    answer = {"fiscal_year": period.fiscal_year, "half": period.half, "site": site, "unit": unit,
              "period": {"from": local_iso(period.start), "to": local_iso(period.end)},
              "indicators": indicators, "on_time_by_kind": on_time_by_kind, "counts": counts,
              "satisfaction": satisfaction(session, where),
              "previous_year": {"total": before, "change_percent": change(counts["total"], before)}}
    if site == ALL_SITES:
        answer["sites"] = by_site(session, where, shares)
    return answer


def satisfaction(session, where):
    """How satisfied the complainants who rated their answered case said they are: how many rated, the
    mean score (1-5, two decimals), how many gave each score, and the share satisfied (4 or 5)."""
    rows = dict(session.execute(select(f.c.satisfaction, func.count()).where(
        and_(where, f.c.satisfaction.is_not(None))).group_by(f.c.satisfaction)).all())
    rated = sum(rows.values())
    total = sum(score * number for score, number in rows.items())
    satisfied = sum(number for score, number in rows.items() if score >= 4)
    return {"rated": rated, "average": round(total / rated, 2) if rated else None,
            "by_score": {str(score): int(rows.get(score, 0)) for score in range(1, 6)},
            "satisfied": {"numerator": satisfied, "denominator": rated, "percent": percent(satisfied, rated)}}


def by_site(session, where, shares):
    """Every site's total and indicators (for site=*: the hub's table per district), one grouped query."""
    n = len(shares)
    rows = session.execute(select(f.c.site_id, func.count(), *[_count(and_(num, den)) for _, num, den in shares],
                                  *[_count(den) for _, _, den in shares])
                           .where(where).group_by(f.c.site_id).order_by(f.c.site_id)).all()
    return [{"site_id": row[0], "total": int(row[1]), "indicators": [
        {"id": name, "numerator": int(row[2 + i]), "denominator": int(row[2 + n + i]),
         "percent": percent(int(row[2 + i]), int(row[2 + n + i]))} for i, (name, _, _) in enumerate(shares)]}
        for row in rows]


def _where(start, end, site, unit):
    conditions = [f.c.received_at >= start, f.c.received_at < end]
    if site != ALL_SITES:
        conditions.append(f.c.site_id == site)
    if unit:
        conditions.append(f.c.unit_id == unit)
    return and_(*conditions)


def _total(session, where):
    return int(session.execute(select(func.count()).select_from(f).where(where)).scalar_one())


def corruption_rows(session, period, site, this_site, categories=("misconduct",)):
    """Seed 003 s.12's table: the period's complaints of corruption and misconduct (the subjects
    `categories`), a row per subject and unit: how many, how many answered, how many still open."""
    site = this_site if not site else (ALL_SITES if site == ALL_SITES else site.strip().upper())
    answered = or_(f.c.answered_by_unit, f.c.answered_from_kb)
    rows = session.execute(
        select(f.c.category, f.c.unit_id, func.count(), _count(answered))
        .where(and_(_where(period.start, period.end, site, None), f.c.category.in_(list(categories))))
        .group_by(f.c.category, f.c.unit_id).order_by(f.c.category, f.c.unit_id)).all()
    return [{"category": category, "unit": unit, "count": int(count), "answered": int(done),
             "open": int(count) - int(done)} for category, unit, count, done in rows]
