"""Screening project locations against control units with an STRtree.

``UnitIndex.screen_many`` answers a whole batch with one vectorised tree query; Python then
walks only the (project, unit) pairs found, never the full unit list. Touching a unit only on
its boundary counts as touching it (screening errs towards showing the reviewer more); such
contacts are marked ``boundary_only``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely import Geometry
from shapely.geometry import shape

from .codes import CodeError, normalise_industry, normalise_item
from .geometry import CHINA_BOUNDS, bounds_problem, describe_invalid, outside_bounds
from .units import AccessEntry, AccessKind, ControlUnit, UnitClass, ZoningError

_LOCATION_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
_CLASS_ORDER = {c: i for i, c in enumerate(UnitClass)}  # priority protection first


class ProjectInputError(ZoningError):
    """Projects that cannot be screened; ``errors`` names each project and problem."""


@dataclass(frozen=True)
class Project:
    """What screening needs of a project. ``location`` is a shapely geometry or a GeoJSON
    geometry mapping, WGS-84 lon/lat; ``flags`` are the facts refusal rules test, e.g.
    {"total_emission_ok": True}; a fact not given is unknown, not false."""

    location: Geometry | Mapping[str, Any]
    industry: str | None = None  # GB/T 4754 code, e.g. "C2611" or "2611"
    catalogue_item: str | None = None  # classification-list item
    flags: Mapping[str, bool] = field(default_factory=dict)
    ref: str = ""  # the caller's identifier, used in messages


@dataclass(frozen=True)
class Contact:
    unit: ControlUnit
    boundary_only: bool  # the project meets the unit only on its boundary


@dataclass(frozen=True)
class AccessMatch:
    """An access-list entry of a touched unit that catches the project."""

    unit: ControlUnit
    entry: AccessEntry
    matched: str  # what it caught, e.g. "行业 C26"

    @property
    def text(self) -> str:
        return self.entry.text

    @property
    def message(self) -> str:
        return f"{self.unit.label}{self.entry.kind.label}{self.matched}：{self.entry.text}"


@dataclass(frozen=True)
class Screening:
    project: Project
    industry: str | None  # normalised
    catalogue_item: str | None  # normalised
    contacts: tuple[Contact, ...]  # priority protection first, then by code
    access_matches: tuple[AccessMatch, ...]

    @property
    def units(self) -> tuple[ControlUnit, ...]:
        return tuple(c.unit for c in self.contacts)

    @property
    def forbidden(self) -> tuple[AccessMatch, ...]:
        return tuple(m for m in self.access_matches if m.entry.kind is AccessKind.FORBIDDEN)

    @property
    def restricted(self) -> tuple[AccessMatch, ...]:
        return tuple(m for m in self.access_matches if m.entry.kind is AccessKind.RESTRICTED)


class UnitIndex:
    """Control units with an STRtree over their geometries. Build once, screen many times."""

    def __init__(
        self,
        units: Iterable[ControlUnit],
        *,
        bounds: tuple[float, float, float, float] = CHINA_BOUNDS,
    ) -> None:
        self.units: tuple[ControlUnit, ...] = tuple(units)
        self.bounds = bounds
        self._geoms = _object_array([u.geometry for u in self.units])
        # Prepared polygons make each point-in-polygon test logarithmic in the vertex count.
        shapely.prepare(self._geoms)
        self._tree = shapely.STRtree(self._geoms)
        order = sorted(
            range(len(self.units)),
            key=lambda i: (_CLASS_ORDER[self.units[i].unit_class], self.units[i].code),
        )
        self._rank = np.empty(len(self.units), dtype=np.intp)
        self._rank[order] = np.arange(len(self.units))

    def __len__(self) -> int:
        return len(self.units)

    def query(
        self, locations: Sequence[Geometry] | np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised core: (project index, unit index, boundary_only) of every touching pair,
        sorted by project, then priority protection first, then unit code. No input checks."""
        geoms = _object_array(locations)
        # Bounding-box candidates from the tree, then the exact test with the prepared unit
        # first: faster than query(predicate=...), which prepares the input geometry instead.
        pi, ui = self._tree.query(geoms)
        hit = shapely.intersects(self._geoms[ui], geoms[pi])
        pi, ui = pi[hit], ui[hit]
        order = np.lexsort((self._rank[ui], pi))
        pi, ui = pi[order], ui[order]
        boundary_only = shapely.touches(self._geoms[ui], geoms[pi])
        return pi, ui, boundary_only

    def screen(self, project: Project) -> Screening:
        return self.screen_many([project])[0]

    def screen_many(self, projects: Sequence[Project]) -> list[Screening]:
        """Screen a batch; raises ProjectInputError listing every bad project (all-or-nothing)."""
        geoms, industries, items = self._checked(projects)
        pi, ui, boundary_only = self.query(geoms)
        starts = np.searchsorted(pi, np.arange(len(projects) + 1))
        units = self.units
        results: list[Screening] = []
        for k, project in enumerate(projects):
            industry, item = industries[k], items[k]
            contacts: list[Contact] = []
            matches: list[AccessMatch] = []
            for j in range(starts[k], starts[k + 1]):
                unit = units[ui[j]]
                contacts.append(Contact(unit, bool(boundary_only[j])))
                for entry in unit.access:
                    caught = entry.match(industry, item)
                    if caught:
                        matches.append(AccessMatch(unit, entry, caught))
            results.append(Screening(project, industry, item, tuple(contacts), tuple(matches)))
        return results

    def _checked(self, projects: Sequence[Project]) -> tuple[np.ndarray, list, list]:
        """Locations as an array, normalised codes; every problem collected, then raised."""
        errors: list[str] = []
        geoms: list[Geometry | None] = []
        industries: list[str | None] = []
        items: list[str | None] = []
        for k, p in enumerate(projects):
            who = _who(projects, k)
            geoms.append(_location(who, p.location, errors))
            industries.append(_checked_code(who, p.industry, _industry, errors))
            items.append(_checked_code(who, p.catalogue_item, _item, errors))
            bad = [name for name, v in p.flags.items() if v is not None and not isinstance(v, bool)]
            if bad:
                errors.append(f"{who}：项目事实 {', '.join(map(str, bad))} 的值须为是/否（布尔值）")
        arr = _object_array(geoms)
        present = shapely.is_geometry(arr)  # None where the location was already refused
        outside = present & outside_bounds(shapely.bounds(arr), self.bounds)
        invalid = present & ~outside & ~shapely.is_valid(arr)
        for k in np.flatnonzero(outside).tolist():
            errors.append(f"{_who(projects, k)}：位置{bounds_problem(arr[k], self.bounds)}")
        for k in np.flatnonzero(invalid).tolist():
            errors.append(f"{_who(projects, k)}：位置几何无效（{describe_invalid(arr[k])}）")
        if errors:
            raise ProjectInputError(errors)
        return arr, industries, items


