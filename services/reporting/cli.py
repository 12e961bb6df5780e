"""reporting's part of the `rongtuk` command: the read model rebuilt from the events it stored.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second.
"""
import click

from shared.config import load_config


@click.group()
def reporting():
    """The read model the reports and timelines are drawn from."""


@reporting.command("rebuild")
@click.pass_obj
def reporting_rebuild(config_path):
    """Fold every stored case event again, in the order it was heard, into fresh case summaries.

    For after a change to how events are folded. Stop the reporting service first: events it
    folds meanwhile would be folded twice. Refused while events heard before their bodies were
    kept (before this version) are stored."""
    from services.reporting import readmodel
    from services.reporting.exceptions import ReportingError
    from shared.store import open_store
    with open_store(load_config(config_path), "reporting", "reporting.rebuild") as store:
        try:
            folded = store.run(readmodel.rebuild)
        except ReportingError as exc:
            raise click.ClickException(str(exc))
    click.echo(f"{folded} event(s) folded again into the case summaries")


@click.group()
def report():
    """The office's reports as files: the six-month memo and the fiscal-year report."""


def _write(config_path, out, make):
    from services.reporting.exceptions import ReportingError
    from shared.store import open_store
    from shared.times import utcnow
    config = load_config(config_path)
    with open_store(config, "reporting", "reporting.report") as store, store.reading() as session:
        try:
            data, _content_type, name = make(session, config, utcnow())
        except ReportingError as exc:
            raise click.ClickException(str(exc))
    path = out or name
    with open(path, "wb") as f:
        f.write(data)
    click.echo(f"{path}: {len(data)} bytes")


def _period(fy, half):
    from services.reporting.periods import PeriodError, parse_period
    try:
        return parse_period(fy, half)
    except PeriodError as exc:
        raise click.BadParameter(str(exc))


def _report_options(command):
    """The options every report takes: the fiscal year, the site, the digits and where to write it."""
    for option in reversed((
            click.option("--fy", "fiscal_year", required=True, help="The fiscal year, Buddhist Era (2570)."),
            click.option("--site", default=None, help="A site's code, or * for every site (default: this one)."),
            click.option("--arabic-digits", is_flag=True, help="Arabic digits instead of Thai ones (PDF)."),
            click.option("--out", type=click.Path(dir_okay=False), help="Where to write it (default: its own name)."))):
        command = option(command)
    return click.pass_obj(command)


@report.command("six-month")
@click.option("--half", required=True, type=click.Choice(["1", "2"]), help="1: October-March, 2: April-September.")
@_report_options
def report_six_month(config_path, fiscal_year, half, site, arabic_digits, out):
    """The six-month memo (บันทึกข้อความ) as PDF."""
    from services.reporting import outputs
    period = _period(fiscal_year, half)
    _write(config_path, out, lambda session, config, now: outputs.six_month_memo(
        session, config, period, now, site, not arabic_digits))


@report.command("fiscal-year")
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default="pdf", show_default=True)
@_report_options
def report_fiscal_year(config_path, fiscal_year, fmt, site, arabic_digits, out):
    """The fiscal-year report: indicators, counts and the corruption table, as PDF or XLSX."""
    from services.reporting import outputs
    period = _period(fiscal_year, None)
    _write(config_path, out, lambda session, config, now: outputs.fiscal_year_report(
        session, config, period, now, fmt, site, not arabic_digits))


commands = [reporting, report]
