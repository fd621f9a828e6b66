"""The inspection ledger (执法检查台账) in Excel: the bureau's columns, export of a scoped list."""

from __future__ import annotations

from ecogov.core import services as core_services
from ecogov.core.spreadsheet import Column, write_ledger

from .models import InspectionRecord

INSPECTION_COLUMNS = [
    Column("检查记录编号", "number", width=20),
    Column("检查日期", "date", width=12),
    Column("排污单位", "entity", width=36),
    Column("统一社会信用代码", "credit_code", width=22),
    Column("行政区划", "division", width=14),
    Column("检查类型", "type", width=26),
    Column("抽查计划", "plan", width=36),
    Column("执法人员", "inspectors", width=24),
    Column("检查情况", "findings", width=40),
    Column("检查结论", "outcome", width=20),
    Column("立案编号", "case_number", width=20),
    Column("附件数", "attachments", width=8),
]


def export_inspections(*, actor, queryset) -> bytes:
    """The records the actor may see, as .xlsx; the export is logged in the audit trail.

    Inspectors are officers acting in office (their names are public under 行政执法公示),
    so they are not masked here; the file is an internal ledger.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from ecogov.core.models import Attachment

    rows = list(
        queryset.visible_to(actor)
        .select_related("entity", "division", "draw_check__draw__plan")
        .prefetch_related("inspectors__staff")
        .order_by("date", "number")
    )
    kind = ContentType.objects.get_for_model(InspectionRecord)
    files = dict(
        Attachment.objects.filter(content_type=kind, object_id__in=[r.pk for r in rows])
        .values_list("object_id")
        .annotate(n=Count("pk"))
    )
    records = [
        {
            "number": r.number,
            "date": r.date,
            "entity": r.entity.name,
            "credit_code": r.entity.credit_code,
            "division": r.division.name,
            "type": r.get_type_display(),
            "plan": r.draw_check.draw.plan.name if r.draw_check_id else "",
            "inspectors": "、".join(
                getattr(getattr(u, "staff", None), "full_name", "") or u.username
                for u in r.inspectors.all()
            ),
            "findings": r.findings,
            "outcome": r.get_outcome_display(),
            "case_number": r.case_number,
            "attachments": files.get(r.pk, 0),
        }
        for r in rows
    ]
    core_services.record_export(actor=actor, what="执法检查记录", count=len(records))
    return write_ledger(INSPECTION_COLUMNS, records, "执法检查记录")
