"""The pure engines import no Django (docs/architecture.md, "Pure engines"): each module of each
engine is imported in a fresh interpreter, which must end with no `django` module loaded."""

import subprocess
import sys

import pytest

ENGINES = [
    "ecogov.core.workdays",
    "ecogov.core.holiday_notice",
    "ecogov.core.creditcode",
    "ecogov.core.dates",
    "ecogov.core.spreadsheet",
    "ecogov.airquality.engine",
    "ecogov.inspections.draw",
    "ecogov.eia.zoning",
]

PROBE = """
import importlib, pkgutil, sys
root = importlib.import_module({name!r})
modules = [root.__name__]
if hasattr(root, "__path__"):
    modules += [m.name for m in pkgutil.walk_packages(root.__path__, root.__name__ + ".")]
for name in modules:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(modules), loaded[:3])
sys.exit(1 if loaded else 0)
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_the_engine_imports_no_django(engine):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(name=engine)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{engine} loads Django: {done.stdout}{done.stderr}"


def test_the_probe_sees_django_when_it_is_imported():
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(name="ecogov.core.scoping")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
