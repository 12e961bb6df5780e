"""notify's part of the `rongtuk` command: the deliveries that failed for good, sending them again, and
a preview of a notice as the office's templates word it.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second.
"""
import click

from shared.config import load_config


@click.group()
def notify():
    """Notices to complainants and the office: what could not be delivered, and how notices read."""


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


@notify.command("preview")
@click.argument("purpose")
@click.option("--channel", type=click.Choice(["email", "line", "sms", "letter"]), default=None,
              help="The channel whose text to show: the SMS text for sms, the body otherwise.")
@click.option("--case", "tracking_number", metavar="TRACKING_NUMBER", default=None,
              help="The tracking number to put in (a digest's first case).")
@click.option("--set", "settings", metavar="KEY=VALUE", multiple=True,
              help="A field of the notice (repeatable); the value is read as JSON when it is "
                   "(5, null, a list), as text otherwise.")
@click.option("--thai-digits/--arabic-digits", default=None,
              help="Thai or Arabic digits in dates and numbers (default: NOTIFY.thai_digits).")
@click.pass_obj
def notify_preview(config_path, purpose, channel, tracking_number, settings, thai_digits):
    """A notice as it would be sent, from the office's templates (NOTIFY.templates, then the shipped
    ones), filled with a sample case: its subject, then what the channel sends. Nothing is sent."""
    import copy
    import json
    from pathlib import Path

    from services.notify import messages
    purposes = messages.PURPOSES_COMPLAINANT + messages.PURPOSES_OFFICER
    if purpose not in purposes:
        raise click.BadParameter(f"no notice {purpose!r}; purposes: {', '.join(purposes)}", param_hint="PURPOSE")
    section = load_config(config_path).get("NOTIFY") or {}
    folder = section.get("templates") or None
    if folder and not Path(folder).is_dir():
        raise click.ClickException(f"NOTIFY.templates: no folder {folder}")
    notice = copy.deepcopy(messages.SAMPLES[purpose])
    required, optional = messages.FIELDS[purpose]
    for item in settings:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in required + optional:
            raise click.BadParameter(f"{item!r}: give KEY=VALUE, KEY one of {', '.join(required + optional)}",
                                     param_hint="--set")
        try:
            notice[key] = json.loads(value)
        except ValueError:
            notice[key] = value
    if tracking_number:
        if purpose == "digest":
            if notice["cases"]:
                notice["cases"][0]["tracking_number"] = tracking_number
        else:
            notice["tracking_number"] = tracking_number
    if thai_digits is None:
        thai_digits = bool(section.get("thai_digits") or False)
    english = section.get("english")
    try:
        message = messages.compose(purpose, notice, channel, folder=folder, thai_digits=thai_digits,
                                   english=True if english is None else bool(english))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(message.subject)
    click.echo()
    click.echo((message.short if channel == "sms" else message.body).rstrip("\n"))


commands = [notify]
