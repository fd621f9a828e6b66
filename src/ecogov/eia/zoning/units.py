"""Environmental control units (环境管控单元) and their loading from GeoJSON.

Loading is all-or-nothing: every problem of every feature is collected and raised together in a
``UnitDataError``; nothing is returned unless the whole file is good. Safe repairs are made and
reported (``LoadedUnits.repairs``). The property schema is in docs/zoning.md.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import Geometry
from shapely.geometry import mapping, shape

from .codes import CodeError, normalise_industry, normalise_item
from .geometry import (
    CHINA_BOUNDS,
    MIN_AREA,
    REPAIR_TOLERANCE,
    bounds_problem,
    describe_invalid,
    repair_polygonal,
)


class ZoningError(ValueError):
    """Bad input to the zoning engine; ``errors`` holds every problem, each a Chinese sentence."""

    def __init__(self, errors: list[str] | tuple[str, ...]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(self.errors))


class UnitDataError(ZoningError):
    """A control-unit GeoJSON file that cannot be loaded."""


class UnitClass(enum.StrEnum):
    PRIORITY_PROTECTION = "priority_protection"  # 优先保护
    KEY_CONTROL = "key_control"  # 重点管控
    GENERAL_CONTROL = "general_control"  # 一般管控

    @property
    def label(self) -> str:
        return _CLASS_LABELS[self]

    @classmethod
    def parse(cls, value: object) -> UnitClass | None:
        """Accepts the code name, the Chinese name, or the Chinese name with 单元/区."""
        text = str(value).strip() if isinstance(value, str) else ""
        return _CLASS_ALIASES.get(text)


_CLASS_LABELS = {
    UnitClass.PRIORITY_PROTECTION: "优先保护",
    UnitClass.KEY_CONTROL: "重点管控",
    UnitClass.GENERAL_CONTROL: "一般管控",
}
_CLASS_ALIASES = {
    alias: c
    for c, label in _CLASS_LABELS.items()
    for alias in (c.value, label, label + "单元", label + "区")
}


class AccessKind(enum.StrEnum):
    FORBIDDEN = "forbidden"  # 禁止
    RESTRICTED = "restricted"  # 限制 (allowed only on the entry's conditions)

    @property
    def label(self) -> str:
        return "禁止" if self is AccessKind.FORBIDDEN else "限制"


_KIND_ALIASES = {k.value: k for k in AccessKind} | {k.label: k for k in AccessKind}

# Closed vocabulary of unit flags, usable by refusal rules (``unit_flag``). Adding one is a line.
UNIT_FLAGS: dict[str, str] = {
    "red_line": "生态保护红线",
    "non_attainment": "环境质量未达标区",
}


@dataclass(frozen=True)
class AccessEntry:
    """One line of a unit's access list (准入清单): what it forbids or restricts, and its text."""

    id: str
    kind: AccessKind
    text: str
    industries: tuple[str, ...] = ()  # normalised GB/T 4754 prefixes
    catalogue_items: tuple[str, ...] = ()  # classification-list items, matched exactly

    def match(self, industry: str | None, catalogue_item: str | None) -> str | None:
        """What of the project this entry catches, in Chinese ("行业 C26"), or None."""
        if industry is not None:
            for prefix in self.industries:
                if industry.startswith(prefix):
                    return f"行业 {prefix}"
        if catalogue_item is not None and catalogue_item in self.catalogue_items:
            return f"名录条目 {catalogue_item}"
        return None


@dataclass(frozen=True, eq=False)
class ControlUnit:
    code: str
    name: str
    unit_class: UnitClass
    geometry: Geometry  # valid Polygon or MultiPolygon, lon/lat
    access: tuple[AccessEntry, ...] = ()
    flags: frozenset[str] = field(default_factory=frozenset)
    repaired: bool = False  # geometry is the safe repair of what the file drew

    @property
    def label(self) -> str:
        return f"单元 {self.code}（{self.name}，{self.unit_class.label}）"

    def to_feature(self) -> dict[str, Any]:
        """GeoJSON Feature in the loading schema (with the repaired geometry): for storage."""
        return {
            "type": "Feature",
            "geometry": mapping(self.geometry),
            "properties": {
                "code": self.code,
                "name": self.name,
                "class": self.unit_class.value,
                "flags": sorted(self.flags),
                "access": [
                    {
                        "id": e.id,
                        "kind": e.kind.value,
                        "text": e.text,
                        "industries": list(e.industries),
                        "catalogue_items": list(e.catalogue_items),
                    }
                    for e in self.access
                ],
            },
        }


