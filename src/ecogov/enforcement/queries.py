"""Reads of the penalty cases, always through the user's scope: due and overdue steps per
person and per unit, disclosures due, dashboard counters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.fields import personal_search
from ecogov.core.queries import contains_any, public_filter
from ecogov.core.roles import Role, has_role
from ecogov.enforcement.models import CaseDisclosure, EnforcementPolicy, PenaltyCase
from ecogov.enforcement.workflow import TERMINAL


def cases_for(user, *, search: str = "") -> QuerySet[PenaltyCase]:
    queryset = PenaltyCase.objects.visible_to(user).select_related("division", "organisation")
    if search:
        # the party is encrypted: its whole name, ID or phone through the blind indexes; an
        # organisation also by part of its registered name
        queryset = queryset.filter(
            Q(number__icontains=search)
            | Q(entity__name__icontains=search)
            | personal_search(PenaltyCase, user, search)
        )
    return queryset


def _due(queryset, *, within_days: int | None, today: dt.date | None):
    today = today or timezone.localdate()
    if within_days is None:
        within_days = EnforcementPolicy.current().due_soon_days
    until = today + dt.timedelta(days=within_days)
    return (
        queryset.exclude(state__in=TERMINAL)
        .filter(step_due__isnull=False, step_due__lte=until)
        .order_by("step_due", "pk")
    )


def due_steps_for_person(
    user, *, within_days: int | None = None, today: dt.date | None = None
) -> QuerySet[PenaltyCase]:
    """Steps that are this person's to take: his own (the reviewer's review) or, where the
    step has no named owner, those of the cases he is an officer of."""
    mine = Q(step_owner=user) | Q(step_owner__isnull=True, officers=user)
    return _due(
        PenaltyCase.objects.visible_to(user).filter(mine).distinct(),
        within_days=within_days,
        today=today,
    )


def due_steps_for_unit(
    user, organisation, *, within_days: int | None = None, today: dt.date | None = None
) -> QuerySet[PenaltyCase]:
    """Steps of the cases a unit handles (or, for the legal section, reviews)."""
    ours = Q(organisation=organisation) | Q(step_owner__staff__organisation=organisation)
    return _due(
        PenaltyCase.objects.visible_to(user).filter(ours).distinct(),
        within_days=within_days,
        today=today,
    )


def _item(case) -> OverdueItem:
    return OverdueItem(
        area="enforcement",
        label=f"{case.number or case.party_name} {case.step_label}",
        due=case.step_due,
        provisional=case.step_due_provisional,
        url=reverse("admin:enforcement_penaltycase_change", args=[case.pk]),
    )


def overdue_items(user) -> list[OverdueItem]:
    """The dashboard's list: the user's own due steps, and for a leader every overdue step in
    his scope (the unit view is the admin list's "期限" filter)."""
    cases = {c.pk: c for c in due_steps_for_person(user)}
    if has_role(user, Role.LEADER):
        for case in _due(PenaltyCase.objects.visible_to(user), within_days=-1, today=None):
            cases.setdefault(case.pk, case)
    items = [_item(c) for c in sorted(cases.values(), key=lambda c: (c.step_due, c.pk))]
    return items + measures_due(user)


def disclosures_due(user, *, today: dt.date | None = None) -> QuerySet[CaseDisclosure]:
    """Decisions to be published: not yet out and not withdrawn, earliest due first."""
    return (
        CaseDisclosure.objects.visible_to(user)
        .filter(published_on__isnull=True, withdrawn_on__isnull=True)
        .select_related("case")
        .order_by("due_on", "pk")
    )


def withdrawn_disclosure_notices() -> QuerySet[CaseDisclosure]:
    """The notices of withdrawn decisions (行政处罚法第四十八条: the reason made public): show
    `case.number`, `withdrawn_on` and `withdrawal_notice`, never the withdrawn `content`."""
    return (
        CaseDisclosure.objects.filter(published_on__isnull=False, withdrawn_on__isnull=False)
        .select_related("case")
        .order_by("-withdrawn_on", "-pk")
    )


def measures_due(user, *, today: dt.date | None = None, within_days: int | None = None) -> list:
    """Coercive measures' own deadlines: seizures and restrictions ending (release or extend),
    a seizure taken on the spot awaiting its approval (24 hours), covert re-inspections of a daily penalty; the user's own cases (a leader: all in scope)."""
    from ecogov.enforcement.models import CoerciveMeasure, DailyPenalty

    today = today or timezone.localdate()
    if within_days is None:
        within_days = EnforcementPolicy.current().due_soon_days
    until = today + dt.timedelta(days=within_days)
    url = "admin:enforcement_penaltycase_change"
    mine = Q() if has_role(user, Role.LEADER) else Q(case__officers=user)
    items = [
        OverdueItem(
            area="enforcement",
            label=f"{m.case.number} {m.get_kind_display()}期限届满(解除或延长)",
            due=m.ends_on,
            provisional=m.ends_provisional,
            url=reverse(url, args=[m.case_id]),
        )
        for m in CoerciveMeasure.objects.visible_to(user)
        .filter(mine, released_on__isnull=True, ends_on__lte=until)
        .select_related("case")
        .distinct()
    ]
    items += [
        OverdueItem(
            area="enforcement",
            label=f"{m.case.number} 当场查封扣押补办批准(24小时内)",
            due=m.approval_due,
            provisional=False,
            url=reverse(url, args=[m.case_id]),
        )
        for m in CoerciveMeasure.objects.visible_to(user)
        .filter(
            mine,
            emergency=True,
            approved_on__isnull=True,
            released_on__isnull=True,
            approval_due__lte=until,
        )
        .select_related("case")
        .distinct()
    ]
    items += [
        OverdueItem(
            area="enforcement",
            label=f"{d.case.number} 按日连续处罚复查",
            due=d.reinspection_due,
            provisional=d.reinspection_provisional,
            url=reverse(url, args=[d.case_id]),
        )
        for d in DailyPenalty.objects.visible_to(user)
        .filter(mine, reinspected_on__isnull=True, reinspection_due__lte=until)
        .select_related("case")
        .distinct()
    ]
    return items


def counters(user, year: int) -> list[Counter]:
    today = timezone.localdate()
    running = ~Q(state__in=TERMINAL)
    counts = PenaltyCase.objects.visible_to(user).aggregate(  # one query for the case tiles
        running=Count("pk", filter=running),
        overdue=Count("pk", filter=running & Q(step_due__lt=today)),
        opened=Count("pk", filter=Q(opened_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))),
    )
    url = reverse("admin:enforcement_penaltycase_changelist")
    return [
        Counter("在办案件", counts["running"], url + "?status=running"),
        Counter("期限已过的步骤", counts["overdue"], url + "?due=overdue"),
        Counter(_("%(year)d年立案") % {"year": year}, counts["opened"]),
        Counter(
            "待公开的处罚决定",
            disclosures_due(user).count(),
            reverse("admin:enforcement_casedisclosure_changelist") + "?published=no",
        ),
    ]


