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


commands = [reporting]
