"""A site from nothing, and a look at a running one: `rongtuk site init` and `rongtuk doctor`.

`site init` writes a site's configuration into a folder of its own (`site.yml`, the settings an
operator edits; `secrets.yml`, readable by its owner alone, with the passwords, the /metrics token
and where the seal key is; `keys/seal.key`, outside the data folder), creates one PostgreSQL role and
database per service (each role owns its database and may connect to no other), a RabbitMQ vhost for
the site with three users allowed on that vhost alone (the services'; a monitor user that reads the
federation links' state and nothing else; the link user other sites' federation links log in as,
allowed to read the two exchanges sites link through), imports
deploy/rabbitmq/definitions.json into the vhost and migrates every database. Everything it finds
already there it keeps: run again, it changes nothing (and an operator's edits to site.yml stay).

`doctor` checks a site as its config describes it and says, in plain words, what is wrong: the
broker, each service's database and its migrations, each service answering /healthz, the clocks of
this machine, the database server and the services, the links to other sites, the seal key.

This module is the composition root's (it knows every service); the RabbitMQ and PostgreSQL work is
plain calls on their admin interfaces, with nothing of nameko.
"""
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlparse

import yaml

from services import SERVICE_NAMES
from shared import sites
from shared.config import PROJECT_ROOT

DEFINITIONS = PROJECT_ROOT / "deploy" / "rabbitmq" / "definitions.json"
FIRST_PORT = 8000
MAX_SKEW = 5.0   # seconds between two clocks doctor lets pass


def slug(site_id):
    """A site id as a name PostgreSQL and RabbitMQ take without quoting: lower case, [a-z0-9_]. Only
    ids that are such a name already are taken (two ids never share a name), 32 characters at most
    (a role's name, rongtuk_<site>_<service>, stays within PostgreSQL's 63)."""
    name = str(site_id).strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name):
        raise ValueError(f"site id {site_id!r}: a letter first, then letters, digits or _ (32 at most)")
    return name


def role_name(site_id, service):
    return f"rongtuk_{slug(site_id)}_{service}"


@dataclass
class Site:
    """What `site init` is told (the rest it derives)."""
    site_id: str
    folder: Path
    broker: str = "amqp://guest:guest@127.0.0.1:5672/"        # an admin's AMQP URI: host, port, credentials
    management: str | None = None                              # default: the broker's host, port 15672
    postgres: str = "postgresql://postgres@127.0.0.1:5432/postgres"  # an admin's connection
    # where each service answers, {service} and {port} filled in (intake's port first_port, the others
    # the next ones): 127.0.0.1:{port} for processes on this machine, {service}:8000 in docker compose
    address: str = "127.0.0.1:{port}"
    first_port: int = FIRST_PORT
    hub: str | None = None                                     # the site this one feeds (FEED.hub)
    vhost: str | None = None
    data: Path | None = None                                   # DATA_DIR; default: the folder's data/
    said: list = field(default_factory=list)

    def __post_init__(self):
        self.site_id = str(self.site_id).strip().upper()
        slug(self.site_id)  # a site id it cannot name roles and a vhost after is refused before anything
        self.folder = Path(self.folder).resolve()
        self.data = Path(self.data).resolve() if self.data else self.folder / "data"
        self.vhost = self.vhost or self.broker_user   # rongtuk-ksn: the vhost is named as its user
        if self.management and not urlparse(self.management).username:  # the broker's administrator, as said
            broker, given = urlparse(self.broker), urlparse(self.management)
            self.management = given._replace(netloc=f"{broker.username or 'guest'}:{broker.password or 'guest'}@"
                                                    f"{given.netloc}").geturl()

    def say(self, line):
        self.said.append(line)

    @property
    def broker_user(self):
        """The services' RabbitMQ user; `-monitor` and `-link` name the other two."""
        return f"rongtuk-{slug(self.site_id).replace('_', '-')}"

    @property
    def addresses(self):
        return {name: self.address.format(service=name, port=self.first_port + n)
                for n, name in enumerate(SERVICE_NAMES)}


# --- files ----------------------------------------------------------------------------------------

def _private_write(path, text):
    """Write `text` to `path` readable by its owner alone (written aside, synced and renamed into place:
    never half a file, never readable by others for a moment); True if the file changed."""
    from shared.config import write_private_file
    if path.exists() and path.read_text(encoding="utf-8") == text:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        return False
    write_private_file(path, text.encode("utf-8"))
    return True


