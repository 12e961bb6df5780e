"""The `rongtuk` command: run the services, migrate their databases, inspect and replay dead letters."""
import importlib
import logging
import logging.config
import sys
import time

import click

# importing shared.config runs shared/__init__.py, which quietens eventlet's deprecation notice
from services import SERVICE_NAMES, upgrade_databases
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
    rongtuk kb ...              the knowledge base: list, put, remove, import, export, search
    rongtuk sites ...           the sites this one exchanges cases with, and the broker links
    rongtuk directory ...       show the organisation directory, check a new one before deploying it
    rongtuk sla deadline ...    the resolution deadline of a case received at a given time
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
    if "intake" in names:  # its limits (INTAKE section) refused now, before anything starts, as HTTP's are
        from services.intake.throttle import Limits
        try:
            Limits.from_settings(config.get("INTAKE"))
        except ValueError as exc:
            raise click.ClickException(f"cannot start intake: {exc}") from None
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


def _engines(config_path, services):
    from shared.store import make_engine
    config = load_config(config_path)
    for name in _service_names(services):
        yield name, make_engine(database_url(config, name))


@dlq.command("list")
@click.option("--service", "services", multiple=True, help="Only this service (repeatable).")
@click.option("--all", "include_replayed", is_flag=True, help="Include dead letters already replayed.")
@click.pass_obj
def dlq_list(config_path, services, include_replayed):
    """List dead letters, oldest first. IDs are SERVICE:NUMBER."""
    from shared import deadletters
    rows = []
    for name, engine in _engines(config_path, services):
        try:
            rows += [(name, row) for row in deadletters.listing(engine, include_replayed)]
        finally:
            engine.dispose()
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
    marked = {}
    for name, engine in _engines(config_path, chosen):
        try:
            marked[name] = deadletters.request_replay(engine, None if replay_all else wanted[name])
        finally:
            engine.dispose()
    total = sum(marked.values())
    click.echo(f"marked {total} dead letter(s) for replay"
               + "".join(f"; {n}: {c}" for n, c in marked.items() if c))
    if total and wait:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            pending = 0
            for name, engine in _engines(config_path, [n for n in marked if marked[n]]):
                try:
                    pending += sum(1 for r in deadletters.listing(engine)
                                   if r["status"] == deadletters.REPLAY_REQUESTED)
                finally:
                    engine.dispose()
            if not pending:
                click.echo("re-delivered")
                return
            time.sleep(0.2)
        click.echo("not yet re-delivered: is the service running?", err=True)
        sys.exit(1)


@main.group()
def calendar():
    """Extra holidays and working days (the Cabinet's announcements), on top of the official calendar.

    A change re-computes the deadlines of the running clocks it affects; the running sla service
    publishes the resulting sla_deadline_changed events.
    """


def _sla_store(config_path):
    from services.sla.policy import SlaPolicy
    from shared.config import site_id
    from shared.store import Store, make_engine
    config = load_config(config_path)
    engine = make_engine(database_url(config, "sla"))
    return Store(engine, "sla", site_id(config), "cli", on_emitted=lambda: None), SlaPolicy.from_config(
        config.get("SLA")), engine


def _change_calendar(config_path, action, day, **kwargs):
    from services.sla import clocks
    from services.sla.calendars import CalendarError
    from shared.store import utcnow
    store, policy, engine = _sla_store(config_path)
    try:
        result = store.run(clocks.change_calendar, action, day, policy, utcnow(), **kwargs)
    except CalendarError as exc:
        raise click.ClickException(str(exc))
    finally:
        engine.dispose()
    click.echo(f"{result['day']}: {action_word(action, kwargs.get('kind'))}; "
               f"{result['clocks_changed']} running clock(s) re-timed")


def action_word(action, kind):
    return "removed" if action == "remove" else f"{kind} added"


SITE_OPTION = click.option("--site", default="*", show_default=True,
                           help="The site the day applies to; * for every site.")


