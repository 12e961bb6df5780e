"""The `rongtuk` command, and the one place where Rongtuk is put together.

This module and services/__init__.py are the composition root. Only they know which services make
up Rongtuk: the list of them (SERVICE_NAMES) and their migration folders are in
services/__init__.py, and here is what works on every service at once: `run`, `db upgrade`, `dlq`,
and the broker links of `sites link|unlink|status`. Each service's own commands live with the
service (services/<name>/cli.py: `apikey` with intake; `calendar` and `sla deadline` with sla;
`routing`, `kb`, `directory` and `sites list` with routing; `reporting rebuild` with reporting) and
are added to the command here.
It sits in the services package because that package already holds every service and may know
its members, while shared/, the common package, must not depend on any service
(tests/unit/test_shared_independence.py).

Every command gets the config file's path as its context object (click.pass_obj). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second, and `run` patches eventlet
before the database and nameko are imported.
"""
import importlib
import logging
import logging.config
import sys
import time

import click

from services import SERVICE_NAMES, upgrade_databases
from services.intake import cli as intake_cli
from services.notify import cli as notify_cli
from services.reporting import cli as reporting_cli
from services.routing import cli as routing_cli
from services.sla import cli as sla_cli
from shared.config import EMBEDDED_CONFIG, database_url, load_config


def _service_names(names):
    unknown = [n for n in names if n not in SERVICE_NAMES]
    if unknown:
        raise click.BadParameter(f"unknown service(s) {', '.join(unknown)}; "
                                 f"choose from {', '.join(SERVICE_NAMES)}")
    return list(names) or list(SERVICE_NAMES)


def _service_class(name):
    module = importlib.import_module(f"services.{name}.service")
    for value in vars(module).values():
        if isinstance(value, type) and getattr(value, "name", None) == name:
            return value
    raise click.ClickException(f"services.{name}.service has no service class named {name!r}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", envvar="RONGTUK_CONFIG", default=str(EMBEDDED_CONFIG),
              show_default=True, type=click.Path(exists=True, dir_okay=False),
              help="nameko YAML config (env RONGTUK_CONFIG). deploy/embedded.yml runs everything in one "
                   "process on SQLite; deploy/distributed.yml uses RabbitMQ and PostgreSQL.")
@click.pass_context
def main(ctx, config_path):
    """Rongtuk: complaint handling for Thai government offices.

    \b
    rongtuk run                 start the services (all five by default)
    rongtuk db upgrade          apply schema migrations to each service's database
    rongtuk dlq list            show messages that handlers gave up on
    rongtuk dlq replay ID|--all deliver dead letters again once the cause is fixed
    rongtuk calendar ...        the extra holidays and working days the Cabinet announces
    rongtuk apikey ...          keys for Open311 client apps and officers' tools
    rongtuk user ...            officers' accounts: create, list, disable, reset-password, logout, roles
    rongtuk audit               who did, asked, approved or was refused what (list, export)
    rongtuk kb ...              the knowledge base: list, put, remove, import, export, search
    rongtuk sites ...           the sites this one exchanges cases with, and the broker links
    rongtuk site init           a site from nothing: config, secrets, databases, vhost, migrations
    rongtuk doctor              check a running site and say what is wrong
    rongtuk directory ...       show the organisation directory, check a new one before deploying it
    rongtuk sla deadline ...    the resolution deadline of a case received at a given time
    rongtuk reporting rebuild   fold the stored case events again into the read model
    rongtuk report ...          the six-month memo (PDF) and the fiscal-year report (PDF, XLSX)
    """
    ctx.obj = config_path


@main.command()
@click.argument("services", nargs=-1)
@click.option("--migrate/--no-migrate", default=None,
              help="Apply migrations before starting. Default: on for SQLite databases (embedded), "
                   "off otherwise (run `rongtuk db upgrade` as a deploy step).")
