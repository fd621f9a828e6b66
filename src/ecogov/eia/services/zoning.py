"""三线一单 writes: import control units, activate refusal rules, screen a project, review it."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ecogov.core import uploads
from ecogov.core.events import signed_in_user
from ecogov.core.models import Division
from ecogov.core.scoping import can_create_in
from ecogov.eia import zoning

from .. import events
from ..models import ControlUnit, EiaProject, ScreeningReview, ZoningDataset, ZoningScreening
from ..screening import (
    active_rules,
    current_index,
    engine_project,
    inputs_fingerprint,
    location_notes,
)
from .common import ensure_can_edit, ensure_reviewer, is_city_level

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Unit codes carry the county's GB/T 2260 code after a two-letter prefix (ZH43120210001).
_CODE_DIVISION = re.compile(r"^[A-Z]{2}(\d{6})")
_MIN_REASON = 10  # an override reason must say something


def _as_document(source: Any, what: str) -> dict:
    """The uploaded JSON document; a file that is not UTF-8 text, or not JSON, is refused by
    name and place (never a 500: issue 15)."""
    if isinstance(source, (bytes, bytearray)):
        try:
            source = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                {
                    "file": _(
                        "%(what)s不是 UTF-8 编码的文本(可能是 Excel、压缩包或其他编码的文件);"
                        "GeoJSON/JSON 文件须以 UTF-8 保存。"
                    )
                    % {"what": what}
                }
            ) from None
    if isinstance(source, str):
        try:
            return json.loads(source)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {
                    "file": _("%(what)s不是有效的 JSON(第 %(line)d 行第 %(column)d 列有误)。")
                    % {"what": what, "line": exc.lineno, "column": exc.colno}
                }
            ) from None
        except (ValueError, RecursionError):  # nesting too deep and the like
            raise ValidationError(
                {"file": _("%(what)s不是有效的 JSON。") % {"what": what}}
            ) from None
    return copy.deepcopy(source)  # the caller's object is not changed


@transaction.atomic
def control_units_import(
    *, actor: User, source: Any, name: str = "", division: Division | None = None
) -> ZoningDataset:
    """Load a GeoJSON FeatureCollection of control units, all or nothing.

    Each unit's division: its `division` property (a GB/T 2260 code), else the code in the
    unit code, else `division`. The file replaces the units of the divisions it covers: a unit
    of such a division missing from the file stops being in force. Safe geometry repairs are
    kept and reported on the dataset; anything else is refused with every problem listed.
    """
    raw = source if isinstance(source, (str, bytes, bytearray)) else json.dumps(source)
    if name and isinstance(source, (str, bytes, bytearray)):  # an uploaded file
        uploads.check_content(name, raw, purpose="geodata")
    digest = hashlib.sha256(
        raw if isinstance(raw, (bytes, bytearray)) else raw.encode()
    ).hexdigest()
    document = _as_document(source, _("管控单元文件"))
    explicit = _pop_division_properties(document)
    try:
        loaded = zoning.load_units(document)
    except zoning.ZoningError as exc:
        raise ValidationError({"file": list(exc.errors)}) from None
    divisions = {d.code: d for d in Division.objects.all()}
    errors: list[str] = []
    assigned: list[Division] = []
    for position, unit in enumerate(loaded.units):
        target = _unit_division(unit, explicit.get(position), divisions, division)
        if target is None:
            errors.append(
                _("%(unit)s:无法确定所属区划(单元编码中没有有效的区划代码,也未指定 division)。")
                % {"unit": unit.label}
            )
            continue  # refused below: nothing is written
        if not can_create_in(actor, target):
            errors.append(
                _("%(unit)s:所属区划“%(division)s”超出您的数据范围。")
                % {"unit": unit.label, "division": target.name}
            )
        assigned.append(target)
    if errors:
        if all("超出您的数据范围" in e for e in errors):
            raise PermissionDenied("\n".join(errors))
        raise ValidationError({"file": errors})
    dataset = ZoningDataset.objects.create(
        kind=ZoningDataset.Kind.UNITS,
        name=name,
        sha256=digest,
        unit_count=len(loaded.units),
        repairs=list(loaded.repairs),
        imported_by=signed_in_user(actor),
    )
    counts = _write_units(dataset, loaded.units, assigned)
    events.units_imported_event(dataset=dataset, actor=actor, counts=counts)
    return dataset


def _pop_division_properties(document: dict[str, Any]) -> dict[int, str]:
    """`division` is ours, not the engine's schema (which refuses unknown properties)."""
    found: dict[int, str] = {}
    features = document.get("features") if isinstance(document, dict) else None
    for position, feature in enumerate(features if isinstance(features, list) else []):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(properties, dict) and "division" in properties:
            found[position] = str(properties.pop("division")).strip()
    return found


