"""Plans, their quotas, seeds and conflict declarations: create, change, announce, declare."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.models import EntityCategory, StaffProfile
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import can_create_in, can_edit
from ecogov.core.services import model_update
from ecogov.inspections import events
from ecogov.inspections.draw import DrawError
from ecogov.inspections.draw.canonical import check_text
from ecogov.inspections.models import ConflictDeclaration, Plan, PlanQuota, Seed, SeedSource

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

    from ecogov.core.models import RegulatedEntity

PLAN_FIELDS = [
    "name",
    "period_label",
    "period_start",
    "period_end",
    "division",
    "inspection_date",
    "inspectors_per_check",
    "allow_cross_division",
    "skip_compliant_this_year",
    "notes",
]


def _quota_rows(plan: Plan, quotas: Iterable[dict]) -> list[PlanQuota]:
    """Validate every quota; all messages at once, each naming the category and the field."""
    rows, messages, seen = [], [], set()
    labels = dict(EntityCategory.choices)
    for q in quotas:
        category = q.get("category")
        if category is None or category not in labels:
            messages.append(_("未知的监管类别“%s”。") % category)
            continue
        label = labels[category]
        if category in seen:
            messages.append(_("“%s”的抽查比例或数量填写了两次。") % label)
            continue
        seen.add(category)
        row = PlanQuota(plan=plan, category=category, share=q.get("share"), count=q.get("count"))
        try:
            row.full_clean(exclude=["plan"], validate_unique=False)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name: StrOrPromise = ""
                if field != "__all__":
                    model_field = PlanQuota._meta.get_field(field)
                    assert isinstance(model_field, models.Field)  # full_clean names own fields
                    name = model_field.verbose_name
                for message in errors:
                    messages.append(f"{label}{name}:{message}" if name else f"{label}:{message}")
            continue
        rows.append(row)
    if not rows and not messages:
        messages.append(_("请至少为一个监管类别设定抽查比例或数量。"))
    if messages:
        raise ValidationError({"quotas": messages})
    return rows


def _ensure_unlocked(plan: Plan) -> None:
    if plan.draws.exists():
        raise ValidationError(
            {
                "plan": _(
                    "计划“%s”已经抽取,不能再修改(抽取时计划已冻结写入抽取文件);如需调整,请新建计划。"
                )
                % plan.name
            }
        )


@transaction.atomic
def plan_create(
    *, actor: User, data: dict[str, Any], quotas: Iterable[dict], now: datetime | None = None
) -> Plan:
    plan = Plan(
        **{k: v for k, v in data.items() if k in PLAN_FIELDS},
        created_by=actor,
        created_at=now or timezone.now(),
    )
    if plan.division_id is None:
        raise ValidationError({"division": _("请填写检查范围(区划)。")})
    if not can_create_in(actor, plan.division):
        raise PermissionDenied(_("无权在“%s”制定抽查计划:超出您的数据范围。") % plan.division)
    errors = {}
    try:
        plan.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rows = _quota_rows(plan, quotas)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        check_text(plan.period_label or "x", "period_label")
    except DrawError:
        errors["period_label"] = [_("抽查期次不能含制表符、换行等不可打印字符,首尾不能有空格。")]
    if errors:
        raise ValidationError(errors)
    plan.save()
    for row in rows:
        row.plan = plan
    PlanQuota.objects.bulk_create(rows)
    events.plan_created_event(plan=plan, actor=actor)
    return plan


@transaction.atomic
def plan_update(
    *, actor: User, plan: Plan, data: dict[str, Any], quotas: Iterable[dict] | None = None
) -> Plan:
    if not can_edit(actor, plan):
        raise PermissionDenied(_("无权修改该抽查计划:超出您的数据范围或您只有查看权限。"))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _ensure_unlocked(plan)
    changed = model_update(instance=plan, data=data, fields=[f for f in PLAN_FIELDS])
    if "division" in changed and not can_create_in(actor, plan.division):
        raise PermissionDenied(_("无权在“%s”制定抽查计划:超出您的数据范围。") % plan.division)
    if quotas is not None:
        rows = _quota_rows(plan, quotas)
        plan.quotas.all().delete()
        PlanQuota.objects.bulk_create(rows)
        changed.append("quotas")
    if changed:
        events.plan_updated_event(plan=plan, actor=actor, changed=changed)
    return plan


@transaction.atomic
def seed_announce(
    *,
    actor: User,
    plan: Plan,
    value: str,
    source: str,
    source_note: str = "",
    now: datetime | None = None,
) -> Seed:
    """Publish the seed before the draw: who entered it, when, and where it comes from."""
    if not can_edit(actor, plan):
        raise PermissionDenied(_("无权为该抽查计划公布随机种子。"))
    value = (value or "").strip()
    errors = {}
    try:
        check_text(value, "seed")
    except DrawError:
        errors["value"] = _("随机种子不能为空,不能含制表符、换行等不可打印字符。")
    max_length = Seed._meta.get_field("value").max_length
    assert max_length is not None  # Seed.value is a CharField: its max_length is set
    if len(value) > max_length:
        errors["value"] = _("随机种子不能超过 128 个字符。")
    if source == SeedSource.LEADER and not has_role(actor, Role.LEADER):
        errors["source"] = _("“局领导现场输入”的种子须由局领导本人录入。")
    elif source == SeedSource.PUBLIC and not (source_note or "").strip():
        errors["source_note"] = _("公开来源的种子须写明出处和日期,便于公众核对。")
    elif source not in SeedSource.values:
        errors["source"] = _("未知的种子来源“%s”。") % source
    if errors:
        raise ValidationError(errors)
    seed = Seed.objects.create(
        plan=plan,
        value=value,
        source=source,
        source_note=(source_note or "").strip(),
        announced_by=actor,
        announced_at=now or timezone.now(),
    )
    events.seed_announced_event(seed=seed, actor=actor)
    return seed


@transaction.atomic
def conflict_declare(
    *,
    actor: User,
    inspector: User,
    entity: RegulatedEntity,
    reason: str,
    now: datetime | None = None,
) -> ConflictDeclaration:
    if not can_create_in(actor, entity.division):
        raise PermissionDenied(_("无权为“%s”登记回避申报:超出您的数据范围。") % entity)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写回避理由(仅内部留存,不公开)。")})
    if not StaffProfile.objects.filter(user=inspector).exclude(certificate_number="").exists():
        raise ValidationError({"inspector": _("%s 不是持证执法人员。") % inspector})
    declaration = ConflictDeclaration(
        inspector=inspector,
        entity=entity,
        division=entity.division,
        reason=reason.strip(),
        declared_by=actor,
        declared_at=now or timezone.now(),
    )
    declaration.full_clean()
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError as exc:  # a concurrent identical declaration
        raise ValidationError({"inspector": _("该执法人员对该单位已有有效的回避申报。")}) from exc
    return declaration


@transaction.atomic
def conflict_withdraw(
    *, actor: User, declaration: ConflictDeclaration, reason: str, now: datetime | None = None
) -> ConflictDeclaration:
    if not can_edit(actor, declaration):
        raise PermissionDenied(_("无权撤销该回避申报。"))
    if declaration.withdrawn_at is not None:
        raise ValidationError(
            {"withdrawn_at": _("该回避申报已于 %s 撤销。") % declaration.withdrawn_at}
        )
    if not (reason or "").strip():
        raise ValidationError({"withdraw_reason": _("请填写撤销理由。")})
    declaration.withdrawn_at = now or timezone.now()
    declaration.withdraw_reason = reason.strip()
    declaration.save(update_fields=["withdrawn_at", "withdraw_reason"])
    return declaration
