"""One config loader: nameko YAML with ${VAR:default} substitution (the same syntax `nameko run` reads).

Also where a site keeps things on disk, and how: the data folder and everything Rongtuk writes in it
is its owner's alone (folders 0700, files 0600), and the seal key lives outside it.
"""
import base64
import logging
import os
import stat
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_ROOT / "deploy"
BASE_CONFIG = DEPLOY_DIR / "base.yml"
EMBEDDED_CONFIG = DEPLOY_DIR / "embedded.yml"
DISTRIBUTED_CONFIG = DEPLOY_DIR / "distributed.yml"

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

log = logging.getLogger(__name__)

_yaml_ready = False


class ConfigFileError(ValueError):
    """A config file that cannot be read as one: not a mapping, or its EXTENDS chain is broken."""


def load_config(path):
    """Read a config file, substituting ${VAR:default} from the environment.

    A file may name another under `EXTENDS` (relative to its own folder; `<deploy>/` is the installed
    release's deploy folder): that one is read first and this one's values laid over it, section by
    section (a mapping merges key by key; anything else replaces). deploy/embedded.yml and
    deploy/distributed.yml extend deploy/base.yml this way."""
    global _yaml_ready
    if not _yaml_ready:
        setup_yaml_parser()
        _yaml_ready = True
    return _load(Path(path), ())


def _load(path, seen):
    resolved = path.resolve()
    if resolved in seen:
        raise ConfigFileError(f"{path} extends itself: {' -> '.join(map(str, seen + (resolved,)))}")
    with open(path, encoding="utf-8") as f:
        values = yaml.safe_load(f) or {}
    if not isinstance(values, dict):
        raise ConfigFileError(f"{path} is not a mapping of settings")
    base = values.pop("EXTENDS", None)
    if base is None:
        return values
    # `<deploy>/distributed.yml`: the installed release's deploy/ folder, wherever it is installed
    base = str(base).replace("<deploy>", str(PROJECT_ROOT / "deploy"))
    return overlay(_load(path.parent / base, seen + (resolved,)), values)


def overlay(base, values):
    """`values` laid over `base`: mappings merged key by key, all the way down; other values replace.
    An empty section (`SMTP:` with only comments under it, read as None) keeps the base's section."""
    merged = dict(base)
    for key, value in values.items():
        if isinstance(merged.get(key), dict) and (value is None or isinstance(value, dict)):
            merged[key] = overlay(merged[key], value or {})
        else:
            merged[key] = value
    return merged


def site_id(config):
    return str(config.get("SITE_ID") or "HUB").upper()


def data_dir(config):
    """The folder for SQLite files and mail written to disk, relative paths from the project root."""
    return project_path(config.get("DATA_DIR") or "data")


def database_url(config, service_name):
    """Each service has its own database: DATABASES.<service> when the config names it (each its own
    role and password, as `rongtuk site init` writes them), else DATABASE_URL, a template with
    `<service>` in it (and `<data_dir>` for SQLite files), e.g. postgresql://db.example/rongtuk_<service>."""
    own = (config.get("DATABASES") or {}).get(service_name)
    template = str(own or config.get("DATABASE_URL") or "sqlite:///<data_dir>/<service>.db")
    url = template.replace("<service>", service_name).replace("<data_dir>", str(data_dir(config)))
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        path = Path(url[len("sqlite:///"):])
        if not path.is_absolute():
            path = PROJECT_ROOT / path
            url = "sqlite:///" + str(path)
        private_sqlite_file(path, data_dir(config))
    return url


def setting(config, section, key, default):
    """A value from a nested section, e.g. setting(config, "OUTBOX", "poll_interval", 1.0)."""
    value = (config.get(section) or {}).get(key)
    return default if value is None else value


def project_path(value):
    """A path a setting names: absolute as given (a leading ~ expanded), relative from the project root."""
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def sites_linked(config):
    """Whether this site's broker can carry events to other sites: kombu's in-memory transport
    (memory://, the embedded default) reaches no other process, let alone another site."""
    return not str(config.get("AMQP_URI") or "").startswith("memory")


# --- files and folders only the site's own user may read ------------------------------------------
# Explicit modes rather than a process umask: a umask is process-wide and would also change what the
# operator's own commands write (a trained model, an exported knowledge base), while these few
# places are all that Rongtuk itself writes under DATA_DIR.

def private_dir(path, tighten_contents=False):
    """Make `path` (and any missing parents) a folder only its owner may open (0700). A folder found
    open to others is closed; with `tighten_contents` everything already in it is made private too
    (what a site written before these modes left behind), once: the next time the folder is private."""
    path = Path(path)
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):  # the folders made here are private too, not only the last
        folder.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    path = missing[0] if missing else path
    status = path.stat()
    mode = stat.S_IMODE(status.st_mode)
    if mode == PRIVATE_DIR_MODE:
        return path
    if mode & stat.S_ISVTX or status.st_uid != os.geteuid():  # /tmp, say, or someone else's: not ours to close
        log.warning("%s is not a private folder (mode %o, owner uid %d): give Rongtuk a folder of its own, "
                    "0700 and owned by the user it runs as", path, mode, status.st_uid)
        return path
    try:
        os.chmod(path, PRIVATE_DIR_MODE)
    except PermissionError:
        log.warning("cannot make %s private (mode %o): make it 0700", path, mode)
        return path
    if tighten_contents and mode & 0o077:
        for root, dirs, files in os.walk(path):
            for name in dirs:
                _chmod_if_open(Path(root) / name, PRIVATE_DIR_MODE)
            for name in files:
                _chmod_if_open(Path(root) / name, PRIVATE_FILE_MODE)
    return path


