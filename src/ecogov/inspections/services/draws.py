"""The draw service: freeze the pools, run the engine, store everything needed to verify.

A draw is never redone in place: `draw_redo` marks the draw superseded and makes a new one
(new seed, reason recorded); both stay visible. `draw_verify` recomputes a stored draw.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.models import Division, EntityCategory, RegulatedEntity
from ecogov.core.scoping import can_edit
from ecogov.inspections import deadlines, events, pools
from ecogov.inspections.draw import (
    CategoryTally,
    Check,
    DrawError,
    DrawResult,
    EntityColumns,
    VerifyReport,
    draw_with_document,
    verify_document,
)
from ecogov.inspections.models import (
    Draw,
    DrawAssignment,
    DrawCheck,
    DrawStatus,
    Plan,
    Publication,
    PublicationKind,
    Seed,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_ENTITY_FIELD = re.compile(r"entities\[([^\]]+)\]")


def error_field(exc: DrawError) -> str:
    """The form field a DrawError belongs to (plan quotas, per-check count, a pool, the seed)."""
    if exc.field.startswith("plan.quotas"):
        return "quotas"
    if exc.field == "plan.inspectors_per_check":
        return "inspectors_per_check"
    if exc.field == "plan.period":
        return "period_label"
    if exc.code in ("no_eligible_inspector", "inspector_pool_too_small") or exc.field.startswith(
        "inspectors"
    ):
        return "inspector_pool"
    if exc.field.startswith("entities"):
        return "entity_pool"
    if exc.field == "seed":
        return "seed"
    return NON_FIELD_ERRORS


def error_message(exc: DrawError) -> str:
    """The engine's message with pool ids named (entity names) and category labels."""
    message = exc.message
    found = _ENTITY_FIELD.match(exc.field)
    if found and found.group(1).isdigit():
        entity = RegulatedEntity.objects.filter(pk=int(found.group(1))).first()
        if entity is not None:
            message = message.replace(
                f"对象 {entity.pk}", f"排污单位“{entity.name}”(编号 {entity.pk})"
            )
    for value, label in EntityCategory.choices:
        message = message.replace(f"类别 {value}", f"类别“{label}”")
    return message


def as_validation_error(exc: DrawError) -> ValidationError:
    return ValidationError({error_field(exc): [error_message(exc)]})


def _pick_seed(plan: Plan, seed: Seed | None, now: dt.datetime) -> Seed:
    if seed is None:
        seed = plan.seeds.filter(draw__isnull=True).order_by("-announced_at", "-pk").first()
        if seed is None:
            raise ValidationError({"seed": _("请先公布随机种子(公布后才能抽取)。")})
    seed = Seed.objects.select_for_update().get(pk=seed.pk)
    if seed.plan_id != plan.pk:
        raise ValidationError({"seed": _("该随机种子不是为本计划公布的。")})
    if Draw.objects.filter(seed=seed).exists():
        raise ValidationError(
            {"seed": _("该随机种子已用于一次抽取;每次抽取须使用事先新公布的种子。")}
        )
    if seed.announced_at >= now:
        raise ValidationError(
            {
                "seed": _("随机种子须在抽取之前公布(公布时间 %(at)s)。")
                % {"at": f"{timezone.localtime(seed.announced_at):%Y-%m-%d %H:%M}"}
            }
        )
    return seed