@click.pass_obj
def run(config_path, services, migrate):
    """Run SERVICES (intake routing sla notify reporting; default all) in this process."""
    import eventlet
    eventlet.monkey_patch()  # as `nameko run` does, before anything opens a socket
    from shared import serving
    serving.handle_stop_signals()  # SIGTERM/SIGINT stop cleanly from here on, migrations included

    config = load_config(config_path)
    names = _service_names(services)
    logging.config.dictConfig(config["LOGGING"]) if "LOGGING" in config else logging.basicConfig(
        level=logging.INFO)
    if "intake" in names:
        intake_cli.check_settings(config)
    if migrate is None:
        migrate = all(database_url(config, n).startswith("sqlite") for n in names)
    if migrate:
        upgrade_databases(config, names)
    log = logging.getLogger("rongtuk")
    log.info("starting %s on %s, HTTP at http://%s/", ", ".join(names), config.get("AMQP_URI"),
             config.get("WEB_SERVER_ADDRESS"))
    try:  # not nameko.cli.run.run: see shared/serving.py for its port sharing and repeated stops
        code = serving.run([_service_class(n) for n in names], config)
    except serving.CannotListen as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(code)


@main.group()
def db():
    """Schema migrations (Alembic; one history per service)."""


@db.command("upgrade")
@click.option("--service", "services", multiple=True, help="Only this service (repeatable).")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(config_path, services, revision):
    """Apply migrations to each service's database, up to REVISION."""
    config = load_config(config_path)
    for name, url in upgrade_databases(config, _service_names(services), revision):
        click.echo(f"{name}: at {revision} ({_redact(url)})")


@main.group()
def dlq():
    """Dead letters: messages a handler could not process after its retries, or that broke the contract."""


def _databases(config_path, services):
    """(name, engine) of each service's database in turn (all when `services` is empty), each engine
    disposed of before the next."""
    from shared.store import open_store
    config = load_config(config_path)
    for name in _service_names(services):
        with open_store(config, name) as store:
            yield name, store.engine


@dlq.command("list")
@click.option("--service", "services", multiple=True, help="Only this service (repeatable).")
@click.option("--all", "include_replayed", is_flag=True, help="Include dead letters already replayed.")
@click.pass_obj
def dlq_list(config_path, services, include_replayed):
    """List dead letters, oldest first. IDs are SERVICE:NUMBER."""
    from shared import deadletters
    rows = [(name, row) for name, engine in _databases(config_path, services)
            for row in deadletters.listing(engine, include_replayed)]
    if not rows:
        click.echo("no dead letters")
        return
    click.echo(f"{'ID':<14} {'STATUS':<17} {'REASON':<8} {'ATTEMPTS':>8}  {'HANDLER':<34} {'EVENT':<22} "
               f"{'CASE':<36}  LAST FAILED / ERROR")
    for name, row in rows:
        error = (row["error"] or "").strip().splitlines()
        click.echo(f"{name + ':' + str(row['id']):<14} {row['status']:<17} {row['reason']:<8} "
                   f"{row['attempts']:>8}  {row['handler']:<34} {row['event_type']:<22} "
                   f"{row['case_id'] or '-':<36}  {row['last_failed_at']:%Y-%m-%d %H:%M:%S}Z "
                   f"{error[-1] if error else ''}")


@dlq.command("replay")
@click.argument("ids", nargs=-1)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter (of --service).")
@click.option("--service", "services", multiple=True, help="With --all: only this service.")
@click.option("--wait", default=0.0, show_default=True,
              help="Seconds to wait for the running services to re-deliver them.")
@click.pass_obj
def dlq_replay(config_path, ids, replay_all, services, wait):
    """Deliver dead letters (IDs like routing:3) to their handler again.

    The running service publishes each one back to its handler's queue within a second or so;
    if the handler fails again it returns to the list.
    """
    from shared import deadletters
    if bool(ids) == replay_all:
        raise click.UsageError("give dead-letter IDs (e.g. routing:3) or --all, not both")
    wanted = {}
    for item in ids:
        name, _, number = item.partition(":")
        if name not in SERVICE_NAMES or not number.isdigit():
            raise click.BadParameter(f"{item!r} is not an ID like routing:3")
        wanted.setdefault(name, set()).add(int(number))
    chosen = services if replay_all else tuple(wanted)
    marked = {name: deadletters.request_replay(engine, None if replay_all else wanted[name])
              for name, engine in _databases(config_path, chosen)}
    total = sum(marked.values())
    click.echo(f"marked {total} dead letter(s) for replay"
               + "".join(f"; {n}: {c}" for n, c in marked.items() if c))
    if total and wait:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            pending = sum(1 for _, engine in _databases(config_path, [n for n in marked if marked[n]])
                          for r in deadletters.listing(engine) if r["status"] == deadletters.REPLAY_REQUESTED)
            if not pending:
                click.echo("re-delivered")
                return
            time.sleep(0.2)
        click.echo("not yet re-delivered: is the service running?", err=True)
        sys.exit(1)


