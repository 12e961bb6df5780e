"""Rongtuk's services, and the one list of them.

This package is the composition root: here alone (this module, and `services/cli.py`, the `rongtuk`
command) is it known which services make up Rongtuk and where each keeps its migrations. `shared/`
is the common package the services build on, and depends on none of them
(tests/unit/test_shared_independence.py); each service depends on shared alone and owns its tables,
migrations and commands. A package knowing its own members is the natural place for the
list: a new service is a folder here, its name below, and its commands (if it has any) added to
`rongtuk` in services/cli.py.
"""
from pathlib import Path

SERVICE_NAMES = ("intake", "routing", "sla", "notify", "reporting")

_FOLDER = Path(__file__).resolve().parent


def migrations_folders(names=SERVICE_NAMES):
    """Each service's own Alembic history: services/<name>/migrations."""
    return {name: _FOLDER / name / "migrations" for name in names}


def upgrade_databases(config, names=SERVICE_NAMES, revision="head"):
    """Bring the databases of the services `names` to `revision`; returns [(name, url)]."""
    from shared import migrations  # imported here: Alembic and eventlet are not for every import of a service
    return migrations.upgrade(config, migrations_folders(names), revision)
