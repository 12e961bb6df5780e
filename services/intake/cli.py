"""intake's part of the `rongtuk` command: API keys, and the check of intake's settings that
`rongtuk run` makes before anything starts.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second, and `rongtuk run` patches
eventlet before the database and nameko are imported.
"""
import click

from shared.config import load_config


def check_settings(config):
    """Refuse intake's limits (INTAKE section) now, before anything starts, as HTTP's are refused."""
    from services.intake.throttle import Limits
    try:
        Limits.from_settings(config.get("INTAKE"))
    except ValueError as exc:
        raise click.ClickException(f"cannot start intake: {exc}") from None


def _intake_store(config_path):
    from shared.store import open_store
    return open_store(load_config(config_path), "intake")


def _run(config_path, use_case, *args):
    """Run one of apikeys' use cases on intake's database; its ApiKeyError is the command's error."""
    from services.intake.exceptions import ApiKeyError
    with _intake_store(config_path) as store:
        try:
            return store.run(use_case, *args)
        except ApiKeyError as exc:
            raise click.ClickException(str(exc))


@click.group()
def apikey():
    """API keys: `client` keys let Open311 apps post requests; `officer` keys record who took a
    complaint by phone, at the counter or by letter, and may reveal a complainant's identity."""


@apikey.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. 'Traffy Fondue' or an officer's name.")
@click.option("--role", type=click.Choice(["client", "officer"]), default="client", show_default=True)
@click.pass_obj
def apikey_create(config_path, name, role):
    """Create a key and print it once (only its hash is kept)."""
    from services.intake import apikeys
    created = _run(config_path, apikeys.create, name, role)
    click.echo(f"id:   {created['id']}\nrole: {created['role']}\nkey:  {created['key']}")


@apikey.command("list")
@click.pass_obj
def apikey_list(config_path):
    """Every key: id, role, the first characters, when made and revoked."""
    from services.intake import apikeys
    with _intake_store(config_path) as store, store.reading() as session:
        keys = apikeys.listing(session)
    if not keys:
        click.echo("no API keys")
    for key in keys:
        revoked = f"revoked {key['revoked_at']:%Y-%m-%d}" if key["revoked_at"] else "active"
        click.echo(f"{key['id']}  {key['role']:<8} {key['prefix']}…  {key['created_at']:%Y-%m-%d}  "
                   f"{revoked:<18} {key['name']}")


@apikey.command("revoke")
@click.argument("key_id")
@click.pass_obj
def apikey_revoke(config_path, key_id):
    """Revoke a key by its id; requests with it are refused from then on."""
    from services.intake import apikeys
    _run(config_path, apikeys.revoke, key_id)
    click.echo(f"revoked {key_id}")


commands = [apikey]
