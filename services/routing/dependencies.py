"""Routing's dependencies: the model, read once at start; the directory, read again when its file
changes; and the knowledge base, which lives in routing's database and is re-read whenever an
officer changed it."""
import logging
import threading
import time
from dataclasses import dataclass, replace

import yaml
from nameko.extensions import DependencyProvider
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from services.routing import knowledge_admin
from services.routing.directory import Directory, DirectoryError
from services.routing.knowledge import KnowledgeBase
from services.routing.model import RoutingModel
from shared.config import data_dir, project_path, setting
from shared.files import FileStore
from shared.store import Database

log = logging.getLogger(__name__)


def knowledge_file(config):
    """The file a new site's knowledge base is seeded from (KNOWLEDGE.file); None when unset."""
    path = setting(config, "KNOWLEDGE", "file", "deploy/knowledge.yml")
    return project_path(path) if path else None


def _nothing():
    return None


@dataclass(frozen=True)
class RoutingSettings:
    directory: Directory
    knowledge: KnowledgeBase | None
    model: RoutingModel | None
    threshold: float | None
    kb_threshold: float
    knowledge_changed: object = _nothing  # call after changing the knowledge base in this process
    files: FileStore | None = None         # result documents, under DATA_DIR/result-documents


class KnowledgeIndex:
    """The search index over the knowledge base in the database, rebuilt when its revision moved.

    Each process keeps its own; a cheap query per worker tells whether anyone (another worker, another
    routing process, `rongtuk kb`) changed an entry since the index was built."""

    def __init__(self, engine, interval=1.0):
        self.engine = engine
        self.interval = interval    # seconds between two looks at the stored revision
        self.revision = None
        self.index = None
        self._checked = float("-inf")
        self._lock = threading.Lock()  # green under eventlet: one rebuild at a time

    def invalidate(self):
        """This process changed the knowledge base: look at the revision on the next call."""
        self._checked = float("-inf")

    def current(self):
        now = time.monotonic()
        if self.index is not None and now - self._checked < self.interval:
            return self.index
        self._checked = now
        with Session(self.engine) as session:
            revision = knowledge_admin.revision(session)
            if revision != self.revision:
                with self._lock:
                    if revision != self.revision:
                        # built after the revision was read: at worst rebuilt once more than needed
                        self.index = knowledge_admin.load(session)
                        self.revision = revision
                        log.info("knowledge base index built: %d entries (revision %s)",
                                 len(self.index.entries), revision)
        return self.index


class DirectoryFile:
    """The directory as its file says, read again when the file changes. A file that no longer
    validates is refused (logged) and the directory last read stays in use."""

    def __init__(self, path):
        self.path = path
        self.directory = Directory.load(path)  # at start an invalid directory stops the service
        self._stamp = self._stat()

    def _stat(self):
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def current(self):
        stamp = self._stat()
        if stamp is not None and stamp != self._stamp:
            self._stamp = stamp
            try:
                self.directory = Directory.load(self.path)
                log.info("directory %s read again: %d units, %d rules, %d sites", self.path,
                         len(self.directory.units), len(self.directory.rules), len(self.directory.sites))
            except (DirectoryError, OSError, ValueError, yaml.YAMLError) as exc:
                log.error("directory %s changed but is not valid, keeping the one in use: %s", self.path, exc)
        return self.directory


def seed_knowledge(store, path, units, attempts=3):
    """Fill a knowledge base that never had an entry from the file at `path` (see knowledge_admin.seed)."""
    for attempt in range(1, attempts + 1):
        try:
            return store.run(knowledge_admin.seed, path, units)
        except (IntegrityError, OperationalError):
            # another process seeding at the same moment (PostgreSQL: the same ids; SQLite: the lock);
            # once it has committed, the next attempt finds the entries and leaves them
            if attempt == attempts:
                raise
            time.sleep(0.2 * attempt)


class Routing(DependencyProvider):
    def setup(self):
        config = self.container.config
        model_path = config.get("ROUTING_MODEL") or ""
        threshold = setting(config, "ROUTING", "threshold", None)
        self.knowledge_file = knowledge_file(config)
        self.index = None
        self.directory_file = DirectoryFile(project_path(config.get("ROUTING_DIRECTORY") or "deploy/directory.yml"))
        self.settings = RoutingSettings(
            directory=self.directory_file.directory,
            knowledge=None,
            model=RoutingModel.load(project_path(model_path)) if model_path else None,
            threshold=float(threshold) if threshold not in (None, "") else None,
            kb_threshold=float(setting(config, "KNOWLEDGE", "threshold", 0.45)),
            files=FileStore(data_dir(config) / "result-documents"),
        )

    def start(self):
        database = Database.of(self.container)
        if database is None:  # a service without a database: the file, as read at start
            if self.knowledge_file:
                self.settings = replace(self.settings, knowledge=KnowledgeBase.load(self.knowledge_file))
            return
        if self.knowledge_file:
            seeded = seed_knowledge(database.store(f"{self.container.service_name}.knowledge_seed"),
                                    self.knowledge_file, self.settings.directory.units)
            if seeded and seeded["added"]:
                log.info("knowledge base seeded from %s: %d entries", self.knowledge_file, seeded["added"])
        self.index = KnowledgeIndex(database.engine,
                                    float(setting(self.container.config, "KNOWLEDGE", "refresh_interval", 1.0)))
        self.index.current()  # the first case does not wait for the build

    def get_dependency(self, worker_ctx):
        directory = self.directory_file.current()
        if directory is not self.settings.directory:
            self.settings = replace(self.settings, directory=directory)
        if self.index is None:
            return self.settings
        return replace(self.settings, knowledge=self.index.current(), knowledge_changed=self.index.invalidate)
