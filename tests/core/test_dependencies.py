"""Dependencies run one way (docs/architecture.md, dependencies): an area that finds things
(inspections) does not import the area that acts on them (enforcement); it asks core's hook."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

import ecogov
from ecogov.core import findings

SRC = Path(ecogov.__file__).parent

# (area, the area it must not import)
ONE_WAY = [("inspections", "enforcement")]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(("area", "forbidden"), ONE_WAY)
def test_the_dependency_runs_one_way(area, forbidden):
    offending = sorted(
        f"{path.relative_to(SRC)}: {name}"
        for path in (SRC / area).rglob("*.py")
        for name in _imports(path)
        if name == f"ecogov.{forbidden}" or name.startswith(f"ecogov.{forbidden}.")
    )
    assert offending == []


def test_without_an_enforcement_area_a_finding_is_refused_in_chinese(monkeypatch):
    monkeypatch.setattr(findings, "_case_opener", None)
    with pytest.raises(ValidationError) as refused:
        findings.open_case(actor=None, finding=None)
    assert "行政处罚" in str(refused.value)