def _chmod_if_open(path, mode):
    try:
        current = path.lstat()
        if not stat.S_ISLNK(current.st_mode) and stat.S_IMODE(current.st_mode) != mode:
            os.chmod(path, mode)
    except OSError:  # gone, not ours, or on a read-only mount (a key given as a Kubernetes secret)
        pass


def write_private_file(path, data: bytes):
    """Write `data` to `path` as a file only its owner may read (0600): written aside and renamed into
    place, so a reader never sees half of it and an existing file is replaced whole."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def private_sqlite_file(path, data_folder=None):
    """A SQLite database file made before SQLite makes it, so that it is 0600 from the start: SQLite
    gives its -wal, -shm and -journal files the database file's own mode. Files an older site left
    0644 are closed here, at every start. A database in the data folder makes the data folder 0700
    (and what an older site left open in it private, once); one elsewhere (DATABASE_URL names another
    folder) leaves that folder's mode alone unless it is made here: it may be /tmp, or shared."""
    path = Path(path)
    if data_folder is not None and _inside(path, data_folder):
        private_dir(data_folder, tighten_contents=True)
        private_dir(path.parent)
    elif not path.parent.exists():
        private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"):
        _chmod_if_open(path.with_name(name), PRIVATE_FILE_MODE)
    return path


# --- the seal key --------------------------------------------------------------------------------

class SealKeyError(RuntimeError):
    pass


def seal_key_file(config):
    """Where the seal key is kept when INTAKE.seal_key does not give it: INTAKE.seal_key_file
    (SEAL_KEY_FILE; relative to the project root), else keys/seal.key beside DATA_DIR, i.e. in the
    folder that holds the data folder (./keys/seal.key for the default ./data): never inside it, so
    that a copy of the data folder is not also the key to what is sealed in it."""
    configured = setting(config, "INTAKE", "seal_key_file", None)
    if configured:
        return project_path(configured)
    return data_dir(config).parent / "keys" / "seal.key"


def legacy_seal_key_file(config):
    """Where sites before the seal_key_file setting kept the key they made: in the data folder."""
    return data_dir(config) / "seal.key"


def seal_key(config):
    """The site's seal key: INTAKE.seal_key (SEAL_KEY) if set; else the key file, made on first use.

    A site whose key is still in DATA_DIR/seal.key (where it used to be made) has it moved to the key
    file once, with a warning; if it cannot be moved there, it is used where it is, with a warning at
    every start. Two different keys in the two places is refused: only one opens the site's data."""
    configured = setting(config, "INTAKE", "seal_key", None)
    if configured:
        return str(configured).strip()
    path, legacy = seal_key_file(config), legacy_seal_key_file(config)
    if _inside(path, data_dir(config)):
        log.warning("the seal key file %s is inside DATA_DIR: every copy of the data folder is also the key "
                    "to it; set SEAL_KEY_FILE to a path outside %s", path, data_dir(config))
    elif legacy.exists():
        moved = _move_legacy_key(legacy, path)
        if moved is not None:
            return moved
    if not path.exists():
        _publish_key(path, base64.urlsafe_b64encode(os.urandom(32)) + b"\n", "made a new seal key")
    _chmod_if_open(path, PRIVATE_FILE_MODE)
    return path.read_text().strip()


def _move_legacy_key(legacy, path):
    """Move DATA_DIR/seal.key to `path`; the key itself if it has to stay where it is, else None."""
    try:
        old = legacy.read_bytes()
    except FileNotFoundError:  # another process of the site moved it a moment ago
        return None
    if path.exists():
        if path.read_bytes().strip() != old.strip():
            raise SealKeyError(
                f"two different seal keys: {path} and {legacy} (where older versions made it). Only one of "
                f"them opens this site's sealed identities: keep that one at {path} and remove the other.")
        legacy.unlink(missing_ok=True)  # a copy left behind (a restored backup of the data folder, say)
        log.warning("removed %s, a copy of the seal key kept in %s", legacy, path)
        return None
    try:
        _publish_key(path, old, f"moved the seal key out of the data folder, from {legacy}")
    except OSError as exc:
        log.warning("the seal key is still in the data folder (%s): it could not be moved to %s (%s). Move it "
                    "there yourself, or set SEAL_KEY_FILE to a path outside %s; backups of the data folder "
                    "hold the key until then", legacy, path, exc, legacy.parent)
        return old.decode().strip()
    legacy.unlink(missing_ok=True)
    return None


def _publish_key(path, key: bytes, what):
    """Write a key file (0600, in a 0700 folder) only if there is none yet: of two processes doing it
    at once, one writes it and both read the same key."""
    if not path.parent.exists():  # a folder made for the key is private; an existing one is the operator's
        private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        os.link(temporary, path)  # fails if the file is there already
    except FileExistsError:
        return
    finally:
        temporary.unlink(missing_ok=True)
    log.warning("%s: %s. Back it up apart from the data folder: without it the sealed identities and "
                "addresses cannot be read", what, path)


def _inside(path, folder):
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
        return True
    except ValueError:
        return False
