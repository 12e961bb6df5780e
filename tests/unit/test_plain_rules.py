"""The rules and the exceptions of each service stay plain: imported alone, in a fresh interpreter, none
of them brings in nameko, eventlet, kombu or SQLAlchemy (docs/developers.md, "The services")."""
import subprocess
import sys

import pytest

from shared.config import PROJECT_ROOT

PLAIN = (
    "services.intake.exceptions", "services.intake.status", "services.intake.tracking", "services.intake.duplicates",
    "services.intake.throttle", "services.intake.open311",
    "services.routing.exceptions", "services.routing.case_states", "services.routing.unit_states",
    "services.routing.directory",
    "services.sla.exceptions", "services.sla.clock_states", "services.sla.calendar", "services.sla.policy",
    "services.notify.exceptions", "services.notify.messages",
    "services.reporting.exceptions", "services.reporting.timeline", "services.reporting.periods",
    "services.reporting.indicators", "services.reporting.figures",
)
FRAMEWORKS = ("nameko", "eventlet", "kombu", "sqlalchemy")


@pytest.mark.parametrize("module", PLAIN)
def test_a_rules_module_imports_no_framework(module):
    check = (f"import sys; import {module}; "
             f"print(' '.join(m for m in {FRAMEWORKS!r} if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", check], cwd=PROJECT_ROOT, capture_output=True, text=True,
                           timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "", f"{module} brings in {found.stdout.strip()}"
