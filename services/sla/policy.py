"""The service standard of a site: its targets, when to warn, and who is escalated to, and when.

Plain rules: from a clock's start and deadline they give the steps that must happen, each at
its true time, so a sweep that runs late still stamps every step with the moment it was due.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.sla.calendar import RESOLUTION_TARGETS, closing_time, opening_time

from shared.times import BANGKOK

BUSINESS_DAY_TARGETS = ("resolution", "forward_answer")


@dataclass(frozen=True)
class Escalation:
    role: str
    after_business_days: int


@dataclass(frozen=True)
class Step:
    index: int          # 0 warning, 1 breach, 2.. escalations
    name: str           # warning | breach | escalation
    at: datetime
    role: str = ""
    number: int = 0     # escalation step number, from 1


DEFAULT_ESCALATIONS = (Escalation("unit_head", 1), Escalation("office_director", 3),
                       Escalation("complaint_committee", 5))


@dataclass(frozen=True)
class SlaPolicy:
    resolution_days: dict = field(default_factory=lambda: dict(RESOLUTION_TARGETS))
    first_notice_days: int = 15          # calendar days to the first progress notice
    warn_share: float | None = None      # None: warn when the last business day begins
    escalations: tuple = DEFAULT_ESCALATIONS

    @classmethod
    def from_config(cls, section):
        section = section or {}
        targets = {int(k): int(v) for k, v in (section.get("resolution_days") or RESOLUTION_TARGETS).items()}
        escalations = tuple(Escalation(str(e["role"]), int(e["after_business_days"]))
                            for e in section.get("escalations", [
                                {"role": e.role, "after_business_days": e.after_business_days}
                                for e in DEFAULT_ESCALATIONS]))
        if any(e.after_business_days < 0 for e in escalations):
            raise ValueError("escalation after_business_days must be >= 0")
        share = section.get("warn_share")
        if share is not None and not 0 < float(share) < 1:
            raise ValueError("warn_share must be between 0 and 1")
        return cls(resolution_days=targets, first_notice_days=int(section.get("first_notice_days", 15)),
                   warn_share=None if share is None else float(share),
                   escalations=tuple(sorted(escalations, key=lambda e: e.after_business_days)))

    def target_days(self, target, kind):
        if target in BUSINESS_DAY_TARGETS:
            try:
                return self.resolution_days[kind]
            except KeyError:
                raise ValueError(f"no target for kind {kind!r}") from None
        if target == "first_notice":
            return self.first_notice_days
        raise ValueError(f"unknown target {target!r}")

    def deadline(self, calendar, target, kind, started_at, paused_business_days=0):
        """The clock's deadline: business days for resolution (pauses added), calendar days for notice."""
        days = self.target_days(target, kind)
        if target in BUSINESS_DAY_TARGETS:
            return calendar.deadline(started_at, days + paused_business_days)
        return started_at.astimezone(BANGKOK) + timedelta(days=days)

    def steps(self, calendar, target, started_at, due_at):
        """Every step of a clock in order, each at its true time."""
        if target in BUSINESS_DAY_TARGETS:
            if self.warn_share is not None:
                total = calendar.business_seconds_between(started_at, due_at)
                warn_at = calendar.add_business_seconds(started_at, int(total * self.warn_share))
            else:
                warn_at = opening_time(due_at.astimezone(BANGKOK).date())
        else:
            warn_at = due_at - timedelta(days=1)
        steps = [Step(0, "warning", max(warn_at, started_at)), Step(1, "breach", due_at)]
        if target in BUSINESS_DAY_TARGETS:
            due_day = due_at.astimezone(BANGKOK).date()
            for number, escalation in enumerate(self.escalations, start=1):
                at = closing_time(calendar.add_business_days(due_day, escalation.after_business_days))
                steps.append(Step(1 + number, "escalation", max(at, due_at), escalation.role, number))
        return steps


def time_left(calendar, target, now, due_at):
    """Seconds left (negative when late): office-hours seconds for business-day targets."""
    if target in BUSINESS_DAY_TARGETS:
        return calendar.business_seconds_between(now, due_at)
    return int((due_at - now).total_seconds())


def business_days_left(calendar, now, due_at):
    """Whole business days from `now`'s day to the deadline's day, as a unit reads its list: 0 when it
    is due today, 1 tomorrow (the next business day), and so on; once it has passed, minus the business
    days since its day (at least 1: due at 16:30 and it is 17:00, it is late)."""
    today, due_day = now.astimezone(BANGKOK).date(), due_at.astimezone(BANGKOK).date()
    if due_at > now:
        return _business_days_after(calendar, today, due_day)
    return -max(1, _business_days_after(calendar, due_day, today))


def _business_days_after(calendar, first, last):
    """The business days d with first < d <= last."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        count += calendar.is_business_day(day)
    return count


def describe_time_left(seconds, business=True):
    """In Thai, as a person reads it: 'เหลือ 2 วันทำการ 3 ชั่วโมง' or 'เกินกำหนด 1 ชั่วโมง'."""
    day = 8 * 3600 if business else 24 * 3600
    prefix = "เหลือ" if seconds >= 0 else "เกินกำหนด"
    seconds = abs(seconds)
    days, rest = divmod(seconds, day)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} {'วันทำการ' if business else 'วัน'}")
    if hours:
        parts.append(f"{hours} ชั่วโมง")
    if minutes and not days:
        parts.append(f"{minutes} นาที")
    return f"{prefix} {' '.join(parts) or '0 นาที'}"