def _make(
    *,
    actor: User,
    plan: Plan,
    seed: Seed | None,
    now: dt.datetime,
    supersedes: Draw | None = None,
    reason: str = "",
) -> Draw:
    if not can_edit(actor, plan):
        raise PermissionDenied(_("无权对该抽查计划抽取:超出您的数据范围或您只有查看权限。"))
    if not plan.quotas.exists():
        raise ValidationError({"quotas": _("计划尚未设定各类别的抽查比例或数量。")})
    seed = _pick_seed(plan, seed, now)
    jobs.report(_("冻结名录库"), span=(0, 30))  # as a background job (inspections/jobs.py)
    frozen = pools.freeze(plan, seed.value)
    jobs.report(_("抽取"), span=(30, 50))
    try:
        document, result = draw_with_document(frozen.inputs)
    except DrawError as exc:
        raise as_validation_error(exc) from None
    number = (plan.draws.aggregate(n=Max("number"))["n"] or 0) + 1
    record = Draw.objects.create(
        plan=plan,
        number=number,
        division=plan.division,
        seed=seed,
        drawn_at=now,
        drawn_by=actor,
        inspection_date=plan.inspection_date,
        algorithm_version=result.algorithm_version,
        input_document=document,
        input_hash=result.input_hash,
        result_hash=result.result_hash,
        tallies=[
            {"category": t.category, "frame_size": t.frame_size, "drawn": t.drawn}
            for t in result.tallies
        ],
        entity_pool_size=frozen.entity_count,
        inspector_pool_size=frozen.inspector_count,
        conflict_count=frozen.conflict_count,
        skipped_compliant_count=frozen.skipped_compliant_count,
        supersedes=supersedes,
        redraw_reason=reason,
    )
    pool = frozen.inputs.entities
    assert isinstance(pool, EntityColumns)  # pools.freeze reads the pool as columns
    jobs.report(_("写入结果"), 0, len(result.checks), span=(50, 95))
    _store_checks(record, result, dict(zip(pool.ids, pool.divisions)))
    jobs.report(_("生成公开名单"), span=(95, 100))
    deadline = deadlines.list_due(record)
    Publication.objects.create(
        kind=PublicationKind.DRAW_LIST,
        draw=record,
        division=record.division,
        title=_("%(plan)s 抽查名单(第%(n)d次抽取)") % {"plan": plan.name, "n": number},
        trigger_on=deadlines.list_trigger(record),
        due_on=deadline.due,
        due_provisional=deadline.provisional,
    )
    events.drawn_event(draw=record, actor=actor)
    return record


