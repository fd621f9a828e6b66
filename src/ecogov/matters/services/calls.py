"""Progress calls (调度): open one, close it. Units file through matter_report_progress."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.models import Division
from ecogov.core.scoping import scope_for
from ecogov.matters.models import Matter, MatterUnit, ProgressCall, ProgressCallItem
from ecogov.matters.workflow import Kind

from .common import require_create_in

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.matters.models import Source


@transaction.atomic
def progress_call_open(
    *,
    actor: User,
    title: str,
    due_on: dt.date,
    kind: str = "",
    source: Source | None = None,
    division: Division | None = None,
    note: str = "",
) -> ProgressCall:
    """Ask every responsible unit of the open matters in scope for progress by `due_on`.

    The expected (matter, unit) pairs are fixed now, so the back office can say at any time
    which units have not filed.
    """
    scope = scope_for(actor)
    if scope.read_only or not scope.division_path:
        raise PermissionDenied(_("只有有辖区数据范围的办理人员可以发起调度。"))
    division = division or actor.staff.division
    require_create_in(actor, division)
    assert division is not None  # require_create_in refused a missing division
    errors = {}
    if not str(title or "").strip():
        errors["title"] = _("请填写调度名称。")
    if not isinstance(due_on, dt.date):
        errors["due_on"] = _("请填写报送截止日期。")
    elif due_on < timezone.localdate():
        errors["due_on"] = _("报送截止日期 %s 已过。") % due_on
    if kind and kind not in Kind.values:
        errors["kind"] = _("“%s”不是事项类型。") % kind
    if source is not None and kind and source.kind != kind:
        errors["source"] = _("批次“%s”与所选事项类型不一致。") % source
    if errors:
        raise ValidationError(errors)
    matters = Matter.objects.visible_to(actor).filter(
        is_open=True, division__path__startswith=division.path
    )
    if kind:
        matters = matters.filter(kind=kind)
    if source is not None:
        matters = matters.filter(source=source)
    pairs = list(
        MatterUnit.objects.filter(matter__in=matters, is_active=True)
        .values_list("matter_id", "organisation_id")
        .distinct()
    )
    if not pairs:
        raise ValidationError({"source": _("范围内没有未办结的事项,无需调度。")})
    call = ProgressCall(
        title=title.strip(),
        kind=kind,
        source=source,
        division=division,
        due_on=due_on,
        note=note,
        opened_by=actor,
    )
    call.full_clean()
    call.save()
    ProgressCallItem.objects.bulk_create(
        [ProgressCallItem(call=call, matter_id=m, organisation_id=o) for m, o in pairs],
        batch_size=2000,
    )
    return call


@transaction.atomic
def progress_call_close(*, actor: User, call: ProgressCall) -> ProgressCall:
    if call.opened_by_id != actor.pk and not scope_for(actor).covers_division(call.division):
        raise PermissionDenied(_("只有发起人或同级办理人员可以结束调度。"))
    if call.closed_at is not None:
        raise ValidationError({"call": _("调度已结束。")})
    call.closed_at = timezone.now()
    call.save(update_fields=["closed_at"])
    return call
