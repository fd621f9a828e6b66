"""The Django side of 三线一单 screening: the stored units as an engine index, cached per process.

The index is rebuilt when the units change: a fingerprint of the unit data (newest import, count
and newest history row of the units in force) is compared on every use, so an import made by
another process is seen at once; a save in this process also drops the cache directly.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from shapely.geometry import shape

from ecogov.eia import zoning

from .models import ControlUnit, EiaProject, ZoningDataset


@dataclass(frozen=True)
class IndexState:
    index: zoning.UnitIndex
    division_paths: tuple[str, ...]  # per unit, aligned with index.units
    dataset_id: int | None  # newest units import


_lock = threading.Lock()
_cached: tuple[tuple, IndexState] | None = None


def engine_unit(row: ControlUnit) -> zoning.ControlUnit:
    """A stored unit as the engine's unit (validated at import, so not validated again)."""
    return zoning.ControlUnit(
        code=row.code,
        name=row.name,
        unit_class=zoning.UnitClass(row.unit_class),
        geometry=shape(row.geometry),
        flags=frozenset(row.flags or ()),
        repaired=row.repaired,
        access=tuple(
            zoning.AccessEntry(
                id=e["id"],
                kind=zoning.AccessKind(e["kind"]),
                text=e["text"],
                industries=tuple(e.get("industries") or ()),
                catalogue_items=tuple(e.get("catalogue_items") or ()),
            )
            for e in row.access or ()
        ),
    )


def _fingerprint() -> tuple:
    active = ControlUnit.objects.filter(is_active=True).aggregate(
        n=Count("pk"), d=Max("dataset_id")
    )
    newest = ControlUnit.history.aggregate(h=Max("history_id"))["h"]
    return active["n"], active["d"], newest


def current_index() -> IndexState:
    global _cached
    fingerprint = _fingerprint()
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
    rows = list(
        ControlUnit.objects.filter(is_active=True).select_related("division").order_by("code")
    )
    state = IndexState(
        zoning.UnitIndex([engine_unit(r) for r in rows]),
        tuple(r.division.path for r in rows),
        fingerprint[1],
    )
    with _lock:
        _cached = (fingerprint, state)
    return state


@receiver([post_save, post_delete], sender=ControlUnit)
def _invalidate(**kwargs):
    global _cached
    with _lock:
        _cached = None


def active_rules() -> tuple[zoning.RuleSet, ZoningDataset] | None:
    dataset = ZoningDataset.objects.filter(kind=ZoningDataset.Kind.RULES, is_active=True).first()
    if dataset is None:
        return None
    return zoning.load_rules(dataset.document), dataset


def engine_project(project: EiaProject) -> zoning.Project:
    return zoning.Project(
        location=project.location,
        industry=project.industry_code or None,
        catalogue_item=project.catalogue_item or None,
        flags=dict(project.facts or {}),
        ref=project.reference or project.name,
    )


def inputs_fingerprint(project: EiaProject) -> str:
    """What a screening depends on; a change means the screening is stale."""
    payload = json.dumps(
        [
            project.location,
            project.industry_code,
            project.catalogue_item,
            project.facts or {},
            project.division_id,
        ],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def check_location(project: EiaProject) -> list[str]:
    """Problems of the project's location, in Chinese (empty: fine).

    Geometry (empty, invalid, outside China, latitude first) is checked by the engine. Whether it
    lies in the project's division is checked against that division's control units: 三线一单
    covers the whole territory, so a site in the division touches at least one of its units.
    A division with no units loaded cannot be checked; `location_notes` says so.
    """
    if project.location is None:
        return []
    state = current_index()
    try:
        screening = state.index.screen(engine_project(project))
    except zoning.ProjectInputError as exc:
        return list(exc.errors)
    path = project.division.path
    if not any(p.startswith(path) for p in state.division_paths):
        return []
    positions = {id(u): k for k, u in enumerate(state.index.units)}
    touched = [state.division_paths[positions[id(u)]] for u in screening.units]
    if any(p.startswith(path) for p in touched):
        return []
    where = _where(screening)
    return [
        _(
            "项目位置不在%(division)s范围内:未落入该区划的任何环境管控单元%(where)s。请核对坐标或项目所在区划。"
        )
        % {"division": project.division.name, "where": where}
    ]


def _where(screening) -> str:
    if not screening.units:
        return _("(也未落入本市其他区划的管控单元)")
    names = "、".join(f"{u.code}{u.name}" for u in screening.units[:3])
    return _(",而落入 %(names)s") % {"names": names}


def location_notes(project: EiaProject) -> list[str]:
    """What could not be checked about the location (shown with the screening)."""
    if project.location is None:
        return [_("项目未填写位置,无法进行三线一单空间筛查。")]
    state = current_index()
    if not any(p.startswith(project.division.path) for p in state.division_paths):
        return [
            _(
                "%(division)s尚未导入环境管控单元,无法核对项目位置是否在该区划内,也无法进行空间筛查。"
            )
            % {"division": project.division.name}
        ]
    return []