@dataclass(frozen=True)
class LoadedUnits:
    units: tuple[ControlUnit, ...]
    repairs: tuple[str, ...]  # one Chinese note per repaired unit


_ACCEPTED_CRS = ("CRS84", "EPSG::4326", "EPSG:4326", "EPSG::4490", "EPSG:4490")
_UNIT_KEYS = {"code", "name", "class", "flags", "access"}
_ENTRY_KEYS = {"id", "kind", "text", "industries", "catalogue_items"}


def load_units_file(path: str | Path, **options: Any) -> LoadedUnits:
    return load_units(Path(path).read_text(encoding="utf-8"), **options)


def load_units(
    source: Mapping[str, Any] | str | bytes,
    *,
    bounds: tuple[float, float, float, float] = CHINA_BOUNDS,
    repair_tolerance: float = REPAIR_TOLERANCE,
) -> LoadedUnits:
    """Load and validate a GeoJSON FeatureCollection of control units.

    ``bounds`` (lon_min, lat_min, lon_max, lat_max) defaults to China's range; pass a
    division's bounds to check against the division. Raises UnitDataError with every problem.
    """
    if isinstance(source, (str, bytes)):
        try:
            source = json.loads(source)
        except ValueError as exc:
            raise UnitDataError([f"文件不是有效的 JSON：{exc}"]) from None
    if not isinstance(source, Mapping) or source.get("type") != "FeatureCollection":
        raise UnitDataError(["文件须为 GeoJSON FeatureCollection"])
    errors: list[str] = []
    crs = source.get("crs")
    if crs is not None:
        crs_name = (
            str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, Mapping) else ""
        )
        if not crs_name.upper().endswith(_ACCEPTED_CRS):
            errors.append(f"坐标参考系“{crs_name or crs}”不受支持：须为经纬度（WGS-84/CGCS2000）")
    features = source.get("features")
    if not isinstance(features, list) or not features:
        raise UnitDataError(errors + ["文件中没有任何管控单元（features 为空）"])

    units: list[ControlUnit] = []
    repairs: list[str] = []
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        unit, problems, note = _parse_feature(number, feature, bounds, repair_tolerance)
        errors.extend(problems)
        if note:
            repairs.append(note)
        if unit is None:
            continue
        if unit.code in seen:
            errors.append(f"{unit.label}：单元编码与第 {seen[unit.code]} 个要素重复")
        else:
            seen[unit.code] = number
        units.append(unit)
    if errors:
        raise UnitDataError(errors)
    return LoadedUnits(tuple(units), tuple(repairs))


def _parse_feature(
    number: int, feature: Any, bounds: Any, tolerance: float
) -> tuple[ControlUnit | None, list[str], str | None]:
    """One feature: (unit or None, its problems, its repair note or None)."""
    if not isinstance(feature, Mapping) or feature.get("type") != "Feature":
        return None, [f"第 {number} 个要素不是 GeoJSON Feature"], None
    props = feature.get("properties")
    props = props if isinstance(props, Mapping) else {}
    code = str(props.get("code") or "").strip()
    name = str(props.get("name") or "").strip()
    who = (
        f"单元 {code}（{name or '未命名'}）"
        if code
        else f"第 {number} 个要素（{name or '未命名'}）"
    )
    errors: list[str] = []
    if not code:
        errors.append(f"{who}：缺少单元编码 code")
    if not name:
        errors.append(f"{who}：缺少单元名称 name")
    unknown = sorted(set(props) - _UNIT_KEYS)
    if unknown:
        errors.append(f"{who}：未知属性 {', '.join(unknown)}")
    unit_class = UnitClass.parse(props.get("class"))
    if unit_class is None:
        errors.append(
            f"{who}：管控类别“{props.get('class')}”未知，须为优先保护、重点管控或一般管控"
        )
    flags = props.get("flags") or []
    if not isinstance(flags, list) or any(f not in UNIT_FLAGS for f in flags):
        errors.append(f"{who}：标志 flags 须为列表，取值限于 {', '.join(UNIT_FLAGS)}")
        flags = []
    access = _parse_access(who, code, props.get("access"), errors)
    geometry, note = _parse_geometry(who, feature.get("geometry"), bounds, tolerance, errors)
    if errors or unit_class is None:  # an unknown class is always among the errors
        return None, errors, None
    unit = ControlUnit(code, name, unit_class, geometry, access, frozenset(flags), note is not None)
    return unit, [], note