@calendar.command("add-holiday")
@click.argument("day")
@click.argument("name")
@SITE_OPTION
@click.pass_obj
def calendar_add_holiday(config_path, day, name, site):
    """Make DAY (YYYY-MM-DD) a holiday, named NAME (e.g. the Cabinet resolution)."""
    _change_calendar(config_path, "put", day, kind="holiday", name=name, site_id=site)


@calendar.command("add-workday")
@click.argument("day")
@click.argument("name")
@SITE_OPTION
@click.pass_obj
def calendar_add_workday(config_path, day, name, site):
    """Make DAY (YYYY-MM-DD) a working day, e.g. a Saturday given in exchange for a holiday."""
    _change_calendar(config_path, "put", day, kind="workday", name=name, site_id=site)


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
    from sqlalchemy.orm import Session

    from services.sla import calendars
    store, _, engine = _sla_store(config_path)
    try:
        with Session(engine) as session:
            days = calendars.listing(session, year, site)
    finally:
        engine.dispose()
    for entry in days:
        click.echo(f"{entry['day']}  {entry['kind']:<8} {entry['source']:<8} {entry['name']}")


@main.group()
def apikey():
    """API keys: `client` keys let Open311 apps post requests; `officer` keys record who took a
    complaint by phone, at the counter or by letter, and may reveal a complainant's identity."""


def _intake_store(config_path):
    from shared.config import site_id
    from shared.store import Store, make_engine
    config = load_config(config_path)
    engine = make_engine(database_url(config, "intake"))
    return Store(engine, "intake", site_id(config), "cli", on_emitted=lambda: None), engine


@apikey.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. 'Traffy Fondue' or an officer's name.")
@click.option("--role", type=click.Choice(["client", "officer"]), default="client", show_default=True)
@click.pass_obj
def apikey_create(config_path, name, role):
    """Create a key and print it once (only its hash is kept)."""
    from services.intake import apikeys
    store, engine = _intake_store(config_path)
    try:
        created = store.run(apikeys.create, name, role)
    except apikeys.ApiKeyError as exc:
        raise click.ClickException(str(exc))
    finally:
        engine.dispose()
    click.echo(f"id:   {created['id']}\nrole: {created['role']}\nkey:  {created['key']}")


@apikey.command("list")
@click.pass_obj
def apikey_list(config_path):
    """Every key: id, role, the first characters, when made and revoked."""
    from services.intake import apikeys
    store, engine = _intake_store(config_path)
    try:
        with store.reading() as session:
            keys = apikeys.listing(session)
    finally:
        engine.dispose()
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
    store, engine = _intake_store(config_path)
    try:
        store.run(apikeys.revoke, key_id)
    except apikeys.ApiKeyError as exc:
        raise click.ClickException(str(exc))
    finally:
        engine.dispose()
    click.echo(f"revoked {key_id}")


@main.group()
def directory():
    """The organisation directory: sites, units, their roles and the routing rules."""


@directory.command("show")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False),
              help="Another directory file (default: ROUTING_DIRECTORY of the config).")
@click.pass_obj
def directory_show(config_path, directory_path):
    """The directory as routing reads it (YAML): what a running routing also answers by RPC."""
    import yaml
    click.echo(yaml.safe_dump(_directory(config_path, directory_path).as_mapping(), allow_unicode=True,
                              sort_keys=False), nl=False)


@directory.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def directory_check(path):
    """Validate a directory file before deploying it: units, rules, triage unit and sites."""
    import yaml

    from services.routing.directory import Directory, DirectoryError
    try:
        found = Directory.load(path)
    except (DirectoryError, yaml.YAMLError, OSError) as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    click.echo(f"{path}: site {found.site or '-'}, {len(found.units)} units, {len(found.rules)} rules, "
               f"{len(found.sites)} sites, triage to {found.triage_unit.id}: valid")


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


@sites.command("list")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def sites_list(config_path, directory_path):
    """The sites in this site's directory, and whether personal data may go to each."""
    directory = _directory(config_path, directory_path)
    for site in directory.sites.values():
        here = " (this site)" if site.id == directory.site else ""
        shared = "complainant's contacts shared" if site.personal_data else "no personal data"
        click.echo(f"{site.id:<12} {site.kind:<8} {shared:<30} {site.name_th}{here}")


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


