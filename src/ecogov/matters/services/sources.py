"""Batches (sources), campaign plan structure and assessment rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.scoping import scope_for
from ecogov.matters.models import Aspect, AssessmentScheme, Measure, Source
from ecogov.matters.workflow import Kind

from .common import is_bureau_member

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SOURCE_FIELDS = [
    "code",
    "name",
    "kind",
    "level",
    "year",
    "started_on",
    "feedback_on",
    "ended_on",
    "description",
    "task_categories",
]


def _require_bureau_writer(actor: User) -> None:
    scope = scope_for(actor)
    if scope.read_only or not scope.sees_ledgers or not is_bureau_member(actor):
        raise PermissionDenied(_("只有生态环境局的办理人员可以登记批次、方案和考核细则。"))


@transaction.atomic
def source_create(*, actor: User, data: dict[str, Any]) -> Source:
    _require_bureau_writer(actor)
    source = Source(**{k: v for k, v in data.items() if k in SOURCE_FIELDS})
    categories = source.task_categories or []
    if not isinstance(categories, list) or not all(isinstance(c, str) and c for c in categories):
        raise ValidationError({"task_categories": _("任务类别应为类别名称的列表。")})
    if categories and source.kind != Kind.TASK:
        raise ValidationError({"task_categories": _("只有攻坚战方案有任务类别。")})
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(*, actor: User, source: Source, data: dict[str, Any]) -> Source:
    from ecogov.core.services import model_update

    _require_bureau_writer(actor)
    if "kind" in data and data["kind"] != source.kind and source.matters.exists():
        raise ValidationError({"kind": _("批次已有交办事项,不能修改事项类型。")})
    model_update(instance=source, data=data, fields=SOURCE_FIELDS)
    return source


@transaction.atomic
def plan_add_aspect(*, actor: User, source: Source, number: int, name: str) -> Aspect:
    _require_bureau_writer(actor)
    if source.kind != Kind.TASK:
        raise ValidationError({"source": _("只有攻坚战方案可以设置方面和措施。")})
    if Aspect.objects.filter(source=source, number=number).exists():
        raise ValidationError({"number": _("该方案已有第%d个方面。") % number})
    aspect = Aspect(source=source, number=number, name=name)
    aspect.full_clean()
    aspect.save()
    return aspect


@transaction.atomic
def plan_add_measure(*, actor: User, aspect: Aspect, number: int, text: str) -> Measure:
    _require_bureau_writer(actor)
    if Measure.objects.filter(aspect=aspect, number=number).exists():
        raise ValidationError({"number": _("该方面已有第%d条措施。") % number})
    measure = Measure(aspect=aspect, number=number, text=text)
    measure.full_clean()
    measure.save()
    return measure


SCHEME_FIELDS = [
    "base",
    "on_time_points",
    "late_points",
    "overdue_penalty",
    "missed_report_penalty",
    "floor",
]


@transaction.atomic
def assessment_scheme_set(*, actor: User, source: Source, data: dict[str, Any]) -> AssessmentScheme:
    """Set a campaign's scoring rules (考核细则); unset numbers keep their defaults."""
    _require_bureau_writer(actor)
    if source.kind != Kind.TASK:
        raise ValidationError({"source": _("考核细则只适用于攻坚战方案。")})
    unknown = set(data) - set(SCHEME_FIELDS)
    if unknown:
        raise ValidationError({name: _("该字段不允许修改。") for name in sorted(unknown)})
    scheme, _created = AssessmentScheme.objects.get_or_create(source=source)
    for name, value in data.items():
        setattr(scheme, name, value)
    scheme.full_clean()
    if scheme.floor > scheme.base:
        raise ValidationError({"floor": _("最低分不能高于基础分。")})
    scheme.save()
    return scheme