@main.group()
def sites():
    """The other sites this one exchanges cases with, and the broker links that carry them."""


def _on_broker(config_path, management, action):
    """action(links, management API, vhost) on this site's broker; a LinkError says why on stderr."""
    from shared import sites as links
    amqp_uri = str(load_config(config_path).get("AMQP_URI") or "")
    try:
        return action(links, management or links.management_url(amqp_uri), links.vhost_of(amqp_uri))
    except links.LinkError as exc:
        raise click.ClickException(str(exc)) from None


MANAGEMENT_OPTION = click.option("--management", default=None,
                                 help="The broker's management API, e.g. http://user:pass@host:15672 "
                                      "(default: the AMQP_URI's host, port 15672).")


@sites.command("link")
@click.argument("name")
@click.argument("upstream_uri")
@MANAGEMENT_OPTION
@click.pass_obj
def sites_link(config_path, name, upstream_uri, management):
    """Receive what other sites address to this one from the broker at UPSTREAM_URI (an amqp:// URI of
    that site's vhost). Run it on both sites, each naming the other, for cases and answers to travel."""
    def link(links, api, vhost):
        links.link(api, vhost, name, upstream_uri)
        click.echo(f"vhost {vhost} now federates {links.SITES_EXCHANGE} from upstream {name}")

    _on_broker(config_path, management, link)


@sites.command("unlink")
@click.argument("name")
@MANAGEMENT_OPTION
@click.pass_obj
def sites_unlink(config_path, name, management):
    def unlink(links, api, vhost):
        links.unlink(api, vhost, name)
        click.echo(f"upstream {name} removed from vhost {vhost}")

    _on_broker(config_path, management, unlink)


@sites.command("status")
@MANAGEMENT_OPTION
@click.pass_obj
def sites_status(config_path, management):
    """The federation links of this site's vhost and their state."""
    def status(links, api, vhost):
        found = links.status(api, vhost)
        if not found:
            click.echo(f"vhost {vhost} has no links to other sites")
        for upstream, state, error in found:
            click.echo(f"{upstream:<16} {state:<10} {error}")

    _on_broker(config_path, management, status)


AUDITED = ("intake", "routing")  # the services that keep an audit log (shared/audit.py)


@main.command()
@click.option("--since", help="From this date or moment (ISO 8601, Bangkok time unless it says).")
@click.option("--until", help="Up to (not including) this date or moment.")
@click.option("--actor", help="Only this officer (a username, an API key's name).")
@click.option("--case", "case", help="Only this case (its tracking number or id).")
@click.option("--action", help="Only this action (read_case, reveal_identity, approve_reveal, reroute, login...).")
@click.option("--outcome", type=click.Choice(["allowed", "denied", "requested", "approved", "refused", "viewed",
                                              "failed"]))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file (default: stdout).")
@click.pass_obj
def audit(config_path, since, until, actor, case, action, outcome, fmt, output):
    """The audit log: who did, asked, approved or was refused what, and when (intake's and routing's
    logs together, oldest first). Export it with --format csv or jsonl."""
    import csv
    import io
    import json

    from shared import audit as audit_log
    from shared.store import open_store
    from shared.times import local_iso, parse_local
    config = load_config(config_path)
    try:
        bounds = [parse_local(value) if value else None for value in (since, until)]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    case_id = None
    if case:
        with open_store(config, "intake") as store, store.reading() as session:
            case_id = _case_id(session, case)
    rows = []
    for name in AUDITED:
        with open_store(config, name) as store, store.reading() as session:
            rows += [{"service": name, **row} for row in audit_log.listing(
                session, bounds[0], bounds[1], actor, case_id, action, outcome)]
    rows.sort(key=lambda r: (r["at"], r["service"], r["id"]))
    columns = ("at", "service", "actor", "actor_kind", "role", "action", "outcome", "case_id", "reason", "detail")
    out = io.StringIO()
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: local_iso(row[c]) if c == "at" else row[c] for c in columns},
                                 ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([local_iso(row["at"]) if c == "at" else
                             json.dumps(row[c], ensure_ascii=False) if c == "detail" and row[c] else row[c] or ""
                             for c in columns])
    else:
        if not rows:
            out.write("no entries\n")
        for row in rows:
            out.write(f"{local_iso(row['at'])[:19]}  {row['service']:<7} {row['actor'][:28]:<28} "
                      f"{row['role'] or '-':<14} "
                      f"{row['action']:<16} {row['outcome']:<9} {row['case_id'] or '-':<36}  {row['reason'] or ''}\n")
    if output:
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.write(out.getvalue())
        click.echo(f"{len(rows)} entries written to {output}")
    else:
        click.echo(out.getvalue(), nl=False)


