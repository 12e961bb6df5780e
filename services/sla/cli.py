"""sla's part of the `rongtuk` command: the calendar's extra days, and a deadline worked out by hand.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second, and `rongtuk run` patches
eventlet before the database and nameko are imported.
"""
import click

from shared.config import load_config


@click.group()
def calendar():
    """Extra holidays and working days (the Cabinet's announcements), on top of the official calendar.

    A change re-computes the deadlines of the running clocks it affects; the running sla service
    publishes the resulting sla_deadline_changed events.
    """


def _sla_store(config):
    from shared.store import open_store
    return open_store(config, "sla")


def _change_calendar(config_path, action, day, **kwargs):
    from services.sla import clocks
    from services.sla.exceptions import CalendarError
    from services.sla.policy import SlaPolicy
    from shared.times import utcnow
    config = load_config(config_path)
    with _sla_store(config) as store:
        try:
            result = store.run(clocks.change_calendar, action, day, SlaPolicy.from_config(config.get("SLA")),
                               utcnow(), **kwargs)
        except CalendarError as exc:
            raise click.ClickException(str(exc))
    click.echo(f"{result['day']}: {action_word(action, kwargs.get('kind'))}; "
               f"{result['clocks_changed']} running clock(s) re-timed")


def action_word(action, kind):
    return "removed" if action == "remove" else f"{kind} added"


SITE_OPTION = click.option("--site", default="*", show_default=True,
                           help="The site the day applies to; * for every site.")


def _add_day_command(kind, help_text):
    """`calendar add-KIND DAY NAME`: the two kinds of extra day are added alike."""
    @calendar.command(f"add-{kind}", help=help_text)
    @click.argument("day")
    @click.argument("name")
    @SITE_OPTION
    @click.pass_obj
    def add_day(config_path, day, name, site):
        _change_calendar(config_path, "put", day, kind=kind, name=name, site_id=site)
    return add_day


calendar_add_holiday = _add_day_command(
    "holiday", "Make DAY (YYYY-MM-DD) a holiday, named NAME (e.g. the Cabinet resolution).")
calendar_add_workday = _add_day_command(
    "workday", "Make DAY (YYYY-MM-DD) a working day, e.g. a Saturday given in exchange for a holiday.")


@calendar.command("remove")
@click.argument("day")
@SITE_OPTION
@click.pass_obj
def calendar_remove(config_path, day, site):
    """Remove an extra day added before (the official calendar cannot be removed)."""
    _change_calendar(config_path, "remove", day, site_id=site)


@calendar.command("list")
@click.option("--year", type=int, required=True, help="Christian-era year, e.g. 2026.")
@SITE_OPTION
@click.pass_obj
def calendar_list(config_path, year, site):
    """Every weekday off and extra working day of YEAR, with where it comes from."""
    from services.sla import calendars
    with _sla_store(load_config(config_path)) as store, store.reading() as session:
        days = calendars.listing(session, year, site)
    for entry in days:
        click.echo(f"{entry['day']}  {entry['kind']:<8} {entry['source']:<8} {entry['name']}")


@click.group()
def sla():
    """Service-level deadlines."""


@sla.command("deadline")
@click.option("--received", required=True, help="When the case was received, ISO-8601 with a zone.")
@click.option("--kind", required=True, type=click.IntRange(1, 4), help="1 inquiry, 2 minor, 3 major, 4 lawsuit/media.")
@click.option("--extra-holiday", "extra_holidays", multiple=True, help="YYYY-MM-DD (repeatable).")
@click.option("--extra-workday", "extra_workdays", multiple=True, help="YYYY-MM-DD (repeatable).")
def sla_deadline(received, kind, extra_holidays, extra_workdays):
    """Print the resolution deadline (ISO-8601, +07:00) and nothing else.

    Uses the official calendar and the default targets (1/3/10/30 business days); the extra
    days given here, not those stored in a database.
    """
    from datetime import date, datetime

    from services.sla.calendar import BusinessCalendar, resolution_target

    from shared.times import BANGKOK
    try:
        moment = datetime.fromisoformat(received.replace("Z", "+00:00"))
        holidays = [date.fromisoformat(d) for d in extra_holidays]
        workdays = [date.fromisoformat(d) for d in extra_workdays]
    except ValueError as exc:
        raise click.BadParameter(str(exc))
    if moment.tzinfo is None:
        raise click.BadParameter("--received needs a time zone, e.g. 2026-05-01T10:00:00+07:00")
    due = BusinessCalendar(holidays=holidays, workdays=workdays).deadline(moment, resolution_target(kind))
    click.echo(due.astimezone(BANGKOK).isoformat())


commands = [calendar, sla]
