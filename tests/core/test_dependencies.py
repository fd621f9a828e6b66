"""Dependencies run one way (docs/architecture.md, dependencies): an area that finds things
(inspections) does not import the area that acts on them (enforcement); it asks core's hook.
And no two modules import each other, not even through an import inside a function: the models
do not import the machinery that uses them (scoping, the enforcement bulk writer)."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

import ecogov
from ecogov.core import findings

SRC = Path(ecogov.__file__).parent

# (area, the area it must not import)
ONE_WAY = [("inspections", "enforcement")]
# modules (or packages) that once imported each other; neither may reach the other's back again
NO_CIRCLE = [
    ("ecogov.core.models", "ecogov.core.scoping"),
    ("ecogov.enforcement.models", "ecogov.enforcement.bulk"),
]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _module(path: Path) -> str:
    parts = ["ecogov", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Every ecogov module and the ecogov modules it imports anywhere in it (a function's
    import too), relative imports resolved, `from a import b` read as a.b when b is a module."""
    files = {_module(path): path for path in SRC.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {m for m in found if m in files}
    return graph


def _reaches(graph, start: str, goal: str) -> list[str] | None:
    """A chain of imports from a module in `start` (a module or a package) to one in `goal`."""

    def inside(module, target):
        return module == target or module.startswith(target + ".")

    frontier = [[m] for m in graph if inside(m, start)]
    seen = {path[0] for path in frontier}
    while frontier:
        path = frontier.pop(0)
        for nxt in sorted(graph[path[-1]]):
            if inside(nxt, goal):
                return [*path, nxt]
            if nxt not in seen and nxt.startswith("ecogov."):
                seen.add(nxt)
                frontier.append([*path, nxt])
    return None


@pytest.mark.parametrize(("first", "second"), NO_CIRCLE)
def test_no_import_circle(first, second):
    graph = _graph()
    there, back = _reaches(graph, first, second), _reaches(graph, second, first)
    assert there is None or back is None, (there, back)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan's strongly connected components).
    A module importing its own package (`from . import x`, the package's __init__) is how
    Python packages work, not a circle, and is left out."""
    edges = {v: {w for w in ws if not (v == w or v.startswith(w + "."))} for v, ws in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_circle():
    """No two modules reach each other through imports, a function's import included: the
    rooms depend one way (models ← services ← doors, core ← areas), and a step that must reach
    back registers a hook instead (e.g. legal's reviews → documents, core's job runners)."""
    import sys

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle():
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a"}, "a": {"a.w"}}
    assert _circles(graph) == [["a.x", "a.y", "a.z"]]  # a.w → a (its package) is no circle


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