@main.group()
def routing():
    """The routing model: train it from confirmed routings, measure it on cases it has not seen."""


def _directory(config_path, directory_path):
    from services.routing.directory import Directory
    from shared.config import PROJECT_ROOT
    config = load_config(config_path)
    path = directory_path or config.get("ROUTING_DIRECTORY") or "deploy/directory.yml"
    return Directory.load(path if str(path).startswith("/") else PROJECT_ROOT / path)


@routing.command("train")
@click.option("--train", "train_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL of confirmed routings: {\"text\": ..., \"unit\": ...} per line.")
@click.option("--from-confirmed", is_flag=True,
              help="Also learn from the routings officers confirmed or corrected (routing's database).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Where to save the model (default: DATA_DIR/routing-model-<version>.joblib).")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False),
              help="The directory whose units it learns (default: ROUTING_DIRECTORY).")
@click.pass_obj
def routing_train(config_path, train_path, from_confirmed, out_path, directory_path):
    """Train a model and save it under its version; point ROUTING_MODEL at it to use it.

    Retraining is this command, run by a person: nothing retrains by itself."""
    from services.routing.model import ModelError, read_examples, train
    from shared.config import data_dir
    if not train_path and not from_confirmed:
        raise click.UsageError("give --train FILE, --from-confirmed, or both")
    examples = read_examples(train_path) if train_path else []
    if from_confirmed:
        from sqlalchemy.orm import Session

        from services.routing.assignments import confirmed_examples
        from shared.store import make_engine
        engine = make_engine(database_url(load_config(config_path), "routing"))
        try:
            with Session(engine) as session:
                examples += confirmed_examples(session)
        finally:
            engine.dispose()
    try:
        model = train(examples, _directory(config_path, directory_path))
    except ModelError as exc:
        raise click.ClickException(str(exc))
    path = out_path or data_dir(load_config(config_path)) / f"routing-model-{model.version}.joblib"
    model.save(path)
    click.echo(f"model {model.version}: {model.meta['examples']} examples, C={model.meta['C']}, "
               f"cross-validated accuracy {max(model.meta['cv_accuracy'].values() or [0]):.3f}")
    click.echo(f"saved to {path}")


@routing.command("evaluate")
@click.option("--train", "train_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL to train on; leave out to measure the directory's rules alone.")
@click.option("--test", "test_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of cases with the unit that should answer them (and, if known, their kind).")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--threshold", type=float, default=None,
              help="Probability the model's best unit needs (default: 1.25 / number of units).")
@click.option("--no-rules", is_flag=True, help="Measure the model alone.")
@click.pass_obj
def routing_evaluate(config_path, train_path, test_path, directory_path, threshold, no_rules):
    """Route every test case as the service would for a case that came with no kind, and print
    per-unit precision and recall, then `accuracy <fraction>` of the unit decision (triage counts
    as wrong) and, where the test file gives kinds, `kind accuracy <fraction>` of the kind read from
    the words and `kind false raises <n>` (decided 3 or 4 where the truth is 1 or 2)."""
    from services.routing.evaluation import evaluate
    from services.routing.model import ModelError, read_examples, read_labelled, train
    directory = _directory(config_path, directory_path)
    try:
        model = train(read_examples(train_path), directory) if train_path else None
        report = evaluate(read_labelled(test_path), directory, model, threshold, use_rules=not no_rules)
    except ModelError as exc:
        raise click.ClickException(str(exc))
    if model:
        click.echo(f"model {model.version}: C={model.meta['C']} chosen by cross-validation on the training data")
    for line in report.lines():
        click.echo(line)


