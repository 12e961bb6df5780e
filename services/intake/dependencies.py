"""Intake's dependencies: the catalogue, the sealer and the attachment store, set up once."""
from nameko.exceptions import ConfigurationError
from nameko.extensions import DependencyProvider

from shared.files import FileStore
from services.intake.cases import IntakeContext
from services.intake.catalogue import Catalogue
from services.intake.sealing import Sealer
from services.intake.throttle import Limits
from shared.config import data_dir, private_dir, project_path, seal_key, setting


class Intake(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.context = IntakeContext(
            catalogue=Catalogue.load(project_path(setting(config, "INTAKE", "subjects", "deploy/subjects.yml"))),
            sealer=Sealer(seal_key(config)),  # from SEAL_KEY, or the key file outside the data folder
            files=FileStore(private_dir(data_dir(config), tighten_contents=True) / "attachments"),
        )

    def get_dependency(self, worker_ctx):
        return self.context


class Throttling(DependencyProvider):
    """The limits of the INTAKE section (services/intake/throttle.py), checked at start; what they
    count is counted in intake's database (services/intake/counters.py)."""

    def setup(self):
        try:
            self.limits = Limits.from_settings(self.container.config.get("INTAKE"))
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None

    def get_dependency(self, worker_ctx):
        return self.limits