def enforcement_staff(user, *, division=None, certified_on: dt.date | None = None):
    """The people a case's forms offer (officers, hearing chair, legal reviewer): active staff
    whose territory covers the case's division (or the user's, for a new case), never the three
    administrators; with `certified_on`, only those whose enforcement certificate is valid that
    day (行政处罚法第四十二条)."""
    from django.contrib.auth.models import User

    from ecogov.core.roles import ADMIN_ROLES
    from ecogov.core.scoping import scope_for

    people = (
        User.objects.filter(is_active=True, staff__isnull=False)
        .exclude(groups__name__in=ADMIN_ROLES)
        .select_related("staff__organisation")
    )
    scope = scope_for(user)
    path = division.path if division is not None else scope.division_path
    if path is not None:
        # the territory's own staff and those above it (the city's detachment works in every
        # county); ancestors-or-self by their path prefixes
        parts = path.strip("/").split("/")
        above = ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
        people = people.filter(
            Q(staff__division__path__in=above) | Q(staff__division__path__startswith=path)
        )
    elif not scope.everything:
        people = people.none()
    if certified_on is not None:
        people = people.exclude(staff__certificate_number="").filter(
            staff__certificate_expiry__gte=certified_on
        )
    return people.order_by("staff__full_name").distinct()


def latest_year(user, until: int) -> int | None:
    last = (
        PenaltyCase.objects.visible_to(user)
        .filter(opened_on__lte=dt.date(until, 12, 31))
        .aggregate(m=Max("opened_on"))["m"]
    )
    return last.year if last else None


def review_items(user) -> list:
    """Cases waiting for the legal section's 法制审核, for its one work list
    (ecogov.core.reviews): the case number and cause, not the party (lists are read widely)."""
    from ecogov.core.reviews import ReviewItem

    return [
        ReviewItem(
            area="enforcement",
            label=f"{case.number} {case.title}",
            kind="重大执法决定法制审核",
            due=case.review_due,
            provisional=case.step_due_provisional,
            submitted_on=case.review_submitted_on,
            url=reverse("admin:enforcement_penaltycase_change", args=[case.pk]),
        )
        for case in cases_in_review(user).order_by("review_due", "pk")
    ]


