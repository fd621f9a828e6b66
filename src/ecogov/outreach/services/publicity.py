"""Publicity: items entered one by one keep their month's count; a channel's own monthly
statistic (imported or entered) is the count when there is one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ecogov.core.models import Division

from .. import events
from ..models import CountSource, PublicityCount, PublicityItem
from .common import (
    add,
    create_record,
    ensure_can_create,
    ensure_can_edit,
    full_clean_into,
    raise_if,
    update_record,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ITEM_FIELDS = ["division", "channel", "published_on", "title", "url"]
COUNT_FIELDS = ["division", "channel", "month", "count"]


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _refresh(division: Division, channel: str, month: dt.date) -> None:
    """The month's count from the items, unless the channel's own statistic holds it."""
    items = PublicityItem.objects.filter(
        division=division,
        channel=channel,
        published_on__gte=month,
        published_on__lt=_next_month(month),
    ).count()
    count = PublicityCount.objects.filter(division=division, channel=channel, month=month).first()
    if count is None:
        if items:
            PublicityCount.objects.create(
                division=division,
                channel=channel,
                month=month,
                count=items,
                source=CountSource.ITEMS,
            )
    elif count.source == CountSource.ITEMS and count.count != items:
        if items:
            count.count = items
            count.save()
        else:
            count.delete()


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_key(record: Any) -> tuple:
    return (record.division_id, record.channel, month_of(record.published_on))


@transaction.atomic
def publicity_item_publish(*, actor: User, data: dict[str, Any]) -> PublicityItem:
    item = create_record(
        actor=actor, model=PublicityItem, data=data, fields=ITEM_FIELDS, effective_on="published_on"
    )
    _refresh(item.division, item.channel, month_of(item.published_on))
    return item


@transaction.atomic
def publicity_item_update(
    *, actor: User, item: PublicityItem, data: dict[str, Any]
) -> PublicityItem:
    before = PublicityItem.objects.get(pk=item.pk)
    item = update_record(
        actor=actor, record=item, data=data, fields=ITEM_FIELDS, effective_on="published_on"
    )
    for record in {before, item} if _month_key(before) != _month_key(item) else {item}:
        _refresh(record.division, record.channel, month_of(record.published_on))
    return item


def _check_month(record: Any, errors: dict, data: dict) -> None:
    if record.month is not None:
        record.month = month_of(record.month)


@transaction.atomic
def publicity_count_set(*, actor: User, data: dict[str, Any]) -> PublicityCount:
    """A month's count from the channel's own statistics, entered by hand."""
    data = {**data, "source": CountSource.MANUAL}
    return create_record(
        actor=actor,
        model=PublicityCount,
        data=data,
        fields=COUNT_FIELDS + ["source"],
        check=_check_month,
        effective_on="month",
    )


@transaction.atomic
def publicity_count_update(
    *, actor: User, count: PublicityCount, data: dict[str, Any]
) -> PublicityCount:
    fields = ["count", "source"]
    data = {**data, "source": CountSource.MANUAL} if "count" in data else data
    return update_record(actor=actor, record=count, data=data, fields=fields, effective_on="month")


def publicity_count_check(
    *, actor: User, division: Division, channel: str, month: dt.date, count: int
) -> tuple[str, dict]:
    """What importing this row would do ("created", "updated", "unchanged"), or the errors by
    field; nothing is written (the ledger checks every row before writing any)."""
    try:
        ensure_can_create(actor, division)
    except PermissionDenied as exc:
        return "refused", {"division": [str(exc)]}
    current = PublicityCount.objects.filter(division=division, channel=channel, month=month).first()
    if current is not None and current.count == count and current.source == CountSource.IMPORT:
        return "unchanged", {}
    candidate = current or PublicityCount(division=division, channel=channel, month=month)
    candidate.count, candidate.source = count, CountSource.IMPORT
    errors = full_clean_into(candidate, {}, validate_unique=current is None)
    if current is not None:
        try:
            ensure_can_edit(actor, current)
        except PermissionDenied as exc:
            add(errors, "division", str(exc))
    return ("created" if current is None else "updated"), errors


@transaction.atomic
def publicity_count_import(
    *, actor: User, division: Division, channel: str, month: dt.date, count: int, source_name: str
) -> str:
    outcome, errors = publicity_count_check(
        actor=actor, division=division, channel=channel, month=month, count=count
    )
    raise_if(errors)
    if outcome == "unchanged":
        return outcome
    record, created = PublicityCount.objects.select_for_update().get_or_create(
        division=division,
        channel=channel,
        month=month,
        defaults={"count": count, "source": CountSource.IMPORT, "source_name": source_name},
    )
    if not created:
        record.count, record.source, record.source_name = count, CountSource.IMPORT, source_name
        record.save()
    events.imported_event(
        record=record, actor=actor, source=source_name, created=created, effective_on=month
    )
    return outcome