def _unit_division(
    unit: Any, explicit: str | None, divisions: dict, fallback: Division | None
) -> Division | None:
    if explicit:
        return divisions.get(explicit)
    match = _CODE_DIVISION.match(unit.code)
    if match and match.group(1) in divisions:
        return divisions[match.group(1)]
    return fallback


def _write_units(
    dataset: ZoningDataset, units: Iterable[Any], assigned: Sequence[Division]
) -> dict[str, int]:
    existing = {u.code: u for u in ControlUnit.objects.filter(code__in=[u.code for u in units])}
    created, updated = [], []
    for unit, division in zip(units, assigned, strict=True):
        feature = unit.to_feature()
        values = {
            "name": unit.name,
            "unit_class": unit.unit_class.value,
            "division": division,
            "flags": feature["properties"]["flags"],
            "access": feature["properties"]["access"],
            "geometry": feature["geometry"],
            "repaired": unit.repaired,
            "is_active": True,
            "dataset": dataset,
        }
        row = existing.get(unit.code)
        if row is None:
            created.append(ControlUnit(code=unit.code, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
            updated.append(row)
    bulk_create_with_history(created, ControlUnit, batch_size=500)
    if updated:
        bulk_update_with_history(updated, ControlUnit, list(values), batch_size=500)
    stale = list(
        ControlUnit.objects.filter(is_active=True, division__in={d.pk for d in assigned}).exclude(
            code__in=[u.code for u in units]
        )
    )
    for row in stale:
        row.is_active = False
    if stale:
        bulk_update_with_history(stale, ControlUnit, ["is_active"], batch_size=500)
    from ..screening import _invalidate  # bulk writes send no signals

    _invalidate()
    return {"created": len(created), "updated": len(updated), "deactivated": len(stale)}


@transaction.atomic
def refusal_rules_activate(
    *, actor: User, document: Any, name: str = "", note: str = ""
) -> ZoningDataset:
    """Put a new version of the “一律不批” rules in force (signed off by a leader or the legal section)."""
    ensure_reviewer(actor)
    if not is_city_level(actor):
        raise PermissionDenied(_("“一律不批”规则由市局统一制定。"))
    if name and isinstance(document, (str, bytes, bytearray)):  # an uploaded file
        uploads.check_content(name, document, purpose="rules", field="document")
    document = _as_document(document, _("规则文件"))
    try:
        zoning.load_rules(document)
    except zoning.ZoningError as exc:
        raise ValidationError({"document": list(exc.errors)}) from None
    previous = (
        ZoningDataset.objects.select_for_update()
        .filter(kind=ZoningDataset.Kind.RULES, is_active=True)
        .first()
    )
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    dataset = ZoningDataset.objects.create(
        kind=ZoningDataset.Kind.RULES,
        name=name,
        note=note,
        document=document,
        is_active=True,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        imported_by=signed_in_user(actor),
    )
    events.rules_activated_event(
        dataset=dataset, actor=actor, previous=previous.pk if previous else None
    )
    return dataset


@transaction.atomic
def project_screen(*, actor: User, project: EiaProject) -> ZoningScreening:
    """Screen the project's location, industry and facts against the units and rules in force."""
    ensure_can_edit(actor, project)
    project = EiaProject.objects.select_related("division").get(pk=project.pk)
    if project.location is None:
        raise ValidationError({"location": _("项目未填写位置,无法进行三线一单筛查。")})
    state = current_index()
    try:
        screening = state.index.screen(engine_project(project))
    except zoning.ProjectInputError as exc:
        raise ValidationError({"location": list(exc.errors)}) from None
    rules = active_rules()
    notes = location_notes(project)
    proposal = rules[0].propose(screening) if rules else None
    if proposal is None:
        notes.append(_("尚未启用“一律不批”规则:只列出涉及的管控单元和准入清单命中。"))
    needs_review = bool(proposal and (proposal.refuse or proposal.undetermined)) or (
        proposal is None and bool(screening.forbidden)
    )
    record = ZoningScreening.objects.create(
        project=project,
        screened_by=signed_in_user(actor),
        units_dataset_id=state.dataset_id,
        rule_set=rules[1] if rules else None,
        inputs=inputs_fingerprint(project),
        notes=notes,
        contacts=[
            {
                "code": c.unit.code,
                "name": c.unit.name,
                "class": c.unit.unit_class.value,
                "class_label": c.unit.unit_class.label,
                "flags": sorted(c.unit.flags),
                "boundary_only": c.boundary_only,
            }
            for c in screening.contacts
        ],
        access_matches=[
            {
                "unit": m.unit.code,
                "kind": m.entry.kind.value,
                "entry": m.entry.id,
                "matched": m.matched,
                "text": m.text,
                "message": m.message,
            }
            for m in screening.access_matches
        ],
        hits=[
            {
                "rule": h.rule.id,
                "text": h.rule.text,
                "basis": h.rule.basis,
                "reasons": list(h.reasons),
                "units": [u.code for u in h.units],
                "message": h.message,
            }
            for h in (proposal.hits if proposal else ())
        ],
        undetermined=[
            {
                "rule": u.rule.id,
                "text": u.rule.text,
                "missing": list(u.missing),
                "message": u.message,
            }
            for u in (proposal.undetermined if proposal else ())
        ],
        refuse=bool(proposal and proposal.refuse),
        summary="\n".join([proposal.summary() if proposal else _summary(screening), *notes]),
        review=ScreeningReview.PENDING if needs_review else ScreeningReview.NOT_NEEDED,
    )
    events.project_screened_event(project=project, actor=actor, screening=record)
    return record


def _summary(screening: Any) -> str:
    lines = [_("涉及管控单元:%s") % ("、".join(u.label for u in screening.units) or _("无"))]
    lines += [m.message for m in screening.access_matches]
    return "\n".join(lines)


def _reviewable(actor: User, screening: ZoningScreening) -> ZoningScreening:
    ensure_can_edit(actor, screening.project)
    screening = (
        ZoningScreening.objects.select_for_update().select_related("project").get(pk=screening.pk)
    )
    if screening.review != ScreeningReview.PENDING:
        raise ValidationError(
            {
                "review": _("该筛查结果当前为“%(state)s”,无需或不能再次复核。")
                % {"state": screening.get_review_display()}
            }
        )
    latest = screening.project.screenings.order_by("-screened_at", "-pk").first()
    if latest is None or latest.pk != screening.pk:  # never None: the screening is one of them
        raise ValidationError({"review": _("这不是该项目最新的筛查结果。")})
    return screening


@transaction.atomic
def screening_confirm(
    *, actor: User, screening: ZoningScreening, reason: str = ""
) -> ZoningScreening:
    """The reviewer agrees: the project is not to be approved (the decision follows as a refusal)."""
    screening = _reviewable(actor, screening)
    if not screening.refuse:
        raise ValidationError(
            {
                "review": _(
                    "该筛查没有触及“一律不批”规则,只有无法判定的规则:请补充项目事实后重新筛查,或否定建议并说明理由。"
                )
            }
        )
    screening.review, screening.review_reason = ScreeningReview.CONFIRMED, reason
    screening.reviewed_by, screening.reviewed_at = actor, timezone.now()
    screening.save()
    events.refusal_confirmed_event(project=screening.project, actor=actor, screening=screening)
    return screening


@transaction.atomic
def screening_override(*, actor: User, screening: ZoningScreening, reason: str) -> ZoningScreening:
    """The reviewer disagrees, with a written reason (e.g. an exception the red-line rules allow)."""
    ensure_reviewer(actor)
    screening = _reviewable(actor, screening)
    if len((reason or "").strip()) < _MIN_REASON:
        raise ValidationError(
            {
                "review_reason": _("否定不予批准建议须写明理由(不少于 %(n)d 个字)。")
                % {"n": _MIN_REASON}
            }
        )
    screening.review, screening.review_reason = ScreeningReview.OVERRIDDEN, reason.strip()
    screening.reviewed_by, screening.reviewed_at = actor, timezone.now()
    screening.save()
    events.refusal_overridden_event(project=screening.project, actor=actor, screening=screening)
    return screening
