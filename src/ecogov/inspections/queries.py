"""Reads of the random-inspection area, always through the user's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.queries import public_filter

from .models import InspectionRecord, Plan, Publication

# The dashboard lists a user's earliest items; the full list is the publication screen.
OVERDUE_LIMIT = 50


def pending_publications(user) -> QuerySet[Publication]:
    """What is due to be published (抽查名单、检查结果), earliest deadline first."""
    return (
        Publication.objects.visible_to(user)
        .filter(published_on__isnull=True)
        .order_by("due_on", "pk")
    )


def inspections_for(user, *, year: int | None = None) -> QuerySet[InspectionRecord]:
    queryset = InspectionRecord.objects.visible_to(user).select_related("entity", "division")
    return queryset.filter(date__year=year) if year else queryset


def overdue_items(user) -> list[OverdueItem]:
    from ecogov.core.dashboard import OverdueList

    pending = pending_publications(user)
    rows = list(pending[:OVERDUE_LIMIT])
    return OverdueList(
        [
            OverdueItem(
                area="inspections",
                label=_("%s 待公开") % p.title,
                due=p.due_on,
                url=reverse("admin:inspections_publication_change", args=[p.pk]),
                provisional=p.due_provisional,
            )
            for p in rows
        ],
        total=pending.count() if len(rows) == OVERDUE_LIMIT else len(rows),
        url=reverse("admin:inspections_publication_changelist") + "?published_on__isnull=True",
    )


def counters(user, year: int) -> list[Counter]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    publications = reverse("admin:inspections_publication_changelist")
    plans = reverse("admin:inspections_plan_changelist")
    records = reverse("admin:inspections_inspectionrecord_changelist")
    return [  # the lists' date hierarchies take the year
        Counter(
            _("%(year)d年抽查计划") % {"year": year},
            Plan.objects.visible_to(user).filter(period_start__range=(start, end)).count(),
            plans + f"?period_start__year={year}",
        ),
        Counter(
            _("%(year)d年检查家次") % {"year": year},
            InspectionRecord.objects.visible_to(user).filter(date__range=(start, end)).count(),
            records + f"?date__year={year}",
        ),
        Counter(
            _("待公开"),
            pending_publications(user).count(),
            publications + "?published_on__isnull=True",
        ),
    ]


def latest_year(user, until: int) -> int | None:
    end = dt.date(until, 12, 31)
    found = [
        Plan.objects.visible_to(user)
        .filter(period_start__lte=end)
        .aggregate(m=Max("period_start"))["m"],
        InspectionRecord.objects.visible_to(user)
        .filter(date__lte=end)
        .aggregate(m=Max("date"))["m"],
    ]
    return max((d.year for d in found if d is not None), default=None)


# --- the public portal (docs/inspections.md, "Publication") --------------------------------
# The portal shows the published snapshots only (masked when published: inspectors by masked
# name and certificate number, findings through mask_text, never representatives, phones or
# recusal reasons). Search matches the title, the draw or record number and the entity names
# the snapshot itself names.


def public_publications(
    kind: str,
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[Publication]:
    """Published draw lists (`kind="draw_list"`) or inspection results (`"result"`), newest
    first; `division` a division path, dates the publication date."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import DrawCheck

    today = today or timezone.localdate()
    queryset = Publication.objects.filter(
        kind=kind, published_on__isnull=False, published_on__lte=today
    )
    match = None
    if search:
        match = Q(title__icontains=search)
        if kind == "draw_list":
            drawn = DrawCheck.objects.filter(
                Q(entity__name__icontains=search) | Q(entity__credit_code__iexact=search)
            ).values("draw_id")
            match |= Q(draw__number__icontains=search) | Q(draw_id__in=drawn)
        else:
            match |= (
                Q(inspection__number__icontains=search)
                | Q(inspection__entity__name__icontains=search)
                | Q(inspection__entity__credit_code__iexact=search)
            )
    queryset = public_filter(
        queryset,
        division=division,
        match=match,
        since=since,
        until=until,
        date_field="published_on",
    )
    related = ["division", "inspection__entity"] if kind == "result" else ["division"]
    return queryset.select_related(*related).order_by("-published_on", "-pk")


def _findings(publication: Publication, text: str) -> str:
    """The snapshot's findings (ID card and mobile numbers already masked), with the inspected
    entity's legal representative's name masked too wherever the inspector wrote it."""
    from ecogov.core.masking import mask_name

    entity = publication.inspection.entity if publication.inspection_id else None
    name = (entity.legal_representative or "").strip() if entity else ""
    return text.replace(name, mask_name(name)) if name else text


def public_publication_row(publication: Publication) -> dict:
    """A published snapshot as the portal shows it: only what the snapshot holds."""
    content = publication.content or {}
    row = {
        "id": publication.pk,
        "kind": publication.kind,
        "title": publication.title,
        "division": publication.division.name,
        "division_code": publication.division.code,
        "published_on": publication.published_on,
        "content": content,
    }
    if publication.kind == "draw_list":
        draw, seed, plan = content.get("draw", {}), content.get("seed", {}), content.get("plan", {})
        row.update(
            number=draw.get("number", ""),
            plan=plan.get("name", ""),
            period=plan.get("period", ""),
            drawn_at=draw.get("drawn_at", ""),
            seed=seed.get("value", ""),
            algorithm=draw.get("algorithm", ""),
            input_hash=draw.get("input_hash", ""),
            result_hash=draw.get("result_hash", ""),
            checks=len(content.get("checks", [])),
            entities="、".join(c.get("entity", "") for c in content.get("checks", [])),
        )
    else:
        row.update(
            number=content.get("number", ""),
            date=content.get("date", ""),
            entity=content.get("entity", ""),
            credit_code=content.get("credit_code", ""),
            outcome=content.get("outcome_label", ""),
            inspectors="、".join(
                f"{o.get('name', '')}({o.get('certificate_number', '')})"
                for o in content.get("inspectors", [])
            ),
            findings=_findings(publication, content.get("findings", "")),
            case_number=content.get("case_number", ""),
        )
    return row


def public_draw_documents(pk: int, *, today: dt.date | None = None) -> tuple[bytes, bytes] | None:
    """The two canonical files of a published draw list (the frozen inputs and the result,
    whose SHA-256 are the published input and result hashes; docs/draw-algorithm.md) for
    anyone to re-run the draw with the published seed; None unless the list is published."""
    from django.utils import timezone

    from .draw import result_document
    from .services import stored_result

    today = today or timezone.localdate()
    publication = (
        Publication.objects.filter(
            pk=pk, kind="draw_list", published_on__isnull=False, published_on__lte=today
        )
        .select_related("draw")
        .first()
    )
    if publication is None:
        return None
    draw = publication.draw
    return bytes(draw.input_document), result_document(stored_result(draw))