@routing.command("cross-validate")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of confirmed routings: {\"text\", \"unit\"[, \"kind\"]} per line.")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--repeats", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option("--no-rules", is_flag=True, help="Measure the model alone.")
@click.pass_obj
def routing_cross_validate(config_path, train_path, directory_path, folds, repeats, no_rules):
    """The figure to optimise: unit accuracy of the whole decision over repeated stratified k-fold
    splits of the training file alone, each fold's model trained on the rest (held-out files stay
    held out). Prints `cross-validated accuracy <mean> ± <sd> over <n> folds`, and the kind accuracy."""
    from services.routing.evaluation import cross_validate
    from services.routing.model import ModelError, read_labelled, train
    directory = _directory(config_path, directory_path)
    try:
        mean, sd, runs, kinds = cross_validate(read_labelled(train_path), directory, train, folds, repeats,
                                               use_rules=not no_rules)
    except (ModelError, ValueError) as exc:
        raise click.ClickException(str(exc))
    click.echo(f"cross-validated accuracy {mean:.4f} ± {sd:.4f} over {runs} folds")
    if kinds is not None:
        click.echo(f"kind accuracy {kinds:.4f}")


@main.group()
def kb():
    """The knowledge base: the questions people ask and the office's answers; an inquiry close
    enough to an entry is answered from it at first contact.

    Entries live in routing's database, which these commands change directly; the running routing
    services notice a change at their next case. A site whose knowledge base never had an entry is
    first filled from KNOWLEDGE.file (deploy/knowledge.yml), here as when routing starts.
    """


def _kb_site(config_path):
    """(store, directory, config, engine) for routing's database, seeded as routing would seed it."""
    import sqlalchemy as sa

    from services.routing.dependencies import knowledge_file, seed_knowledge
    from shared.config import site_id
    from shared.store import Store, make_engine
    config = load_config(config_path)
    engine = make_engine(database_url(config, "routing"))
    if not sa.inspect(engine).has_table("knowledge_entries"):
        engine.dispose()
        raise click.ClickException("routing's database has no knowledge base yet: run `rongtuk db upgrade`")
    store = Store(engine, "routing", site_id(config), "cli", on_emitted=lambda: None)
    directory = _directory(config_path, None)
    path = knowledge_file(config)
    if path:
        _kb_call(lambda: seed_knowledge(store, path, directory.units))
    return store, directory, config, engine


def _kb_call(action):
    from services.routing.knowledge import KnowledgeError
    try:
        return action()
    except KnowledgeError as exc:
        raise click.ClickException(str(exc))


def _login():
    import getpass
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment
        return ""


OFFICER_OPTION = click.option("--officer", default=_login, show_default="your login name",
                              help="Who makes the change; it is recorded with the entry.")


@kb.command("list")
@click.option("--removed", is_flag=True, help="Include removed entries.")
@click.pass_obj
def kb_list(config_path, removed):
    """Every entry: id, unit, when and by whom last changed, its first question."""
    from services.routing import knowledge_admin
    store, _, _, engine = _kb_site(config_path)
    try:
        with store.reading() as session:
            entries = knowledge_admin.listing(session, include_removed=removed)
    finally:
        engine.dispose()
    if not entries:
        click.echo("no entries")
    for e in entries:
        state = f"removed {e['deleted_at'][:10]}" if e["deleted_at"] else f"{len(e['questions'])} question(s)"
        click.echo(f"{e['id']:<28} {e['unit'] or '(triage)':<20} {e['updated_at'][:16].replace('T', ' ')}Z  "
                   f"{e['updated_by'][:24]:<24} {state:<18} {e['questions'][0]}")


def _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new):
    from services.routing import knowledge_admin
    store, directory, _, engine = _kb_site(config_path)
    try:
        result = _kb_call(lambda: store.run(knowledge_admin.put, {
            "id": entry_id, "questions": list(questions), "answer": answer, "unit": unit}, officer,
            directory.units, must_be_new=must_be_new))
    finally:
        engine.dispose()
    click.echo(f"{result['id']}: {result['status']}")


def _entry_options(command):
    for option in reversed([
        click.option("--id", "entry_id", required=True, help="1-64 characters of a-z, 0-9, - _ ."),
        click.option("--question", "questions", multiple=True, required=True,
                     help="A question the entry answers (repeatable; the more ways of asking, the better)."),
        click.option("--answer", required=True, help="The answer the complainant receives."),
        click.option("--unit", default="", help="The unit the answered case is recorded with (default: triage)."),
        OFFICER_OPTION,
    ]):
        command = option(command)
    return command