def _parse_access(who: str, code: str, raw: Any, errors: list[str]) -> tuple[AccessEntry, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(f"{who}：准入清单 access 须为列表")
        return ()
    entries: list[AccessEntry] = []
    for n, item in enumerate(raw, start=1):
        where = f"{who} 准入清单第 {n} 条"
        if not isinstance(item, Mapping):
            errors.append(f"{where}：须为对象")
            continue
        unknown = sorted(set(item) - _ENTRY_KEYS)
        if unknown:
            errors.append(f"{where}：未知字段 {', '.join(unknown)}")
        kind = _KIND_ALIASES.get(str(item.get("kind", "")).strip())
        if kind is None:
            errors.append(
                f"{where}：类型 kind“{item.get('kind')}”未知，须为 forbidden（禁止）或 restricted（限制）"
            )
        text = str(item.get("text") or "").strip()
        if not text:
            errors.append(f"{where}：缺少条文 text")
        industries = _codes(
            where, item.get("industries"), normalise_industry, "行业代码 industries", errors
        )
        items = _codes(
            where, item.get("catalogue_items"), normalise_item, "名录条目 catalogue_items", errors
        )
        if not industries and not items:
            errors.append(f"{where}：须至少列出一个行业代码或名录条目")
        entry_id = str(item.get("id") or f"{code}-{n}").strip()
        if any(e.id == entry_id for e in entries):
            errors.append(f"{where}：条目编号 {entry_id} 重复")
        if kind is not None and text:
            entries.append(AccessEntry(entry_id, kind, text, industries, items))
    return tuple(entries)


def _codes(
    where: str, raw: Any, normalise: Callable[[str], str], what: str, errors: list[str]
) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.append(f"{where}：{what} 须为列表")
        return ()
    out: list[str] = []
    for value in raw:
        try:
            out.append(normalise(value))
        except CodeError as exc:
            errors.append(f"{where}：{exc}")
    return tuple(dict.fromkeys(out))


def _parse_geometry(
    who: str, raw: Any, bounds: Any, tolerance: float, errors: list[str]
) -> tuple[Geometry | None, str | None]:
    """Validated (possibly repaired) geometry and a repair note; problems go to ``errors``."""
    if not isinstance(raw, Mapping):
        errors.append(f"{who}：几何为空（geometry 缺失）")
        return None, None
    if raw.get("type") not in ("Polygon", "MultiPolygon"):
        errors.append(f"{who}：几何类型须为 Polygon 或 MultiPolygon，而不是 {raw.get('type')}")
        return None, None
    try:
        with np.errstate(invalid="ignore"):  # NaN coordinates are reported as errors instead
            geom = shapely.force_2d(shape(raw))
    except (ValueError, TypeError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        errors.append(f"{who}：几何坐标无法解析（{exc}）")
        return None, None
    if geom.is_empty:
        errors.append(f"{who}：几何为空（没有坐标）")
        return None, None
    problem = bounds_problem(geom, bounds)
    if problem:
        errors.append(f"{who}：{problem}")
        return None, None
    if geom.is_valid:
        note = None
    else:
        geom, note = _repaired(who, geom, tolerance, errors)
    if geom is not None and geom.area < MIN_AREA:
        errors.append(f"{who}：面积几乎为零（{geom.area:.3g} 平方度），边界已退化")
        return None, None
    return geom, note


def _repaired(
    who: str, geom: Geometry, tolerance: float, errors: list[str]
) -> tuple[Geometry | None, str | None]:
    reason = describe_invalid(geom)
    outcome = repair_polygonal(geom, tolerance)
    if outcome.geometry is None:
        change = (
            f"修复将使面积改变 {outcome.relative_change:.2%}，超过允许的 {tolerance:.2%}"
            if outcome.area_repaired > 0
            else "修复后不再是面"
        )
        errors.append(
            f"{who}：几何无效（{reason}），无法安全修复（{change}），请更正边界后重新导入"
        )
        return None, None
    note = f"{who}：几何无效（{reason}），已自动修复，面积变化 {outcome.relative_change:.4%}"
    return outcome.geometry, note