@main.group()
def site():
    """A site from nothing: its configuration, databases, broker vhost and migrations."""


@site.command("init")
@click.option("--site-id", required=True, help="The site's id (SITE_ID), e.g. KSN.")
@click.option("--folder", required=True, type=click.Path(file_okay=False),
              help="Where the site's configuration goes: site.yml, secrets.yml, keys/seal.key (e.g. /etc/rongtuk).")
@click.option("--data", type=click.Path(file_okay=False),
              help="DATA_DIR (default: FOLDER/data), e.g. /var/lib/rongtuk.")
@click.option("--broker", default="amqp://guest:guest@127.0.0.1:5672/", show_default=True,
              help="RabbitMQ as an administrator: where it is and who may make vhosts and users.")
@click.option("--management", help="Its management API (default: the broker's host, port 15672, same user).")
@click.option("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres", show_default=True,
              help="PostgreSQL as an administrator: who may make roles and databases.")
@click.option("--vhost", help="The site's vhost (default: rongtuk-<site id>).")
@click.option("--address", default="127.0.0.1:{port}", show_default=True,
              help="Where each service answers, {service} and {port} filled in ({service}:8000 in docker compose).")
@click.option("--first-port", default=8000, show_default=True, help="intake's port; the others follow.")
@click.option("--hub", default="", help="The hub this site feeds (FEED.hub), if any.")
@click.option("--systemd", "systemd_folder", type=click.Path(file_okay=False),
              help="Also write rongtuk.env and instances/<service>-1.env here for the rongtuk@ units.")
def site_init(site_id, folder, data, broker, management, postgres, vhost, address, first_port, hub, systemd_folder):
    """Write the site's configuration and secrets (kept if there), make one PostgreSQL role and
    database per service, the site's RabbitMQ vhost, users and definitions, and migrate every
    database. Run again, it changes nothing."""
    from services import site as setup
    from shared import sites as links
    plan = None
    try:
        plan = setup.Site(site_id=site_id, folder=folder, data=data, broker=broker, management=management,
                          postgres=postgres, vhost=vhost, address=address, first_port=first_port, hub=hub or None)
        config_path = setup.init(plan)
        if systemd_folder:
            setup.write_systemd_files(plan, systemd_folder)
    except (ValueError, links.LinkError) as exc:
        raise click.ClickException(_redact_text(str(exc))) from None
    except Exception as exc:  # a database or broker that refuses: say which, plainly (never the statement)
        from sqlalchemy.exc import DBAPIError
        shown = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        raise click.ClickException(f"{type(shown).__name__}: {_redact_text(str(shown))}") from None
    finally:
        for line in plan.said if plan else []:  # what was done, also when a later step failed
            click.echo(line)
    click.echo(f"site {plan.site_id} ready: RONGTUK_CONFIG={config_path}; `rongtuk doctor` checks it once running")


@main.command()
@click.pass_obj
def doctor(config_path):
    """Check a running site: the broker, each service's database and migrations, each service
    answering, the clocks, the links to other sites, the seal key. Exit 1 if anything is wrong."""
    from services import site as setup
    findings = setup.doctor(load_config(config_path))
    for finding in findings:
        click.echo(f"{'ok  ' if finding.ok else 'FAIL'}  {finding.what:<18} {finding.detail}")
    failed = [f for f in findings if not f.ok]
    if failed:
        click.echo(f"{len(failed)} problem(s): see above")
        sys.exit(1)
    click.echo("every check passed")


def _redact_text(text):
    import re
    return re.sub(r"://([^:/@\s]+):[^@\s]+@", r"://\1:***@", text)


def _case_id(session, case):
    """A case named by its tracking number or id: its id (intake's record says)."""
    from services.intake.cases import by_tracking_number
    row = by_tracking_number(session, case)
    return row.id if row is not None else case


sites.add_command(routing_cli.sites_list)  # the sites routing's directory names
sites.add_command(reporting_cli.sites_feed)  # at a hub: each district's feed as received
for command in (intake_cli.commands + routing_cli.commands + sla_cli.commands + notify_cli.commands
                + reporting_cli.commands):
    main.add_command(command)


def _redact(url):
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()

