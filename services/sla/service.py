"""sla: deadlines on the Thai government calendar, warnings, breaches and escalation."""
from datetime import datetime

from nameko.dependency_providers import Config

from services.sla import calendars, clocks
from services.sla.dependencies import Clock, PolicyProvider, SlaGauges
from services.sla.exceptions import CalendarError
from services.sla.metrics import record_stopped
from shared.actors import ActingOfficer, Forbidden
from shared.config import setting
from shared.delivery import event_handler
from shared.health import Health
from shared.metrics import Metrics
from shared.policy import ALLOW
from shared.rpc import rpc
from shared.store import Database
from shared.timers import configured_timer
from shared.times import BANGKOK


class SlaService:
    name = "sla"

    db = Database()
    metrics = Metrics()
    health = Health()
    clock = Clock()
    policy = PolicyProvider()
    gauges = SlaGauges()  # the SLA figures on /metrics, counted by the database at scrape time
    config = Config()
    acting = ActingOfficer()  # who changes the calendar: an administrator, in the call's context

    @event_handler("routing", "case_routed")
    def start_clock(self, event):
        self.db.handle(event, clocks.start_clocks, self.policy)

    @event_handler("routing", "case_rerouted")
    def move_clocks(self, event):
        self.db.handle(event, clocks.move_to_unit)

    @event_handler("routing", "case_kind_changed")
    def retime_for_kind(self, event):
        self.db.handle(event, clocks.kind_changed, self.policy)

    @event_handler("routing", "case_info_requested")
    def pause_for_complainant(self, event):
        self.db.handle(event, clocks.pause_for_information)

    @event_handler("routing", "case_info_received")
    def resume_after_complainant(self, event):
        self.db.handle(event, clocks.resume_after_information, self.policy)

    @event_handler("intake", "case_received")
    def waive_first_notice_of_referrals(self, event):
        self.db.handle(event, clocks.waive_first_notice)

    @event_handler("routing", "case_forwarded")
    def start_forward_clock(self, event):
        self.db.handle(event, clocks.start_forward_clock, self.policy)

    @event_handler("routing", "case_answered")
    def stop_on_answer(self, event):
        record_stopped(self.db.handle(event, clocks.stop_on_answer) or [])

    @event_handler("notify", "notification_recorded")
    def meet_first_notice(self, event):
        """A progress notice delivered to the complainant meets the first-notice clock."""
        record_stopped(self.db.handle(event, clocks.progress_told) or [])

    @event_handler("intake", "case_reopened")
    def reopen_clocks_on_dispute(self, event):
        self.db.handle(event, clocks.reopen_disputed, self.policy)

    @configured_timer("SLA", "sweep_interval", default=15, eager=True)
    def sweep(self):
        """Fire what has come due, batch after batch; a service that was down catches up here."""
        limit = int(setting(self.config, "SLA", "sweep_batch", 500))
        while True:
            fired = self.db.run(clocks.sweep, self.clock(), self.policy, limit)
            if len(fired) < limit:
                return

    @rpc
    def case_clocks(self, case_id):
        with self.db.reading() as session:
            return clocks.case_clocks(session, case_id, self.clock(), self.policy)

    @rpc
    def open_clocks_by_unit(self, site_id=calendars.DEFAULT_SITE):
        """Each unit's running and paused clocks, soonest due first (notify's daily digest)."""
        with self.db.reading() as session:
            return clocks.open_by_unit(session, self.clock(), site_id)

    @rpc
    def pause_clocks(self, case_id, reason=""):
        return self.db.run(clocks.pause, case_id, self.clock(), reason)

    @rpc
    def resume_clocks(self, case_id):
        return self.db.run(clocks.resume, case_id, self.clock(), self.policy)

    @rpc
    def stop_clocks(self, case_id, targets=None):
        stopped = self.db.run(clocks.stop, case_id, self.clock(), targets)
        record_stopped(stopped)
        return stopped

    @rpc
    def reopen_clocks(self, case_id):
        return self.db.run(clocks.reopen, case_id, self.clock(), self.policy)

    @rpc
    def change_kind(self, case_id, kind):
        return self.db.run(clocks.change_kind, case_id, kind, self.clock(), self.policy)

    @rpc(expected_exceptions=(CalendarError, Forbidden))
    def calendar_add(self, day, kind, name, site_id=calendars.DEFAULT_SITE):
        self._may_manage_calendar()
        return self.db.run(clocks.change_calendar, "put", day, self.policy, self.clock(), kind=kind, name=name,
                           site_id=site_id)

    @rpc(expected_exceptions=(CalendarError, Forbidden))
    def calendar_remove(self, day, site_id=calendars.DEFAULT_SITE):
        self._may_manage_calendar()
        return self.db.run(clocks.change_calendar, "remove", day, self.policy, self.clock(), site_id=site_id)

    @rpc
    def calendar_list(self, year, site_id=calendars.DEFAULT_SITE):
        with self.db.reading() as session:
            return calendars.listing(session, int(year), site_id)

    @rpc
    def deadline(self, received_at, kind, site_id=calendars.DEFAULT_SITE):
        with self.db.reading() as session:
            calendar = calendars.load(session, site_id)
        due = self.policy.deadline(calendar, "resolution", int(kind), datetime.fromisoformat(received_at))
        return due.astimezone(BANGKOK).isoformat()

    def _may_manage_calendar(self):
        """The calendar is the administrators' (shared/policy.py); the `rongtuk calendar` command on the
        server changes it directly, as the site's operator."""
        if self.acting.required().decide("manage_calendar") != ALLOW:
            raise Forbidden("your role may not change the calendar")
