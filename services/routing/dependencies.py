"""Routing's dependencies: the directory, read once when the service starts."""
from nameko.extensions import DependencyProvider

from services.routing.directory import Directory
from shared.config import DEPLOY_DIR, PROJECT_ROOT


class DirectoryProvider(DependencyProvider):
    def setup(self):
        path = self.container.config.get("ROUTING_DIRECTORY") or DEPLOY_DIR / "directory.yml"
        path = PROJECT_ROOT / path if not str(path).startswith("/") else path
        self.directory = Directory.load(path)

    def get_dependency(self, worker_ctx):
        return self.directory
