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


@click.command("feed")
@click.option("--ask", is_flag=True, help="Ask the districts for every gap again now (a hub's reporting "
                                          "also asks by itself, FEED.replay_after seconds after a gap shows).")
@click.option("--site", default=None, help="Only this site.")
@click.pass_obj
def sites_feed(config_path, ask, site):
    """At a hub: each site's feed as received here: the last number and event, the lag, and the gaps."""
    from services.reporting import feed_store
    from shared.config import sites_linked, site_id
    from shared.store import open_store
    from shared.times import local_iso, utcnow
    config = load_config(config_path)
    site = site.strip().upper() if site else None
    with open_store(config, "reporting", "reporting.sites_feed") as store:
        if ask:
            if not sites_linked(config):
                raise click.ClickException("this site runs on the in-memory broker: it has no link to ask over")
            from services.reporting.feed_link import ask_again, replay_publisher
            asks = store.run(feed_store.gaps_to_ask, 0, site_id=site)
            ask_again(replay_publisher(config), site_id(config), asks)
            for asked_site, first, last in asks:
                click.echo(f"asked {asked_site} for {first}-{last} again")
        else:
            store.run(feed_store.refresh, utcnow(), site)
        with store.reading() as session:
            rows = [row for row in feed_store.status(session, utcnow()) if site in (None, row["site_id"])]
    if not rows:
        click.echo("no site's feed received here" + (f" from {site}" if site else ""))
    for row in rows:
        gaps = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in row["gaps"]) or "none"
        lag = f"{row['lag_seconds']:.1f}s" if row["lag_seconds"] is not None else "-"
        silent = f"{row['silent_seconds']:.0f}s ago" if row["silent_seconds"] is not None else "never"
        last = (f"{row['highest']} {row['last_event_type']} fed {local_iso(row['last_fed_at'])}"
                if row["last_fed_at"] else "-")
        click.echo(f"{row['site_id']:<12} last {last}; through {row['contiguous_to']} without a gap; "
                   f"announced {row['announced']}; received {row['received']}; lag {lag}; heard {silent}; "
                   f"gaps: {gaps}")


commands = [reporting, report]
