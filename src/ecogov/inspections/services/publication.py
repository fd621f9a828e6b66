"""Publication of draw lists and inspection results (一公开): what goes to the portal, and when.

The content is a snapshot handed to the public portal: entities by id, name and credit code;
inspectors by masked name and certificate number (officers and their certificates are public
under 行政执法公示, docs/procedures.md §4); no legal representative or phone, no recusal reasons;
free text passed through `mask_text` (ID card and mobile numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.masking import mask_name, mask_text
from ecogov.core.models import EntityCategory, StaffProfile
from ecogov.core.scoping import can_edit
from ecogov.inspections import events
from ecogov.inspections.models import (
    DrawAssignment,
    DrawCheck,
    InspectionRecord,
    Publication,
    PublicationKind,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from ecogov.inspections.models import Draw


def officers_of(user_ids: Iterable[int]) -> dict[int, dict]:
    profiles = StaffProfile.objects.filter(user_id__in=set(user_ids))
    return {
        p.user_id: {
            "id": str(p.user_id),
            "name": mask_name(p.full_name),
            "certificate_number": p.certificate_number,
        }
        for p in profiles
    }


def draw_list_content(draw: Draw) -> dict:
    """The draw as published: plan, seed and where it came from, hashes, tallies, checks."""
    checks = list(
        DrawCheck.objects.filter(draw=draw)
        .select_related("entity", "division")
        .order_by("category", "rank")
    )
    assignments = list(
        DrawAssignment.objects.filter(draw_check__draw=draw)
        .order_by("draw_check_id", "position")
        .values_list("draw_check_id", "inspector_id")
    )
    officers = officers_of(i for _c, i in assignments)
    by_check: dict[int, list[dict]] = {}
    for check_id, inspector_id in assignments:
        by_check.setdefault(check_id, []).append(
            officers.get(inspector_id, {"id": str(inspector_id)})
        )
    plan, seed = draw.plan, draw.seed
    labels = dict(EntityCategory.choices)
    content = {
        "plan": {
            "name": plan.name,
            "period": plan.period_label,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "division": plan.division.name,
            "division_code": plan.division.code,
            "inspectors_per_check": plan.inspectors_per_check,
            "allow_cross_division": plan.allow_cross_division,
            "skip_compliant_this_year": plan.skip_compliant_this_year,
            "quotas": [
                {
                    "category": q.category,
                    "label": str(labels.get(q.category, "")),
                    "share": None if q.share is None else f"{q.share.normalize():f}",
                    "count": q.count,
                }
                for q in plan.quotas.all()
            ],
        },
        "draw": {
            "number": draw.number,
            "drawn_at": timezone.localtime(draw.drawn_at).isoformat(),
            "status": draw.status,
            "algorithm": draw.algorithm_version,
            "input_hash": draw.input_hash,
            "result_hash": draw.result_hash,
            "entity_pool_size": draw.entity_pool_size,
            "inspector_pool_size": draw.inspector_pool_size,
            "skipped_compliant_count": draw.skipped_compliant_count,
            "supersedes": draw.supersedes.number if draw.supersedes is not None else None,
            "redraw_reason": mask_text(draw.redraw_reason),
        },
        "seed": {
            "value": seed.value,
            "source": seed.source,
            "source_note": seed.source_note,
            "announced_at": timezone.localtime(seed.announced_at).isoformat(),
        },
        "tallies": draw.tallies,
        "checks": [
            {
                "category": c.category,
                "category_label": str(labels.get(c.category, "")),
                "rank": c.rank,
                "entity_id": str(c.entity_id),
                "entity": c.entity.name,
                "credit_code": c.entity.credit_code,
                "division": c.division.name,
                "inspectors": by_check.get(c.pk, []),
            }
            for c in checks
        ],
    }
    return content


def result_content(record: InspectionRecord, officers: dict[int, dict] | None = None) -> dict:
    """`officers` (user id → published officer) may be preloaded with the record's inspectors
    (the demo publishes hundreds at once); otherwise they are read here."""
    ids = list(record.inspectors.values_list("pk", flat=True))
    officers = officers if officers is not None else officers_of(ids)
    officers = {i: officers[i] for i in ids if i in officers}
    return {
        "number": record.number,
        "date": record.date.isoformat(),
        "type": record.type,
        "type_label": str(record.get_type_display()),
        "entity_id": str(record.entity_id),
        "entity": record.entity.name,
        "credit_code": record.entity.credit_code,
        "division": record.division.name,
        "inspectors": sorted(officers.values(), key=lambda o: o["id"]),
        "findings": mask_text(record.findings),
        "outcome": record.outcome,
        "outcome_label": str(record.get_outcome_display()),
        "case_number": record.case_number,
    }


def content_for(publication: Publication) -> dict:
    # the check constraint ties the kind to its record: a draw list has its draw, a result
    # its inspection
    if publication.kind == PublicationKind.DRAW_LIST:
        assert publication.draw is not None
        return draw_list_content(publication.draw)
    assert publication.inspection is not None
    return result_content(publication.inspection)


def _can_show_list(publication: Publication, on: dt.date) -> bool:
    """The list is secret until the checks: after the period, or once every check is recorded."""
    if on >= publication.trigger_on:
        return True
    return not DrawCheck.objects.filter(draw=publication.draw_id, inspection__isnull=True).exists()


@transaction.atomic
def publication_publish(
    *, actor: User, publication: Publication, on: dt.date | None = None
) -> Publication:
    """Hand the content to the portal and record when; a publication is published once."""
    if not can_edit(actor, publication):
        raise PermissionDenied(_("无权公开该信息:超出您的数据范围或您只有查看权限。"))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    today = timezone.localdate()
    on = on or today
    if publication.published_on is not None:
        raise ValidationError(
            {
                "published_on": _("“%(t)s”已于 %(on)s 公开。")
                % {"t": publication.title, "on": publication.published_on}
            }
        )
    if on > today:
        raise ValidationError({"published_on": _("公开日期 %s 晚于今天。") % on})
    if publication.kind == PublicationKind.DRAW_LIST and not _can_show_list(publication, on):
        raise ValidationError(
            {
                "published_on": _(
                    "抽查名单在检查完成前保密:须到检查期结束(%s)或全部检查记录录入后才能公开。"
                )
                % publication.trigger_on
            }
        )
    if publication.kind == PublicationKind.RESULT and on < publication.trigger_on:
        raise ValidationError(
            {"published_on": _("公开日期早于检查日期 %s。") % publication.trigger_on}
        )
    publication.content = content_for(publication)
    publication.published_on, publication.published_by = on, actor
    publication.on_time = on <= publication.due_on
    publication.save(update_fields=["content", "published_on", "published_by", "on_time"])
    if publication.kind == PublicationKind.DRAW_LIST:
        events.list_published_event(publication=publication, actor=actor)
    else:
        events.result_published_event(publication=publication, actor=actor)
    return publication
