"""Every write of the air-quality area: stations, hourly-data imports, patrols.

An import is row-tolerant (issue 6). Every valid value is kept, and every problem is
recorded on the batch by file, line and field. A value already stored is never changed
silently. An identical value counts as unchanged. A different value is refused and reported
unless the importer asked to replace, and then each replacement is reported too. Cached
evaluations of the years that changed are dropped in the same transaction.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core import jobs, uploads
from ecogov.core.events import signed_in_user
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.services import model_update

from .ingest import InputError, Parsed, Problem, parse_file
from .models import (
    CHECKS,
    FLAG_FIELDS,
    VALUE_FIELDS,
    AirTarget,
    Evaluation,
    ImportBatch,
    Observation,
    Patrol,
    Station,
)
from .models.observations import CO_UNIT_SUSPECT, PM_ABOVE_PM10
from .storage import STORED as _STORED
from .storage import upsert

REPORT_EVERY = 5000  # cells between two progress reports (jobs.report)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

    from ecogov.core.models import Division, Job

LOCAL = ZoneInfo("Asia/Shanghai")
STATION_FIELDS = [
    "code",
    "name",
    "kind",
    "city",
    "longitude",
    "latitude",
    "counts_for_city",
    "is_active",
]
IMPORT_PERMISSION = "airquality.add_importbatch"


def invalidate(*, city_ids: Iterable[int], years: Iterable[int] | None = None) -> int:
    """Drop cached evaluations of these cities (and years; None = all years)."""
    queryset = Evaluation.objects.filter(city_id__in=list(city_ids))
    if years is not None:
        queryset = queryset.filter(year__in=list(years))
    return queryset.delete()[0]


# --- stations ------------------------------------------------------------------------------
def _ensure_city_level(actor: User | None, city: Division) -> None:
    if actor is not None and not can_create_in(actor, city):
        raise PermissionDenied(
            _("只有辖区包含%(city)s的人员可以登记或修改其监测站点。") % {"city": city.name}
        )


@transaction.atomic
def station_create(*, actor: User, data: dict[str, Any]) -> Station:
    station = Station(**{k: v for k, v in data.items() if k in STATION_FIELDS})
    if station.city_id is None:
        raise ValidationError({"city": _("请选择所属行政区。")})
    _ensure_city_level(actor, station.city)
    station.full_clean()
    station.save()
    invalidate(city_ids=[station.city_id])
    return station


@transaction.atomic
def station_update(*, actor: User | None, station: Station, data: dict[str, Any]) -> Station:
    if actor is not None and not can_edit(actor, station):
        raise PermissionDenied(_("只有辖区包含该站点所属行政区的人员可以修改监测站点。"))
    station = Station.objects.select_for_update().get(pk=station.pk)
    old_city = station.city_id
    changed = model_update(instance=station, data=data, fields=STATION_FIELDS)
    if "city" in changed:
        _ensure_city_level(actor, station.city)
    if set(changed) & {"code", "city", "counts_for_city", "is_active"}:
        invalidate(city_ids={old_city, station.city_id})  # who counts for the city changed
    return station


# --- patrols (the attainment drive's supervision ledger) -----------------------------------
PATROL_FIELDS = [
    "patrol_date",
    "division",
    "organisation",
    "subject",
    "person_times",
    "sites",
    "letters",
    "note",
]


@transaction.atomic
def patrol_create(*, actor: User | None, data: dict[str, Any]) -> Patrol:
    patrol = Patrol(**{k: v for k, v in data.items() if k in PATROL_FIELDS})
    if patrol.division_id is None:
        raise ValidationError({"division": _("请选择巡查区域。")})
    if actor is not None and not can_create_in(actor, patrol.division):
        raise PermissionDenied(
            _("无权在“%(d)s”登记巡查:超出您的数据范围。") % {"d": patrol.division}
        )
    patrol.full_clean()
    patrol.save()
    return patrol


@transaction.atomic
def patrol_update(*, actor: User | None, patrol: Patrol, data: dict[str, Any]) -> Patrol:
    if actor is not None and not can_edit(actor, patrol):
        raise PermissionDenied(_("无权修改该巡查记录:超出您的数据范围或您只有查看权限。"))
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    changed = model_update(instance=patrol, data=data, fields=PATROL_FIELDS)
    if "division" in changed and actor is not None and not can_create_in(actor, patrol.division):
        raise PermissionDenied(
            _("无权把巡查记录移到“%(d)s”:超出您的数据范围。") % {"d": patrol.division}
        )
    return patrol


# --- annual targets (the assessment's, entered from its document) ---------------------------
TARGET_FIELDS = [
    "division",
    "year",
    "good_days_ratio",
    "pm25_mean",
    "heavy_days",
    "source_document",
    "note",
]
_TARGETS = ("good_days_ratio", "pm25_mean", "heavy_days")


def _check_target(actor: User | None, target: AirTarget) -> None:
    if target.division_id is None:
        raise ValidationError({"division": _("请选择行政区。")})
    if actor is not None and not can_create_in(actor, target.division):
        raise PermissionDenied(
            _("无权为“%(d)s”设定空气质量目标:超出您的数据范围。") % {"d": target.division}
        )
    if all(getattr(target, f) is None for f in _TARGETS):
        raise ValidationError(
            {"good_days_ratio": _("至少填写一项目标:优良天数比例、PM₂.₅年均浓度或重污染天数。")}
        )
    target.full_clean()


@transaction.atomic
def target_create(*, actor: User, data: dict[str, Any]) -> AirTarget:
    target = AirTarget(**{k: v for k, v in data.items() if k in TARGET_FIELDS})
    _check_target(actor, target)
    target.save()
    return target


@transaction.atomic
def target_update(*, actor: User | None, target: AirTarget, data: dict[str, Any]) -> AirTarget:
    if actor is not None and not can_edit(actor, target):
        raise PermissionDenied(_("无权修改该目标:超出您的数据范围或您只有查看权限。"))
    target = AirTarget.objects.select_for_update().get(pk=target.pk)
    for name, value in data.items():
        if name in TARGET_FIELDS:
            setattr(target, name, value)
    _check_target(actor, target)
    target.save()
    return target


# --- imports -------------------------------------------------------------------------------
def importable_stations(actor: User | None) -> tuple[dict[str, Station], set[str]]:
    """(stations the actor may import into, codes of the other registered stations)."""
    everyone = Station.objects.select_related("city")
    mine = everyone if actor is None else everyone.editable_by(actor)
    allowed = {s.code: s for s in mine}
    return allowed, set(everyone.values_list("code", flat=True)) - set(allowed)


def check_import_permission(actor: User | None) -> None:
    if actor is None:
        return  # the server's own command line
    if not actor.has_perm(IMPORT_PERMISSION) or not Station.objects.editable_by(actor).exists():
        raise PermissionDenied(
            _("只有辖区内有监测站点的科室人员和局领导可以导入空气质量监测数据。")
        )


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def import_upload(
    *, actor: User, upload: UploadedFile, source: str, replace: bool = False
) -> ImportBatch:
    """Import an uploaded file (admin, API): spooled to a temporary file of the same type."""
    try:
        checked = uploads.check_upload(upload, purpose="monitoring")
    except ValidationError as exc:
        raise InputError(" ".join(exc.message_dict["file"])) from None
    upload.seek(0)
    assert upload.name is not None  # check_upload refused a file without a name (no extension)
    suffix = Path(checked.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        return import_file(
            actor=actor, path=tmp.name, name=Path(upload.name).name, source=source, replace=replace
        )


def import_start(
    *, actor: User, files: list[UploadedFile], source: str, replace: bool = False
) -> Job:
    """Queue the import of uploaded files as one background job (docs/jobs.md), whose page
    shows the progress and then the batches: every file is checked here first (type, size,
    content; InputError naming the file), nothing is kept or queued if one is refused."""
    from ecogov.core.models import JobKind

    check_import_permission(actor)
    for upload in files:
        try:
            uploads.check_upload(upload, purpose="monitoring")
        except ValidationError as exc:
            raise InputError(" ".join(exc.message_dict["file"])) from None
    return jobs.job_start(
        actor=actor,
        kind=JobKind.AIR_IMPORT,
        title=_("导入空气质量小时数据"),
        target="airquality.importbatch",
        options={"source": source, "replace": bool(replace), "result_label": _("查看导入批次")},
        files=files,
    )


def import_file(
    *,
    actor: User,
    path: str | Path,
    name: str | None = None,
    source: str = "command",
    replace: bool = False,
) -> ImportBatch:
    """Import one file of either layout. Raises InputError if the file cannot be read at all."""
    check_import_permission(actor)
    path = Path(path)
    name = name or path.name
    sha, size = _sha256(path)
    allowed, outside = importable_stations(actor)
    jobs.report(_("读取文件"), span=(0, 40))
    parsed = parse_file(path, name, known=allowed, outside=outside)
    jobs.report(_("核对"), 0, parsed.cells.height, span=(40, 70))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            imported_by=signed_in_user(actor),
            source=source,
            file_name=name[:255],
            file_sha256=sha,
            file_size=size,
            layout=parsed.layout,
            replace=replace,
            rows_read=parsed.rows,
            values_missing=parsed.missing,
            values_rejected=parsed.rejected,
        )
        earlier = ImportBatch.objects.filter(file_sha256=sha).exclude(pk=batch.pk).first()
        if earlier is not None:
            parsed.problems.insert(
                0,
                Problem(
                    name,
                    0,
                    "",
                    _("同一文件已于 %(when)s 导入过(批次 %(pk)d):相同的数值不会重复写入。")
                    % {
                        "when": f"{earlier.imported_at.astimezone(LOCAL):%Y-%m-%d %H:%M}",
                        "pk": earlier.pk,
                    },
                    "warning",
                ),
            )
        _merge(batch, parsed, allowed, replace)
        problems = sorted(parsed.problems, key=lambda p: (p.line, p.field))
        batch.problems = [p.as_dict() for p in problems[: ImportBatch.PROBLEMS_KEPT]]
        batch.problems_total = len(problems)
        batch.warnings = sum(p.kind == "warning" for p in problems)
        batch.save()
    return batch


def _checks(row: dict) -> int:
    """Plausibility bits of a station-hour (kept and evaluated; invalid-flagged values ignored)."""

    def ok(p: str) -> bool:
        return row[VALUE_FIELDS[p]] is not None and not row[FLAG_FIELDS[p]]

    bits = 0
    if ok("PM2.5") and ok("PM10") and row["pm25"] > row["pm10"]:
        bits |= PM_ABOVE_PM10
    if ok("CO") and row["co"] > 100:
        bits |= CO_UNIT_SUSPECT
    return bits


def _fmt(value: Any, flag: str) -> str:
    text = "空" if value is None else f"{value:g}"
    return f"{text}(标记 {flag})" if flag else text


def _merge(batch: ImportBatch, parsed: Parsed, stations: dict, replace: bool) -> None:
    """Fold the parsed cells into the station-hour rows; write only what changed."""
    cells = parsed.cells
    if not cells.height:
        return
    ids = {code: stations[code].pk for code in cells["station"].unique().to_list()}
    hours = [h.replace(tzinfo=LOCAL) for h in cells["hour"].to_list()]
    existing = {
        (o["station_id"], o["hour"]): o
        for o in Observation.objects.filter(
            station_id__in=ids.values(), hour__gte=min(hours), hour__lte=max(hours)
        ).values("pk", "station_id", "hour", *_STORED, "checks", "batch_id")
    }
    rows: dict[tuple, dict] = {}
    touched: dict[tuple, list] = {}
    added = unchanged = replaced = 0
    for done, (code, hour, pol, value, flag, file, line) in enumerate(
        zip(
            cells["station"].to_list(),
            hours,
            cells["pollutant"].to_list(),
            cells["value"].to_list(),
            cells["flag"].to_list(),
            cells["_file"].to_list(),
            cells["_line"].to_list(),
        )
    ):
        if done % REPORT_EVERY == 0:
            jobs.report(_("核对"), done, cells.height, span=(40, 70))
        key = (ids[code], hour)
        row = rows.get(key)
        if row is None:
            row = rows[key] = dict(
                existing.get(key)
                or {
                    "pk": None,
                    **{f: None for f in VALUE_FIELDS.values()},
                    **{f: "" for f in FLAG_FIELDS.values()},
                    "checks": 0,
                    "batch_id": None,
                }
            )
        vf, ff = VALUE_FIELDS[pol], FLAG_FIELDS[pol]
        old = (row[vf], row[ff])
        if old == (value, flag):
            unchanged += 1
            continue
        where = f"站点 {code} {hour:%Y-%m-%dT%H:%M} {pol}"
        if old != (None, ""):
            if not replace:
                parsed.problems.append(
                    Problem(
                        file,
                        line,
                        pol,
                        _(
                            "%(where)s 已有数值 %(old)s,与本次 %(new)s 不同,未覆盖(如需更正请选择“覆盖”"
                            "重新导入)"
                        )
                        % {"where": where, "old": _fmt(*old), "new": _fmt(value, flag)},
                    )
                )
                batch.values_rejected += 1
                continue
            parsed.problems.append(
                Problem(
                    file,
                    line,
                    pol,
                    _("%(where)s 原值 %(old)s 已覆盖为 %(new)s")
                    % {"where": where, "old": _fmt(*old), "new": _fmt(value, flag)},
                    "warning",
                )
            )
            replaced += 1
        else:
            added += 1
        row[vf], row[ff] = value, flag
        touched.setdefault(key, []).append((file, line))
    code_of = {s.pk: code for code, s in stations.items()}
    changed = []
    for key, places in touched.items():
        row = rows[key]
        bits = _checks(row)
        for bit, text in CHECKS.items():
            if bits & bit and not row["checks"] & bit:  # newly suspicious: say so, keep it
                file, line = places[-1]
                parsed.problems.append(
                    Problem(
                        file,
                        line,
                        "",
                        _("站点 %(s)s %(h)s:%(what)s(已保留,未修改)")
                        % {"s": code_of[key[0]], "h": f"{key[1]:%Y-%m-%dT%H:%M}", "what": text},
                        "warning",
                    )
                )
        changed.append((key[0], key[1], *(row[f] for f in _STORED), bits, batch.pk))
    jobs.report(_("写入"), 0, len(changed), span=(70, 100))
    upsert(changed)
    batch.values_added, batch.values_unchanged = added, unchanged
    batch.values_replaced = replaced
    batch.values_flagged = int((cells["flag"] != "").sum())
    years = sorted({h.year for _s, h in touched})
    codes = sorted({code_of[s] for s, _h in touched})
    batch.years, batch.stations = years, codes
    if touched:
        invalidate(city_ids={stations[c].city_id for c in codes}, years=years)
