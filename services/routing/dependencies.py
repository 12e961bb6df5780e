"""Routing's dependencies: the directory, the knowledge base and the model, read once at start."""
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

from services.routing.directory import Directory
from services.routing.knowledge import KnowledgeBase
from services.routing.model import RoutingModel
from shared.config import PROJECT_ROOT, setting


def _path(value):
    return value if str(value).startswith("/") else PROJECT_ROOT / value


@dataclass(frozen=True)
class RoutingSettings:
    directory: Directory
    knowledge: KnowledgeBase | None
    model: RoutingModel | None
    threshold: float | None
    kb_threshold: float


class Routing(DependencyProvider):
    def setup(self):
        config = self.container.config
        model_path = config.get("ROUTING_MODEL") or ""
        knowledge_path = setting(config, "KNOWLEDGE", "file", "deploy/knowledge.yml")
        threshold = setting(config, "ROUTING", "threshold", None)
        self.settings = RoutingSettings(
            directory=Directory.load(_path(config.get("ROUTING_DIRECTORY") or "deploy/directory.yml")),
            knowledge=KnowledgeBase.load(_path(knowledge_path)) if knowledge_path else None,
            model=RoutingModel.load(_path(model_path)) if model_path else None,
            threshold=float(threshold) if threshold not in (None, "") else None,
            kb_threshold=float(setting(config, "KNOWLEDGE", "threshold", 0.45)),
        )

    def get_dependency(self, worker_ctx):
        return self.settings
