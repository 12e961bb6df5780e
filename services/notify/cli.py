"""notify's part of the `rongtuk` command: the deliveries that failed for good, and sending them again.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second.
"""
import click

from shared.config import load_config


@click.group()
def notify():
    """Notices to complainants: what could not be delivered."""


@notify.command("failed")
@click.pass_obj
def notify_failed(config_path):
    """Deliveries that failed for good (refused by the channel, or out of attempts), newest first:
    the delivery, case, purpose, channel, attempts and why. Never the address."""
    from services.notify import deliveries
    from shared.store import open_store
    from shared.times import local_iso
    with open_store(load_config(config_path), "notify", "notify.cli") as store, store.reading() as session:
        rows = deliveries.failed(session)
    if not rows:
        click.echo("no delivery failed for good")
    for row in rows:
        click.echo(f"{row['id']}  case {row['case_id']}  {row['purpose']} by {row['channel'] or '-'}  "
                   f"{row['attempts']} attempt(s), last {local_iso(row['updated_at'])}: {row['last_error'] or ''}")


@notify.command("resend")
@click.argument("delivery_ids", nargs=-1, required=True)
@click.pass_obj
def notify_resend(config_path, delivery_ids):
    """Send failed deliveries again (the running notify service sends them at its next retry round)."""
    from services.notify import deliveries
    from shared.store import open_store
    with open_store(load_config(config_path), "notify", "notify.cli") as store:
        refused = [d for d in delivery_ids if not store.run(deliveries.send_again, d)]
    for delivery_id in delivery_ids:
        click.echo(f"{delivery_id}: " + ("not a delivery that failed for good" if delivery_id in refused
                                         else "queued to be sent again"))
    if refused:
        raise SystemExit(1)


commands = [notify]
