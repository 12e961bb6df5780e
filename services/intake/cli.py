"""intake's part of the `rongtuk` command: API keys, officers' accounts, and the check of intake's
settings that `rongtuk run` makes before anything starts.

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
    """Run one of apikeys' or accounts' use cases on intake's database, on the audit log (as the site's
    command, run by the operator's login name) in the same transaction; their errors are the command's."""
    import getpass

    from services.intake.exceptions import AccountError, ApiKeyError
    from shared import audit
    from shared.actors import system_actor
    from shared.config import site_id
    operator = system_actor(site_id(load_config(config_path)), getpass.getuser())

    def audited(tx, *given):
        done = use_case(tx, *given)
        audit.record(tx.session, operator, "manage_users", "allowed",
                     detail={"command": f"{use_case.__module__.rsplit('.', 1)[-1]}.{use_case.__name__}",
                             "subject": str(given[0])[:200]})
        return done

    with _intake_store(config_path) as store:
        try:
            return store.run(audited, *args)
        except (ApiKeyError, AccountError) as exc:
            raise click.ClickException(str(exc))


@click.group()
def apikey():
    """API keys: `client` keys let Open311 apps post requests; `officer` keys are site-wide officers
    for scripts (the policy's officer_key: they approve nothing, and see a confidential complainant
    only once a person approves), every action on the audit log under the key's name."""


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


@click.group()
def user():
    """Officers' accounts: username, password (kept as an argon2id hash), role, units and site. The
    policy each role is held to is docs/security.md#who-may-do-what. Officers log in with POST
    /api/v1/session; disabling an account or giving it a new password ends its sessions."""


def _password():
    """The password from standard input (one line), as --password-stdin says; never an argument."""
    import sys
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("no password on standard input")
    return line.rstrip("\r\n")


@user.command("create")
@click.argument("username")
@click.option("--role", required=True, help="One of `rongtuk user roles`.")
@click.option("--unit", "units", multiple=True, help="A unit of the directory (repeatable): unit officers and heads.")
@click.option("--site", "site_id", default=None, help="The account's site (default: SITE_ID).")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@click.pass_obj
def user_create(config_path, username, role, units, site_id, password_stdin):
    """Make an account. A weak password, an unknown role or a unit the directory does not list is
    refused with why, and nothing is stored."""
    from services.intake import accounts
    config = load_config(config_path)
    made = _run(config_path, accounts.create, username, role, units, site_id or config.get("SITE_ID") or "HUB",
                _password(), _known_units(config))
    click.echo(f"created {made['username']}: {made['role']}"
               + (f" of {', '.join(made['units'])}" if made["units"] else "") + f" at {made['site_id']}")


@user.command("list")
@click.pass_obj
def user_list(config_path):
    """Every account: username, role, units, site, and whether it is disabled. Never a password."""
    from services.intake import accounts
    from shared.times import local_iso
    with _intake_store(config_path) as store, store.reading() as session:
        found = accounts.listing(session)
    if not found:
        click.echo("no accounts")
    for account in found:
        state = f"disabled {local_iso(account['disabled_at'])}" if account["disabled_at"] else "enabled"
        click.echo(f"{account['username']}  {account['role']}  {','.join(account['units']) or '-'}  "
                   f"{account['site_id']}  {state}")


@user.command("disable")
@click.argument("username")
@click.pass_obj
def user_disable(config_path, username):
    """Disable an account: it cannot log in again and its sessions end (it stays, for the record)."""
    from services.intake import accounts
    _run(config_path, accounts.disable, username)
    click.echo(f"disabled {username}")


@user.command("reset-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the new password from standard input.")
@click.pass_obj
def user_reset_password(config_path, username, password_stdin):
    """Give an account a new password (held to the same strength)."""
    from services.intake import accounts
    _run(config_path, accounts.reset_password, username, _password())
    click.echo(f"new password set for {username}")


@user.command("logout")
@click.argument("username")
@click.pass_obj
def user_logout(config_path, username):
    """End every session of an account now (a lost laptop, a token that got out)."""
    from services.intake import accounts
    ended = _run(config_path, accounts.log_out, username)
    click.echo(f"ended {ended} session{'s' if ended != 1 else ''} of {username}")


@user.command("roles")
def user_roles():
    """The roles an account may have, and what each may do (shared/policy.py)."""
    from shared import policy
    for role in policy.PEOPLE:
        may = [a for a in policy.ACTIONS if any(
            policy.TABLE.get((role, a, r, False)) == policy.ALLOW for r in (*policy.RELATIONS, None))]
        click.echo(f"{role}: {', '.join(may)}")


def _known_units(config):
    from services.routing.directory import Directory
    from shared.config import project_path
    return set(Directory.load(project_path(config.get("ROUTING_DIRECTORY") or "deploy/directory.yml")).units)


commands = [apikey, user]