def cases_in_review(user):
    from ecogov.enforcement.workflow import CaseState

    return PenaltyCase.objects.visible_to(user).filter(state=CaseState.LEGAL_REVIEW)


def review_count(user) -> int:
    return cases_in_review(user).count()


# --- the public portal (docs/enforcement.md, "Disclosure") ---------------------------------
# What the public sees of penalty decisions: the published notices (行政执法公示), already
# masked when published (services.execution.disclosure_text), never the case itself. A notice
# stays public for PUBLIC_YEARS after its publication, and leaves the portal when withdrawn
# (a decision revoked, changed or found unlawful is taken down, docs/procedures.md §4): the
# one condition below decides both, for the list, the notice page, the downloads and the feed.
PUBLIC_YEARS_SETTING = "ECOGOV_PORTAL_PENALTY_YEARS"
PUBLIC_YEARS_DEFAULT = 3


def _public_disclosure_q(today: dt.date) -> Q:
    from django.conf import settings

    from ecogov.core.dates import add_years

    years = getattr(settings, PUBLIC_YEARS_SETTING, PUBLIC_YEARS_DEFAULT)
    return Q(
        published_on__isnull=False,
        published_on__lte=today,
        published_on__gt=add_years(today, -years),
        withdrawn_on__isnull=True,
    )


def public_disclosures(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[CaseDisclosure]:
    """Published, not withdrawn penalty-decision notices within their public period, newest
    first; `division` is a division path (its own and those below), `search` matches only the
    public text (title, masked content, decision number), dates the publication date."""
    today = today or timezone.localdate()
    queryset = CaseDisclosure.objects.filter(_public_disclosure_q(today))
    queryset = public_filter(
        queryset,
        division=division,
        division_field="case__division",
        match=contains_any(search, "title", "content", "case__number"),
        since=since,
        until=until,
        date_field="published_on",
    )
    return queryset.select_related("case__division").order_by("-published_on", "-pk")


def public_disclosure_row(disclosure: CaseDisclosure) -> dict:
    """The public fields of a notice: only what `disclosure_text` published, and where/when."""
    case = disclosure.case
    return {
        "id": disclosure.pk,
        "title": disclosure.title,
        "number": case.number,
        "division": case.division.name,
        "division_code": case.division.code,
        "decided_on": case.decided_on,
        "published_on": disclosure.published_on,
        "content": disclosure.content,
    }


def public_disclosure(pk: int, *, today: dt.date | None = None) -> dict | None:
    """One notice for its public page: the row while public; `{"withdrawn": …}` (the number and
    the day, no content) once withdrawn; None if it was never public or its period is over."""
    today = today or timezone.localdate()
    disclosure = (
        CaseDisclosure.objects.filter(pk=pk, published_on__isnull=False, published_on__lte=today)
        .select_related("case__division")
        .first()
    )
    if disclosure is None:
        return None
    if disclosure.withdrawn_on is not None:
        return {
            "id": disclosure.pk,
            "number": disclosure.case.number,
            "withdrawn": disclosure.withdrawn_on,
            "notice": disclosure.withdrawal_notice,
        }
    if not CaseDisclosure.objects.filter(_public_disclosure_q(today), pk=pk).exists():
        return None
    return public_disclosure_row(disclosure)


def public_withdrawals(*, today: dt.date | None = None, limit: int = 20) -> list[dict]:
    """The notices taken down within the public period (newest first), for the portal's notice
    that they were withdrawn: the decision number and the day, nothing of the content."""
    from django.conf import settings

    from ecogov.core.dates import add_years

    today = today or timezone.localdate()
    years = getattr(settings, PUBLIC_YEARS_SETTING, PUBLIC_YEARS_DEFAULT)
    rows = (
        CaseDisclosure.objects.filter(
            published_on__isnull=False,
            withdrawn_on__isnull=False,
            withdrawn_on__lte=today,
            published_on__gt=add_years(today, -years),
        )
        .order_by("-withdrawn_on", "-pk")
        .values("pk", "case__number", "withdrawn_on", "withdrawal_notice")[:limit]
    )
    return [
        {
            "id": r["pk"],
            "number": r["case__number"],
            "withdrawn": r["withdrawn_on"],
            "notice": r["withdrawal_notice"],  # the reason made public (§11), never the content
        }
        for r in rows
    ]
