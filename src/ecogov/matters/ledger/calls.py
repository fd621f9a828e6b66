"""A progress call's summary as .xlsx: one sheet per unit status, one with every report."""

from __future__ import annotations

import io

import openpyxl
from django.utils import timezone
from openpyxl.styles import Font

from ecogov.core import services as core_services
from ecogov.core.spreadsheet import append_row
from ecogov.matters import queries
from ecogov.matters.models import ProgressCall, ProgressReport


def export_call_summary(*, actor, call: ProgressCall) -> bytes:
    book = openpyxl.Workbook()
    units = book.active
    units.title = "报送情况"
    append_row(units, [f"{call.title}(截止 {call.due_on})"])
    units.append(["单位", "应报事项数", "已报数", "未报数", "是否报齐", "未报事项编号"])
    status = queries.call_status(call)
    for row in status:
        append_row(
            units,
            [
                row.organisation.name,
                row.expected,
                row.filed,
                row.expected - row.filed,
                "是" if row.complete else "否",
                "、".join(row.missing),
            ],
        )
    reports = book.create_sheet("进展明细")
    reports.append(
        ["事项编号", "事项名称", "报送单位", "进展情况", "完成进度(%)", "报送人", "报送时间"]
    )
    for report in (
        ProgressReport.objects.filter(call=call)
        .select_related("matter", "organisation", "reported_by__staff")
        .order_by("organisation__name", "matter__reference")
    ):
        staff = getattr(report.reported_by, "staff", None)
        append_row(
            reports,
            [
                report.matter.reference,
                report.matter.title,
                report.organisation.name,
                report.text,
                report.percent,
                staff.full_name if staff else report.reported_by.get_username(),
                timezone.localtime(report.reported_at).strftime("%Y-%m-%d %H:%M"),
            ],
        )
    for sheet, header_row in ((units, 2), (reports, 1)):
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    core_services.record_export(actor=actor, what=f"调度汇总:{call.title}", count=len(status))
    return buffer.getvalue()
