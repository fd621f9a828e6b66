"""The outreach services' shared steps: scope checks, error collection, the generic create and
update of a ledger record with its typed event, and the children kept from an inline list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from ecogov.core.field_errors import (  # noqa: F401  (the area's services take them from here)
    add,
    full_clean_into,
    raise_if,
    required,
)
from ecogov.core.models import Division
from ecogov.core.scoping import can_create_in, can_edit

from .. import events

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def default_division(actor: User) -> Division | None:
    profile = getattr(actor, "staff", None)
    return getattr(profile, "division", None)


def ensure_can_create(actor: User, division: Division) -> None:
    if not can_create_in(actor, division):
        raise PermissionDenied(
            _("无权在“%(division)s”录入:超出您的数据范围或您只有查看权限。")
            % {"division": division}
        )


def ensure_can_edit(actor: User, record: Any) -> None:
    if not can_edit(actor, record):
        raise PermissionDenied(_("无权修改该记录:超出您的数据范围或您只有查看权限。"))


def check_visible(
    errors: dict, field: str, actor: User, model: type[Any], values: Iterable
) -> list:
    """M2M choices must be records the actor sees (a form's list may be older than the scope)."""
    values = list(values or [])
    visible = set(
        model.objects.visible_to(actor)
        .filter(pk__in=[v.pk for v in values])
        .values_list("pk", flat=True)
    )
    hidden = [v for v in values if v.pk not in visible]
    if hidden:
        add(errors, field, _("所选“%(v)s”不在您的数据范围内。") % {"v": hidden[0]})
    return values


Check = Callable[[Any, dict, dict], None]  # (record, errors, data)


def create_record(
    *,
    actor: User,
    model: type[Any],
    data: dict,
    fields: list[str],
    m2m: tuple[str, ...] = (),
    check: Check | None = None,
    effective_on: str | None = None,
    after_save: Callable[[Any], object] | None = None,
) -> Any:
    """A new ledger record: division defaults to the actor's, scope checked, every problem
    reported at once, saved with its m2m and children (after_save), the `recorded` event."""
    record = model(**{k: data[k] for k in fields if k in data and k not in m2m})
    if "division" in fields and record.division_id is None:
        record.division = default_division(actor)
    errors: dict = {}
    if "division" in fields:
        if record.division_id is None:
            add(errors, "division", _("请选择所属区划。"))
            raise_if(errors)
        ensure_can_create(actor, record.division)
    if check is not None:
        check(record, errors, data)
    raise_if(full_clean_into(record, errors))
    record.save()
    for name in m2m:
        if name in data:
            getattr(record, name).set(data[name])
    if after_save is not None:
        after_save(record)
    events.recorded_event(
        record=record,
        actor=actor,
        effective_on=getattr(record, effective_on) if effective_on else None,
    )
    return record


def update_record(
    *,
    actor: User,
    record: Any,
    data: dict,
    fields: list[str],
    m2m: tuple[str, ...] = (),
    check: Check | None = None,
    effective_on: str | None = None,
    after_save: Callable[[Any], list[str]] | None = None,
    reason: str = "",
) -> Any:
    """Change the given fields (only those that differ); the `changed` event names them."""
    ensure_can_edit(actor, record)
    record = type(record).objects.select_for_update().get(pk=record.pk)
    errors: dict = {}
    for name in sorted(set(data) - set(fields)):
        add(errors, name, _("该项不能修改。"))
    raise_if(errors)
    changed = []
    for name in fields:
        if name in data and name not in m2m and getattr(record, name) != data[name]:
            setattr(record, name, data[name])
            changed.append(name)
    if "division" in changed:
        ensure_can_create(actor, record.division)
    m2m_changed = [
        name for name in m2m if name in data and set(getattr(record, name).all()) != set(data[name])
    ]
    if check is not None:
        check(record, errors, data)
    raise_if(full_clean_into(record, errors))
    if changed:
        record.save()
    for name in m2m_changed:
        getattr(record, name).set(data[name])
    children = after_save(record) if after_save is not None else []
    every = changed + m2m_changed + list(children or [])
    if every:
        events.changed_event(
            record=record,
            actor=actor,
            changed=every,
            reason=reason,
            effective_on=getattr(record, effective_on) if effective_on else None,
        )
    return record


def sync_children(
    *,
    parent: Model,
    model: type[Any],
    fk: str,
    rows: list[dict] | None,
    fields: list[str],
    label: str,
    can_delete: Callable[[Any], str] | None = None,
    errors_field: str,
) -> bool:
    """Make the parent's children equal `rows` (each row may carry `pk` of an existing child).

    Children not in `rows` are deleted unless `can_delete(child)` names a reason. Every bad
    row is reported under `errors_field` with its number. Returns whether anything changed.
    """
    if rows is None:
        return False
    existing = {c.pk: c for c in model.objects.filter(**{fk: parent})}
    errors: dict = {}
    kept, writes = set(), []
    for number, row in enumerate(rows, start=1):
        child = existing.get(row.get("pk")) if row.get("pk") else None
        if child is None:
            child = model(**{fk: parent})
        else:
            kept.add(child.pk)
        differs = child.pk is None
        for name in fields:
            if name in row and (child.pk is None or getattr(child, name) != row[name]):
                setattr(child, name, row[name])
                differs = True
        try:
            child.full_clean(exclude=[fk])
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    add(
                        errors,
                        errors_field,
                        _("%(label)s第%(n)d行:%(m)s") % {"label": label, "n": number, "m": message},
                    )
        if differs:
            writes.append(child)
    removed = [c for pk, c in existing.items() if pk not in kept]
    for child in removed:
        reason = can_delete(child) if can_delete is not None else ""
        if reason:
            add(errors, errors_field, reason)
    raise_if(errors)
    for child in removed:
        child.delete()
    for child in writes:
        child.save()
    return bool(writes or removed)