def _insert(table: str, columns: list[str], rows: list[tuple], batch: int = 1000) -> None:
    """Multi-row INSERTs: what bulk_create sends, without building a model per row; on
    PostgreSQL one COPY, which skips parsing tens of thousands of parameters."""
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {q(table)} ({', '.join(map(q, columns))}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    head = f"INSERT INTO {q(table)} ({', '.join(map(q, columns))}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(head + ", ".join([one] * len(chunk)), [v for row in chunk for v in row])


def _store_checks(record: Draw, result: DrawResult, division_of: dict[str, str]) -> None:
    """The checks and their inspectors as plain inserts: at 200,000 entities a draw has tens
    of thousands of checks, and model instances for them cost more than the draw itself
    (bench/bench_inspections_draw_db.py)."""
    division_ids = dict(
        Division.objects.filter(code__in=set(division_of.values())).values_list("code", "pk")
    )
    _insert(
        DrawCheck._meta.db_table,
        ["draw_id", "category", "rank", "entity_id", "division_id", "is_latest"],
        [
            (
                record.pk,
                c.category,
                c.rank,
                int(c.entity_id),
                division_ids[division_of[c.entity_id]],
                True,
            )
            for c in result.checks
        ],
    )
    # this draw is now each drawn entity's latest: its earlier checks step back
    DrawCheck.objects.filter(
        is_latest=True, entity_id__in=DrawCheck.objects.filter(draw=record).values("entity_id")
    ).exclude(draw=record).update(is_latest=False)
    ids = {
        (category, rank): pk
        for pk, category, rank in DrawCheck.objects.filter(draw=record).values_list(
            "pk", "category", "rank"
        )
    }
    _insert(
        DrawAssignment._meta.db_table,
        ["draw_check_id", "position", "inspector_id"],
        [
            (ids[c.category, c.rank], i, int(pid))
            for c in result.checks
            for i, pid in enumerate(c.inspector_ids, start=1)
        ],
    )


def _step_back(old: Draw) -> None:
    """A superseded draw's entities fall back to their check in the latest draw still in force."""
    entities = DrawCheck.objects.filter(draw=old).values("entity_id")
    DrawCheck.objects.filter(draw=old).update(is_latest=False)
    latest: dict[int, int] = {}
    for entity_id, pk in (
        DrawCheck.objects.filter(entity_id__in=entities, draw__status=DrawStatus.ACTIVE)
        .order_by("entity_id", "-draw_id")
        .values_list("entity_id", "pk")
    ):
        latest.setdefault(entity_id, pk)
    pks = list(latest.values())
    for start in range(0, len(pks), 5000):
        DrawCheck.objects.filter(pk__in=pks[start : start + 5000]).update(is_latest=True)


@transaction.atomic
def draw_make(
    *, actor: User, plan: Plan, seed: Seed | None = None, now: datetime | None = None
) -> Draw:
    """Draw for a plan that has no draw in force, with a seed announced before now."""
    plan = Plan.objects.select_for_update().select_related("division").get(pk=plan.pk)
    current = plan.draws.filter(status=DrawStatus.ACTIVE).first()
    if current is not None:
        raise ValidationError(
            {
                "plan": _(
                    "计划“%(plan)s”已于 %(at)s 抽取(第%(n)d次);抽取不能悄悄重做,如需重新抽取,"
                    "请使用“重新抽取”并说明理由。"
                )
                % {
                    "plan": plan.name,
                    "n": current.number,
                    "at": f"{timezone.localtime(current.drawn_at):%Y-%m-%d %H:%M}",
                }
            }
        )
    return _make(actor=actor, plan=plan, seed=seed, now=now or timezone.now())


@transaction.atomic
def draw_redo(
    *, actor: User, draw: Draw, reason: str, seed: Seed | None = None, now: datetime | None = None
) -> Draw:
    """A redraw: a new draw with its reason; the old one stays, marked superseded."""
    plan = Plan.objects.select_for_update().select_related("division").get(pk=draw.plan_id)
    old = Draw.objects.select_for_update().get(pk=draw.pk)
    if not can_edit(actor, plan):
        raise PermissionDenied(_("无权对该抽查计划重新抽取。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"redraw_reason": _("重新抽取须说明理由(理由与两次抽取结果都将保留并公开)。")}
        )
    if old.status != DrawStatus.ACTIVE:
        raise ValidationError({"draw": _("该次抽取已被取代,只能对有效的抽取重新抽取。")})
    done = DrawCheck.objects.filter(draw=old, inspection__isnull=False).count()
    if done:
        raise ValidationError({"draw": _("该次抽取已有 %d 条检查记录,不能重新抽取。") % done})
    old.status = DrawStatus.SUPERSEDED
    old.save(update_fields=["status"])  # before freezing: rotation must not see the old draw
    _step_back(old)
    return _make(
        actor=actor, plan=plan, seed=seed, now=now or timezone.now(), supersedes=old, reason=reason
    )


def stored_result(record: Draw) -> DrawResult:
    """The result as the database rows say it is (what verify compares with the engine)."""
    inspectors: dict[int, list[str]] = {}
    for check_id, inspector_id in (
        DrawAssignment.objects.filter(draw_check__draw=record)
        .order_by("draw_check_id", "position")
        .values_list("draw_check_id", "inspector_id")
    ):
        inspectors.setdefault(check_id, []).append(str(inspector_id))
    rows = record.checks.values_list("pk", "category", "rank", "entity_id")
    checks = sorted(
        (
            Check(cat, rank, str(entity), tuple(inspectors.get(pk, ())))
            for pk, cat, rank, entity in rows
        ),
        key=lambda c: (c.category.encode(), c.rank),
    )
    tallies = tuple(
        CategoryTally(t["category"], t["frame_size"], t["drawn"]) for t in record.tallies
    )
    return DrawResult(
        record.algorithm_version,
        record.seed.value,
        record.input_hash,
        tallies,
        tuple(checks),
        record.result_hash,
    )


def draw_verify(record: Draw) -> VerifyReport:
    """Recompute from the stored document and seed; compare with the stored rows."""
    jobs.report(_("读取抽取结果"), span=(0, 40))
    stored = stored_result(record)
    jobs.report(_("重新计算并比对"), span=(40, 100))
    try:
        found = verify_document(bytes(record.input_document), record.seed.value, stored)
        jobs.report(_("复核"), 2, 2)
        return found
    except DrawError as exc:
        return VerifyReport(
            False,
            _("复核不通过:冻结的名录库文件已被改动或损坏,无法读取(%(m)s)。") % {"m": exc.message},
            error=exc,
        )
