"""The figures table as .xlsx (openpyxl), with fixed times so equal tables are equal bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

from ..document import Document
from .zipfix import normalise

HEADERS = ["序号", "键", "数据项", "数值", "单位", "类型", "业务领域", "统计口径", "记录数"]
WIDTHS = [6, 34, 36, 12, 8, 10, 10, 50, 10]
KIND_LABELS = {
    "count": "计数",
    "sum": "求和",
    "credit": "计分(合办按份额)",
    "ratio": "比率",
    "measured": "监测值",
}


def render_xlsx(document: Document, area_labels: dict[str, str] | None = None) -> bytes:
    area_labels = area_labels or {}
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([document.title])
    sheet.append(
        [
            f"统计期间:{document.period_label}"
            + (f"  行政区划:{document.division}" if document.division else "")
        ]
    )
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for n, row in enumerate(document.figures, start=1):
        value = row.value
        if isinstance(value, str):
            value = Decimal(value)  # exact decimal, written as a number
        sheet.append(
            [
                n,
                row.key,
                row.label,
                "暂无数据" if row.missing else value,
                row.unit,
                KIND_LABELS.get(row.kind, row.kind),
                area_labels.get(row.area, row.area),
                row.definition,
                row.record_count,
            ]
        )
    for column, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=4, min_col=8, max_col=8):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    day = dt.datetime.combine(dt.date.fromisoformat(document.dated), dt.time(0, 0))
    book.properties.created = book.properties.modified = day
    book.properties.creator = book.properties.lastModifiedBy = document.issuer or "EcoGov"
    book.properties.title = document.title
    out = io.BytesIO()
    # openpyxl's save() stamps `modified` with the current time; its writer does not
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return normalise(out.getvalue())