@kb.command("put")
@_entry_options
@click.pass_obj
def kb_put(config_path, entry_id, questions, answer, unit, officer):
    """Add an entry, or replace the entry with that id (its questions, answer and unit all at once)."""
    _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new=False)


@kb.command("add")
@_entry_options
@click.pass_obj
def kb_add(config_path, entry_id, questions, answer, unit, officer):
    """Add a new entry; refused if the id is taken (`kb put` replaces)."""
    _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new=True)


@kb.command("remove")
@click.argument("entry_id")
@OFFICER_OPTION
@click.pass_obj
def kb_remove(config_path, entry_id, officer):
    """Remove the entry ENTRY_ID: inquiries are no longer answered from it (`kb list --removed` shows it)."""
    from services.routing import knowledge_admin
    store, _, _, engine = _kb_site(config_path)
    try:
        _kb_call(lambda: store.run(knowledge_admin.remove, entry_id, officer))
    finally:
        engine.dispose()
    click.echo(f"{entry_id}: removed")


@kb.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--remove-missing", is_flag=True, help="Also remove the entries FILE does not have.")
@OFFICER_OPTION
@click.pass_obj
def kb_import(config_path, file, remove_missing, officer):
    """Add or replace every entry of FILE (the format of deploy/knowledge.yml); all or nothing."""
    from services.routing import knowledge_admin
    store, directory, _, engine = _kb_site(config_path)
    try:
        counts = _kb_call(lambda: store.run(knowledge_admin.import_entries, knowledge_admin.read_file(file),
                                            officer, directory.units, remove_missing=remove_missing))
    finally:
        engine.dispose()
    click.echo(", ".join(f"{n} {word}" for word, n in counts.items()))


@kb.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, writable=True))
@click.pass_obj
def kb_export(config_path, file):
    """Write the entries as YAML (the format `kb import` reads) to FILE, or to the standard output."""
    from services.routing import knowledge_admin
    store, _, _, engine = _kb_site(config_path)
    try:
        with store.reading() as session:
            data = knowledge_admin.export(session)
    finally:
        engine.dispose()
    text = knowledge_admin.to_yaml(data)
    if file:
        with open(file, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"{len(data['entries'])} entries written to {file}")
    else:
        click.echo(text, nl=False)


@kb.command("search")
@click.argument("text")
@click.option("--top", default=3, show_default=True, help="How many entries to show.")
@click.pass_obj
def kb_search(config_path, text, top):
    """The entries closest to TEXT, best first, and whether an inquiry saying it would be answered."""
    from services.routing import knowledge_admin
    from shared.config import setting
    store, _, config, engine = _kb_site(config_path)
    try:
        with store.reading() as session:
            found = knowledge_admin.load(session).search(text, top=top)
    finally:
        engine.dispose()
    threshold = float(setting(config, "KNOWLEDGE", "threshold", 0.45))
    if not found:
        click.echo("no entries")
    for entry, score in found:
        verdict = "answers an inquiry" if score >= threshold else f"below {threshold}"
        click.echo(f"{score:.3f}  {entry.id:<28} {entry.unit_id or '(triage)':<20} {verdict}")
    if found and found[0][1] >= threshold:
        click.echo(f"\n{found[0][0].answer}")


@kb.command("history")
@click.argument("entry_id", required=False)
@click.pass_obj
def kb_history(config_path, entry_id):
    """Who added, replaced or removed entries (of ENTRY_ID), oldest first."""
    from services.routing import knowledge_admin
    store, _, _, engine = _kb_site(config_path)
    try:
        with store.reading() as session:
            changes = knowledge_admin.history(session, entry_id)
    finally:
        engine.dispose()
    if not changes:
        click.echo("no changes")
    for c in changes:
        click.echo(f"{c['at'][:19].replace('T', ' ')}Z  {c['action']:<9} {c['entry_id']:<28} {c['officer']}")


@main.group()
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

    from services.sla.calendar import BANGKOK, BusinessCalendar, resolution_target
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


def _redact(url):
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    main()