def _who(projects: Sequence[Project], k: int) -> str:
    ref = projects[k].ref
    return f"项目 {ref}" if ref else f"第 {k + 1} 个项目"


def _object_array(geoms: Sequence[Geometry | None] | np.ndarray) -> np.ndarray:
    if isinstance(geoms, np.ndarray) and geoms.dtype == object:
        return geoms
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


def _location(who: str, raw: Any, errors: list[str]) -> Geometry | None:
    if isinstance(raw, Mapping):
        try:
            with np.errstate(invalid="ignore"):  # NaN coordinates are reported as errors instead
                raw = shapely.force_2d(shape(raw))
        except KeyError as exc:  # {"type": "Point"} without its coordinates
            errors.append(f"{who}：位置缺少 GeoJSON 的“{exc.args[0]}”")
            return None
        except (
            ValueError,
            TypeError,
            IndexError,
            AttributeError,
            shapely.errors.ShapelyError,
        ) as exc:
            errors.append(f"{who}：位置无法解析（{exc}）")
            return None
    if not isinstance(raw, Geometry) or raw.geom_type not in _LOCATION_TYPES:
        errors.append(f"{who}：位置须为点、线或面（Point/LineString/Polygon 及其 Multi 形式）")
        return None
    if raw.is_empty:
        errors.append(f"{who}：位置为空")
        return None
    return raw


@lru_cache(maxsize=4096)
def _industry(code: str) -> str:
    return normalise_industry(code)


@lru_cache(maxsize=4096)
def _item(item: str) -> str:
    return normalise_item(item)


def _checked_code(
    who: str, value: Any, normalise: Callable[[str], str], errors: list[str]
) -> str | None:
    if value is None or value == "":
        return None
    try:
        return normalise(str(value))
    except CodeError as exc:
        errors.append(f"{who}：{exc}")
        return None
