"""notify's part of the `rongtuk` command: the deliveries that failed for good, sending them again, the
letters waiting to be printed, and a preview of a notice as the office's templates word it.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second.
"""
from pathlib import Path

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


@notify.command("letters")
@click.option("--print-queue", "print_to", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write every waiting letter, oldest first, into this one PDF to print at once.")
@click.pass_obj
def notify_letters(config_path, print_to):
    """Letters waiting to be printed and posted, oldest first: the delivery (the letter's reference), case,
    purpose and when it was written. Never the address: it is on the letter alone."""
    from services.notify import deliveries, letters
    from shared.store import open_store
    from shared.times import local_iso
    config = load_config(config_path)
    queue = letters.letter_queue(config)
    if queue is None:
        raise click.ClickException("letters are off: LETTERS.office.name_th is not set")
    with open_store(config, "notify", "notify.cli") as store, store.reading() as session:
        rows = deliveries.letters_waiting(session)
    waiting = [row for row in rows if queue.path(row["id"]).exists()]
    missing = [row for row in rows if row not in waiting]
    if not waiting:
        click.echo("no letter waiting to be printed")
    for row in waiting:
        click.echo(f"{row['id']}  case {row['case_id']}  {row['purpose']}  written {local_iso(row['updated_at'])}")
    for row in missing:
        click.echo(f"{row['id']}  case {row['case_id']}: its PDF is not in {queue.folder}", err=True)
    if print_to and waiting:
        Path(print_to).write_bytes(queue.combined([row["id"] for row in waiting]))
        click.echo(f"{len(waiting)} letter(s) in {print_to}; once they are printed: "
                   f"rongtuk notify printed {' '.join(str(row['id']) for row in waiting)}")


@notify.command("printed")
@click.argument("delivery_ids", nargs=-1, required=True)
@click.pass_obj
def notify_printed(config_path, delivery_ids):
    """Letters printed (to post): each is delivered, the case's timeline says so, and its PDF leaves the
    queue for LETTERS' printed/ folder."""
    from services.notify import deliveries, letters
    from shared.store import open_store
    config = load_config(config_path)
    queue = letters.letter_queue(config)
    if queue is None:
        raise click.ClickException("letters are off: LETTERS.office.name_th is not set")
    refused = []
    with open_store(config, "notify", "notify.cli") as store:
        for delivery_id in delivery_ids:
            try:
                queue.path(delivery_id)
            except ValueError:
                refused.append(delivery_id)
                continue
            if store.run(deliveries.letter_printed, delivery_id):
                queue.printed(delivery_id)  # after the delivery is recorded: a file left behind is harmless
            else:
                refused.append(delivery_id)
    for delivery_id in delivery_ids:
        click.echo(f"{delivery_id}: " + ("not a letter waiting to be printed" if delivery_id in refused
                                         else "printed, delivered"))
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