def _token():
    return secrets.token_urlsafe(24)


def _secrets_of(site):
    """The site's passwords and token: those of secrets.yml when it is there, else new ones."""
    path = site.folder / "secrets.yml"
    kept = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    kept = (kept or {}).get("x-rongtuk-site") or {}
    found = {"broker": kept.get("broker") or _token(), "link": kept.get("link") or _token(),
             "monitor": kept.get("monitor") or _token(), "metrics": kept.get("metrics") or _token(),
             "databases": {name: (kept.get("databases") or {}).get(name) or _token() for name in SERVICE_NAMES}}
    return found


def write_files(site):
    """site.yml (kept if there), secrets.yml and keys/seal.key (made once); returns the secrets."""
    from cryptography.fernet import Fernet

    site.folder.mkdir(parents=True, exist_ok=True)
    keys = site.folder / "keys"
    keys.mkdir(mode=0o700, exist_ok=True)
    os.chmod(keys, 0o700)
    seal = keys / "seal.key"
    if seal.exists():
        site.say(f"kept     {seal}")
    else:
        _private_write(seal, Fernet.generate_key().decode() + "\n")
        site.say(f"made     {seal} (back it up apart from the data: without it no sealed identity can be read)")

    found = _secrets_of(site)
    broker, postgres = urlparse(site.broker), urlparse(site.postgres)
    user = site.broker_user
    amqp = (f"amqp://{user}:{found['broker']}@{broker.hostname or '127.0.0.1'}:{broker.port or 5672}/"
            f"{quote(site.vhost, safe='')}")
    databases = {name: f"postgresql://{role_name(site.site_id, name)}:{found['databases'][name]}@"
                       f"{postgres.hostname or '127.0.0.1'}:{postgres.port or 5432}/{role_name(site.site_id, name)}"
                 for name in SERVICE_NAMES}
    api = urlparse(_api(site))
    monitor = (f"http://{user}-monitor:{found['monitor']}@{api.hostname or '127.0.0.1'}:{api.port or 15672}")
    secret_values = {
        "EXTENDS": "<deploy>/distributed.yml",
        "AMQP_URI": amqp,
        "DATABASES": databases,
        "METRICS": {"token": found["metrics"], "broker_management": monitor},
        "INTAKE": {"seal_key_file": str(seal)},
        "x-rongtuk-site": found,   # what a second `site init` keeps
    }
    text = ("# Written by `rongtuk site init`: passwords, the /metrics token and the seal key's place. Readable\n"
            "# by its owner alone; back it up with keys/ (docs/operations.md#a-site-from-nothing).\n"
            + yaml.safe_dump(secret_values, sort_keys=False, allow_unicode=True))
    changed = _private_write(site.folder / "secrets.yml", text)
    site.say(f"{'wrote' if changed else 'kept '}    {site.folder / 'secrets.yml'}")

    config = site.folder / "site.yml"
    if config.exists():
        site.say(f"kept     {config} (your edits stay)")
        _note_differences(site, yaml.safe_load(config.read_text(encoding="utf-8")) or {})
    else:
        values = {
            "EXTENDS": "secrets.yml",
            "SITE_ID": site.site_id,
            "DATA_DIR": str(site.data),
            "FEED": {"hub": site.hub or ""},
            "QUEUES": {"type": "quorum"},
            "SITE": {"vhost": site.vhost, "link_user": f"{user}-link",
                     "services": site.addresses},
        }
        config.write_text("# Site " + site.site_id + ", written by `rongtuk site init`; edit freely (a second init "
                          "keeps it).\n# Settings not here are deploy/distributed.yml's and deploy/base.yml's "
                          "(docs/operations.md).\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
        os.chmod(config, 0o640)
        site.say(f"wrote    {config}")
    site.data.mkdir(mode=0o700, parents=True, exist_ok=True)
    return found


def _note_differences(site, kept):
    """Say where this run's options differ from the site.yml it keeps (it does not change the file)."""
    said = {"FEED.hub": ((kept.get("FEED") or {}).get("hub") or "", site.hub or ""),
            "DATA_DIR": (str(kept.get("DATA_DIR") or ""), str(site.data)),
            "SITE.services": ((kept.get("SITE") or {}).get("services") or {}, site.addresses)}
    for setting, (there, asked) in said.items():
        if there != asked:
            site.say(f"note     site.yml keeps {setting} {there!r}, not {asked!r} as asked: edit it to change it")


# --- PostgreSQL -----------------------------------------------------------------------------------

def _literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def _scram(conn, password, role):
    """The password as PostgreSQL keeps it (SCRAM-SHA-256), made here: a failed statement or a server
    that logs its DDL shows the hash, never the password."""
    from psycopg2.extensions import encrypt_password
    return encrypt_password(password, role, conn.connection.dbapi_connection, "scram-sha-256")


def _logs_in(site, role, password):
    """Whether `role` logs in to its database with `password` (so there is nothing to set)."""
    import psycopg2
    server = urlparse(site.postgres)
    try:
        psycopg2.connect(host=server.hostname or "127.0.0.1", port=server.port or 5432, dbname=role, user=role,
                         password=password, connect_timeout=10).close()
        return True
    except psycopg2.Error:
        return False


def make_databases(site, found):
    """One role and database per service; the role owns its database, and no one else may connect."""
    import sqlalchemy as sa

    from shared.store import make_engine
    admin = make_engine(site.postgres).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in SERVICE_NAMES:
                role = role_name(site.site_id, name)
                password = _scram(conn, found["databases"][name], role)  # the password never travels in clear
                if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
                    if _logs_in(site, role, found["databases"][name]):
                        site.say(f"kept     PostgreSQL role {role}")
                    else:  # a password rotated (or set by hand): the one in secrets.yml again
                        conn.exec_driver_sql(f'ALTER ROLE "{role}" WITH LOGIN PASSWORD {_literal(password)}')
                        site.say(f"set      PostgreSQL role {role}'s password (secrets.yml's)")
                else:
                    conn.exec_driver_sql(f'CREATE ROLE "{role}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                                         f"PASSWORD {_literal(password)}")  # no bind markers read in the hash
                    site.say(f"made     PostgreSQL role {role}")
                if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": role}).first():
                    site.say(f"kept     PostgreSQL database {role}")
                else:
                    conn.execute(sa.text(f'CREATE DATABASE "{role}" OWNER "{role}"'))
                    site.say(f"made     PostgreSQL database {role}")
                conn.execute(sa.text(f'REVOKE ALL ON DATABASE "{role}" FROM PUBLIC'))
                conn.execute(sa.text(f'GRANT CONNECT, TEMPORARY ON DATABASE "{role}" TO "{role}"'))
    finally:
        admin.dispose()


# --- RabbitMQ -------------------------------------------------------------------------------------

def _api(site):
    return site.management or sites.management_url(site.broker)


def make_broker(site, found):
    """The site's vhost, its user (that vhost alone), the link user (read the linked exchanges), the
    definitions; all PUT, so a second run changes nothing."""
    api, v = _api(site), quote(site.vhost, safe="")
    existed = sites.exists(f"{api}/api/vhosts/{v}")
    sites.call("PUT", f"{api}/api/vhosts/{v}", json={"description": f"Rongtuk site {site.site_id}"})
    site.say(f"{'kept ' if existed else 'made '}    RabbitMQ vhost {site.vhost}")
    user = site.broker_user
    link_user = f"{user}-link"
    for name, password, tags, permissions in [
            (user, found["broker"], "", {"configure": ".*", "write": ".*", "read": ".*"}),
            # reporting and doctor read the federation links' state through the management API as this
            # user (METRICS.broker_management): it may read and declare nothing
            (f"{user}-monitor", found["monitor"], "monitoring", {"configure": "^$", "write": "^$", "read": "^$"}),
            # another site's federation link logs in as this user: it declares and reads its own
            # `federation: ...` queue, bound to the two exchanges sites link through
            (link_user, found["link"], "", {"configure": "^federation: .*$", "write": "^federation: .*$",
                                            "read": r"^(rongtuk\.sites|rongtuk\.feed|federation: .*)$"})]:
        existed = sites.exists(f"{api}/api/users/{quote(name, safe='')}")
        sites.call("PUT", f"{api}/api/users/{quote(name, safe='')}", json={"password": password, "tags": tags})
        sites.call("PUT", f"{api}/api/permissions/{v}/{quote(name, safe='')}", json=permissions)
        site.say(f"{'kept ' if existed else 'made '}    RabbitMQ user {name} (vhost {site.vhost} only)")
    definitions = json.loads(DEFINITIONS.read_text(encoding="utf-8"))
    sites.call("POST", f"{api}/api/definitions/{v}", json=definitions)
    site.say(f"applied  {DEFINITIONS.relative_to(PROJECT_ROOT)} to vhost {site.vhost}")


def init(site):
    """`rongtuk site init`: everything above, then the migrations. Returns the config file's path."""
    from services import upgrade_databases
    from shared.config import load_config
    found = write_files(site)
    make_databases(site, found)
    make_broker(site, found)
    config_path = site.folder / "site.yml"
    for name, _url in upgrade_databases(load_config(config_path)):
        site.say(f"at head  {name}'s database")
    return config_path


def write_systemd_files(site, folder):
    """rongtuk.env and instances/<service>-1.env for the rongtuk@ units (deploy/systemd/): one process
    of each service, at its address; kept if there."""
    folder = Path(folder)
    (folder / "instances").mkdir(parents=True, exist_ok=True)
    files = {folder / "rongtuk.env": f"RONGTUK_CONFIG={site.folder / 'site.yml'}\nLOG_LEVEL=INFO\n"}
    for name, address in site.addresses.items():
        host, _, port = address.rpartition(":")
        files[folder / "instances" / f"{name}-1.env"] = f"RONGTUK_SERVICE={name}\nWEB_SERVER_ADDRESS={host}:{port}\n"
    for path, text in files.items():
        if path.exists():
            site.say(f"kept     {path}")
        else:
            path.write_text(text, encoding="utf-8")
            site.say(f"wrote    {path}")


# --- doctor ---------------------------------------------------------------------------------------

@dataclass
class Finding:
    ok: bool
    what: str
    detail: str = ""


def doctor(config, now=None):
    """[Finding] for the site `config` describes: every check, passed or not."""
    findings = []
    findings += _broker_findings(config)
    findings += _database_findings(config, now)
    findings += _service_findings(config, now)
    findings += _link_findings(config)
    findings += _seal_findings(config)
    return findings


def _broker_findings(config):
    from kombu import Connection
    uri = str(config.get("AMQP_URI") or "")
    if uri.startswith("memory"):
        return [Finding(True, "broker", "the in-memory broker (embedded mode)")]
    try:
        with Connection(uri, connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=1)
        return [Finding(True, "broker", f"{urlparse(uri).hostname}:{urlparse(uri).port or 5672} answers")]
    except Exception as exc:
        return [Finding(False, "broker", f"RabbitMQ at {urlparse(uri).hostname}:{urlparse(uri).port or 5672} "
                                          f"does not answer or refuses the site's user: {type(exc).__name__}")]


def _database_findings(config, now):
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from services import migrations_folders
    from shared.config import database_url
    from shared.migrations import alembic_config
    from shared.store import make_engine
    findings = []
    for name, folder in migrations_folders().items():
        url = database_url(config, name)
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                current = set(MigrationContext.configure(conn).get_current_heads())
                head = set(ScriptDirectory.from_config(alembic_config(name, folder, url)).get_heads())
                if current != head:
                    findings.append(Finding(False, f"{name} database", f"at migration {', '.join(current) or 'none'}, "
                                            f"not {', '.join(head)}: run `rongtuk db upgrade --service {name}`"))
                    continue
                missing = sorted(set(_tables_of(name)) - set(sa.inspect(conn).get_table_names()))
                if missing:
                    findings.append(Finding(False, f"{name} database", f"at head but without the table(s) "
                                            f"{', '.join(missing)}: restore it from a backup"))
                    continue
                skew = None
                if conn.dialect.name == "postgresql":
                    server = conn.execute(sa.text("SELECT now()")).scalar()
                    skew = abs(((now or datetime.now(timezone.utc)) - server).total_seconds())
                if skew is not None and skew > MAX_SKEW:
                    findings.append(Finding(False, f"{name} database", f"its server's clock is {skew:.0f} s "
                                            "away from this machine's: set both to NTP"))
                else:
                    findings.append(Finding(True, f"{name} database", "reachable, migrations at head"))
        except Exception as exc:
            findings.append(Finding(False, f"{name} database", f"cannot connect ({type(exc).__name__}): is "
                                    "PostgreSQL running, and the role's password the one in the site's secrets?"))
        finally:
            engine.dispose()
    return findings


def _tables_of(service):
    import importlib

    from shared.store import messaging
    models = importlib.import_module(f"services.{service}.models")
    return list(models.metadata.tables) + list(messaging.tables)


def _service_findings(config, now):
    import requests

    from shared.config import site_id
    addresses = ((config.get("SITE") or {}).get("services") or
                 {name: str(config.get("WEB_SERVER_ADDRESS") or "127.0.0.1:8000") for name in SERVICE_NAMES})
    findings = []
    for name in SERVICE_NAMES:
        address = addresses.get(name)
        if not address:
            findings.append(Finding(False, name, "SITE.services names no address for it"))
            continue
        host, _, port = str(address).rpartition(":")
        host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        try:
            answer = requests.get(f"http://{host}:{port}/healthz", timeout=10)
        except requests.RequestException:
            findings.append(Finding(False, name, f"does not answer at {host}:{port}: is it running "
                                    f"(systemctl status rongtuk@{name}-1)?"))
            continue
        try:
            body = answer.json()
        except ValueError:
            body = {}
        checks = (body.get("services") or {}).get(name) if isinstance(body, dict) else None
        if checks is None:
            findings.append(Finding(False, name, f"{host}:{port} answers, but not as {name}"))
        elif str(body.get("site") or "").upper() != site_id(config):
            findings.append(Finding(False, name, f"{host}:{port} answers as {name} of site {body.get('site')}, "
                                                 f"not of {site_id(config)}"))
        elif answer.status_code != 200 and any(v != "ok" for v in checks.values()):
            failing = [k for k, v in checks.items() if v != "ok"]
            findings.append(Finding(False, name, f"running, but its {' and '.join(failing)} failing "
                                                 "(its log says why)"))
        else:
            skew = _skew(answer.headers.get("Date"), now)
            if skew is not None and skew > MAX_SKEW:
                findings.append(Finding(False, name, f"its machine's clock is {skew:.0f} s away from this one's"))
            else:
                findings.append(Finding(True, name, f"answers at {host}:{port}, its database and broker ok"))
    return findings


def _skew(date_header, now):
    if not date_header:
        return None
    try:
        return abs(((now or datetime.now(timezone.utc)) - parsedate_to_datetime(date_header)).total_seconds())
    except (TypeError, ValueError):
        return None


def _link_findings(config):
    from services.reporting.feed_link import links_api
    uri = str(config.get("AMQP_URI") or "")
    if uri.startswith("memory"):
        return []
    api = links_api(config)
    if api is None:
        return [Finding(True, "links", "not looked at (METRICS.broker_management is off)")]
    try:
        links = sites.links_up(api, sites.vhost_of(uri), timeout=10)
    except sites.LinkError as exc:
        return [Finding(False, "links", f"the broker's management API does not tell the links: {exc}")]
    if not links:
        return [Finding(True, "links", "this site has no links to other sites (rongtuk sites link)")]
    down = sorted(f"{upstream} ({exchange})" for (upstream, exchange), running in links.items() if not running)
    if down:
        return [Finding(False, "links", f"not running: {', '.join(down)} (rongtuk sites status says why)")]
    return [Finding(True, "links", f"{len({u for u, _e in links})} upstream(s), every link running")]


def _seal_findings(config):
    from shared.config import seal_key_file, setting
    if setting(config, "INTAKE", "seal_key", ""):
        return [Finding(True, "seal key", "given in the configuration")]
    path = Path(seal_key_file(config))
    if not path.exists():
        return [Finding(False, "seal key", f"{path} is missing: restore it from the backup (without it, no "
                                           "identity sealed under it can be read)")]
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        return [Finding(False, "seal key", f"{path} cannot be read by this user ({exc.strerror})")]
    if len(text) != 44:
        return [Finding(False, "seal key", f"{path} does not hold a key")]
    if path.stat().st_mode & 0o077:
        return [Finding(False, "seal key", f"{path} is readable by others: chmod 600 it")]
    return [Finding(True, "seal key", f"{path} readable, by its owner alone")]
