"""shared/ is the common package the services build on: it imports no service, anywhere in a module
(inside functions too, and not by a module name given to importlib). Which services there are is
known only to the composition root, the services package (services/__init__.py, services/cli.py)."""
import ast

import pytest

from shared.config import PROJECT_ROOT

SHARED = sorted((PROJECT_ROOT / "shared").rglob("*.py"))


def _is_services(module):
    return module == "services" or module.startswith("services.")


def service_imports(path):
    """(line, what) for every import of `services` in the file: import and from-import statements at
    any depth, and importlib.import_module / __import__ given a module name written out (an f-string
    too, by its start)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if _is_services(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_services(node.module or ""):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            name = _literal_start(node.args[0])
            if called in ("import_module", "__import__") and _is_services(name):
                found.append((node.lineno, name))
    return sorted(found)


def _literal_start(node):
    """The module name a call is given, as far as it is written out: "services.sla.service", or
    "services." of f"services.{name}.service"."""
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def test_there_is_a_shared_package_to_check():
    assert {"config.py", "store.py", "migrations.py"} <= {p.name for p in SHARED}


@pytest.mark.parametrize("path", SHARED, ids=[str(p.relative_to(PROJECT_ROOT)) for p in SHARED])
def test_shared_imports_no_service(path):
    assert service_imports(path) == []


def test_the_check_finds_an_import_of_a_service_wherever_it_is(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import importlib\n"
        "import services.intake.throttle\n"
        "from services import SERVICE_NAMES\n"
        "from shared.config import load_config\n"
        "def command():\n"
        "    from services.routing.directory import Directory\n"
        "    importlib.import_module('services.sla.service')\n"
        "    return [importlib.import_module(f'services.{name}.service') for name in ('intake',)]\n")
    assert service_imports(module) == [(2, "services.intake.throttle"), (3, "services"),
                                       (6, "services.routing.directory"), (7, "services.sla.service"),
                                       (8, "services.")]
