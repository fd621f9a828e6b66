"""The duty list (普法责任清单): a new version supersedes the one in force; both are kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ecogov.core.models import Division

from .. import events
from ..models import DutyItem, DutyList, DutyListState
from .common import (
    add,
    default_division,
    ensure_can_create,
    full_clean_into,
    raise_if,
    sync_children,
    update_record,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DUTY_LIST_FIELDS = ["division", "title", "year", "issued_on", "basis", "adjustment"]
DUTY_LIST_CHANGE_FIELDS = ["title", "year", "issued_on", "basis", "adjustment"]
ITEM_FIELDS = ["order", "laws", "audience", "responsible", "measures"]


def in_force(division: Division) -> DutyList | None:
    return DutyList.objects.filter(division=division, state=DutyListState.IN_FORCE).first()


def _item_in_use(item: DutyItem) -> str:
    if item.activities.exists() or item.trainings.exists():
        return _("第%(n)s条“%(laws)s”已有宣传活动或培训落实,不能删除;如需调整请印发新版本。") % {
            "n": item.order,
            "laws": item.laws[:30],
        }
    return ""


@transaction.atomic
def duty_list_issue(
    *, actor: User, data: dict[str, Any], items: list[dict] | None = None, carry_over: bool = True
) -> DutyList:
    """Issue a version of the division's duty list. The version in force (if any) is
    superseded on the new version's issue date. Without `items`, the previous version's items
    are carried over (each linked to the item it continues) for adjustment afterwards."""
    duty_list = DutyList(**{k: data[k] for k in DUTY_LIST_FIELDS if k in data})
    if duty_list.division_id is None:
        duty_list.division = default_division(actor)
    errors: dict = {}
    if duty_list.division_id is None:
        add(errors, "division", _("请选择所属区划。"))
        raise_if(errors)
    ensure_can_create(actor, duty_list.division)
    DutyList.objects.select_for_update().filter(division=duty_list.division).exists()
    previous = in_force(duty_list.division)
    duty_list.version = (
        DutyList.objects.filter(division=duty_list.division).aggregate(v=Max("version"))["v"] or 0
    ) + 1
    if previous is not None and duty_list.issued_on and duty_list.issued_on < previous.issued_on:
        add(
            errors,
            "issued_on",
            _("印发日期不能早于现行版本(第%(v)s版,%(d)s印发)。")
            % {"v": previous.version, "d": previous.issued_on},
        )
    if previous is not None and not (duty_list.adjustment or "").strip():
        add(errors, "adjustment", _("动态调整清单时请写明调整说明。"))
    if not items and (previous is None or not carry_over):
        add(errors, "items", _("清单至少应有一条事项。"))
    raise_if(full_clean_into(duty_list, errors, exclude=["version"]))
    duty_list.save()
    if items:
        sync_children(
            parent=duty_list,
            model=DutyItem,
            fk="duty_list",
            rows=items,
            fields=ITEM_FIELDS,
            label=_("清单事项"),
            errors_field="items",
        )
    elif previous is not None:  # always so: without items a version to carry over is required
        DutyItem.objects.bulk_create(
            [
                DutyItem(
                    duty_list=duty_list,
                    carried_from=item,
                    **{f: getattr(item, f) for f in ITEM_FIELDS},
                )
                for item in previous.items.all()
            ]
        )
    if previous is not None:
        previous.state, previous.superseded_by = DutyListState.SUPERSEDED, duty_list
        previous.superseded_on = duty_list.issued_on
        previous.save()
        events.duty_list_superseded_event(duty_list=previous, actor=actor, by=duty_list)
    events.duty_list_issued_event(duty_list=duty_list, actor=actor, previous=previous)
    return duty_list


def _still_in_force(record: DutyList, errors: dict, data: dict) -> None:
    if record.state != DutyListState.IN_FORCE:
        add(
            errors,
            "__all__",
            _("该版本已被第%(v)s版替代,保留原样不能修改;如需调整请印发新版本。")
            % {"v": record.superseded_by.version if record.superseded_by is not None else "?"},
        )
        raise_if(errors)
    previous = DutyList.objects.filter(superseded_by=record).first()
    if previous is not None and record.issued_on < previous.issued_on:
        add(errors, "issued_on", _("印发日期不能早于上一版本(%(d)s)。") % {"d": previous.issued_on})


@transaction.atomic
def duty_list_update(
    *, actor: User, duty_list: DutyList, data: dict[str, Any], items: list[dict] | None = None
) -> DutyList:
    """Correct the version in force (its items too); a superseded version stays as it was."""

    def children(record: DutyList) -> list[str]:
        changed = sync_children(
            parent=record,
            model=DutyItem,
            fk="duty_list",
            rows=items,
            fields=ITEM_FIELDS,
            label=_("清单事项"),
            errors_field="items",
            can_delete=_item_in_use,
        )
        if items is not None and not items:
            raise_if({"items": [_("清单至少应有一条事项。")]})
        return ["items"] if changed else []

    return update_record(
        actor=actor,
        record=duty_list,
        data=data,
        fields=DUTY_LIST_CHANGE_FIELDS,
        check=_still_in_force,
        effective_on="issued_on",
        after_save=children,
    )
