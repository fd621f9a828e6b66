"""Reads of the core registry, always through the user's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ecogov.core.areas import AREAS, Counter, OverdueItem
from ecogov.core.models import Job, RegulatedEntity, StaffProfile
from ecogov.core.roles import Role, has_role
from ecogov.core.scoping import scope_for


def public_filter(
    queryset: QuerySet,
    *,
    division: str = "",
    match: Q | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    date_field: str,
    division_field: str = "division",
) -> QuerySet:
    """A portal list's filters (docs/portal.md): the records of the division with path
    `division` and those below it, those the search `match`es, and `date_field` from `since`
    to `until`."""
    if division:
        queryset = queryset.filter(**{f"{division_field}__path__startswith": division})
    if match is not None:
        queryset = queryset.filter(match)
    if since:
        queryset = queryset.filter(**{f"{date_field}__gte": since})
    if until:
        queryset = queryset.filter(**{f"{date_field}__lte": until})
    return queryset


def contains_any(search: str, *fields: str) -> Q | None:
    """The search as a match of any of `fields` (None when nothing is searched)."""
    if not search:
        return None
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": search})
    return match


def entities_for(user, *, search: str = "") -> QuerySet[RegulatedEntity]:
    queryset = RegulatedEntity.objects.visible_to(user).select_related("division")
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(credit_code__iexact=search.strip())
        )
    return queryset


def expiring_certificates(user, *, within_days: int = 30, today: dt.date | None = None):
    """Inspectors in the user's territory whose enforcement certificate lapses soon."""
    scope = scope_for(user)
    if not (scope.everything or (scope.sees_ledgers and scope.division_path)):
        return StaffProfile.objects.none()
    today = today or timezone.localdate()
    queryset = StaffProfile.objects.exclude(certificate_number="").filter(
        certificate_expiry__lte=today + dt.timedelta(days=within_days)
    )
    if not scope.everything:
        queryset = queryset.filter(organisation__division__path__startswith=scope.division_path)
    return queryset.select_related("organisation").order_by("certificate_expiry")


def certificate_overdue_items(user) -> list[OverdueItem]:
    return [
        OverdueItem(
            area="core",
            label=f"{p.full_name} 执法证到期({p.organisation})",
            due=p.certificate_expiry,
            url=reverse("admin:core_staffprofile_change", args=[p.pk]),
        )
        for p in expiring_certificates(user)
    ]


class OverdueItems(list):
    """Every area's overdue items, earliest first; `partial` names the areas that listed only
    their earliest ones (an OverdueList with its `total` and the `url` of its full list)."""

    partial: dict


def overdue_items_for(user) -> OverdueItems:
    items = OverdueItems()
    items.partial = {}
    for area in AREAS.values():
        for provider in area.overdue:
            found = provider(user)
            if getattr(found, "total", 0) > len(found):
                items.partial[area.key] = found
            items.extend(found)
    items.sort(key=lambda item: item.due)
    return items


def entity_counters(user, year: int) -> list[Counter]:
    """The registry's tiles (the registry is as of today: no count here belongs to a year)."""
    counts = RegulatedEntity.objects.visible_to(user).aggregate(
        all=Count("pk"), key=Count("pk", filter=Q(is_key_discharger=True))
    )
    url = reverse("admin:core_regulatedentity_changelist")
    return [
        Counter("排污单位", counts["all"], url),
        Counter("重点排污单位", counts["key"], url + "?is_key_discharger__exact=1"),
    ]


def jobs_visible_to(user):
    """The jobs a person may follow (back office and API): his own; the system administrator's,
    all."""
    found = Job.objects.select_related("user")
    return found if has_role(user, Role.SYSTEM_ADMIN) else found.filter(user=user)
