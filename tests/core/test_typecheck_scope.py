"""mypy checks every services module and every pure engine (docs/architecture.md, "Type checks"):
the files it is given in pyproject.toml must keep up with the code, and its strictness with the
rule that every service signature is annotated."""

import ast
import glob
import tomllib
from pathlib import Path

import ecogov

ROOT = Path(__file__).resolve().parents[2]
SRC = Path(ecogov.__file__).parent
MYPY = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def _checked() -> set[Path]:
    """The .py files mypy reads from its `files` (globs, files or whole packages)."""
    out = set()
    for entry in MYPY["files"]:
        for hit in glob.glob(str(ROOT / entry)):
            path = Path(hit)
            out.update(path.rglob("*.py") if path.is_dir() else [path])
    return {p.resolve() for p in out}


def _engines() -> list[str]:
    """The pure engines the purity test lists (tests/core/test_engine_purity.py, ENGINES)."""
    tree = ast.parse((Path(__file__).with_name("test_engine_purity.py")).read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ENGINES" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("test_engine_purity.py has no ENGINES list")


def _module_files(dotted: str) -> list[Path]:
    path = SRC.parent / dotted.replace(".", "/")
    return sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]


def test_every_services_module_is_type_checked():
    services = {
        p.resolve()
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts and ("services" in p.parts or p.name == "services.py")
    }
    assert services, "no services module found"
    assert sorted(str(p.relative_to(SRC)) for p in services - _checked()) == []


def test_every_pure_engine_is_type_checked():
    engines = _engines()
    assert len(engines) >= 5
    checked = _checked()
    missing = [
        str(f.relative_to(SRC))
        for name in engines
        for f in _module_files(name)
        if f.resolve() not in checked
    ]
    assert missing == []


def test_every_signature_must_be_annotated():
    for flag in ("disallow_untyped_defs", "disallow_incomplete_defs", "check_untyped_defs"):
        assert MYPY.get(flag) is True, flag
    assert "mypy_django_plugin.main" in MYPY["plugins"]
    # no override switches the annotation rule off again for some modules
    for override in MYPY.get("overrides", []):
        assert override.get("disallow_untyped_defs", True) is True, override["module"]
        assert override.get("disallow_incomplete_defs", True) is True, override["module"]
        assert "no-untyped-def" not in override.get("disable_error_code", []), override


def test_no_module_is_relaxed():
    """The debt paid (issue 16): None is tracked and every error code is on in every module;
    only third-party packages without types are read as Any."""
    for override in MYPY.get("overrides", []):
        assert override.get("strict_optional", True) is True, override["module"]
        assert not override.get("disable_error_code"), override["module"]
    assert MYPY.get("strict_optional", True) is True
    assert not MYPY.get("disable_error_code")


def test_each_relaxed_module_exists():
    """The overrides that relax a check name real modules (a renamed one would be unchecked)."""
    for override in MYPY.get("overrides", []):
        if override.get("ignore_missing_imports"):
            continue  # third-party packages
        modules = override["module"]
        for name in [modules] if isinstance(modules, str) else modules:
            assert _module_files(name)[0].exists(), name
