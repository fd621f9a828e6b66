"""Excel ledgers (台账) for every area: column specs, all-or-nothing reading, writing.

An area's `ledger.py` declares its columns in the layout the bureau uses and calls
`read_ledger` / `write_ledger`. Reading reports every bad cell by row and column header;
the caller writes nothing unless the error list is empty.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl  # uses defusedxml when it is installed (it is a dependency)
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


class CellError(ValueError):
    """Raised by a parser with a message that says what is wrong with the cell."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any], Any] = lambda v: parse_text(v)
    render: Callable[[Any], Any] = lambda v: v
    required: bool = False
    width: int = 16


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's own row number (header is row 1)
    column: str
    message: str

    def __str__(self):
        return f"第{self.row}行“{self.column}”:{self.message}"


@dataclass
class LedgerImportError(Exception):
    errors: list[RowError] = field(default_factory=list)

    def __str__(self):
        head = f"导入失败,共 {len(self.errors)} 处错误,未写入任何数据:"
        return "\n".join([head, *map(str, self.errors[:200])])


# --- cell parsers ------------------------------------------------------------------------
def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise CellError(f"“{value}”不是数字。") from exc


def parse_bool(value: Any) -> bool:
    text = parse_text(value)
    if text in {"是", "Y", "y", "1", "TRUE", "True", "true", "√"}:
        return True
    if text in {"", "否", "N", "n", "0", "FALSE", "False", "false", "×"}:
        return False
    raise CellError(f"“{text}”应填“是”或“否”。")


def parse_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = parse_text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CellError(f"“{value}”不是日期,应为 2020-05-20 的形式。") from exc


def choice_parser(choices) -> Callable[[Any], str]:
    """Accept either the stored value or its Chinese label."""
    by_label = {str(label): value for value, label in choices}
    values = {value for value, _label in choices}

    def parse(value: Any) -> str:
        text = parse_text(value)
        if text in values:
            return text
        if text in by_label:
            return by_label[text]
        raise CellError(f"“{text}”不是可选值,可选:{'、'.join(by_label)}。")

    return parse


# --- reading and writing -----------------------------------------------------------------
def read_ledger(source, columns: Sequence[Column]) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Parse every row; return (rows, errors). Rows are (row number, {field: value})."""
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        return [], [RowError(0, "文件", f"无法读取为 Excel(.xlsx)文件:{exc.__class__.__name__}")]
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [parse_text(h) for h in next(rows_iter, ())]
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for column in columns:
        if column.header in header:
            positions[column.field] = header.index(column.header)
        elif column.required:
            errors.append(RowError(1, column.header, "缺少该列。"))
    rows: list[tuple[int, dict]] = []
    if errors:
        return rows, errors
    for number, cells in enumerate(rows_iter, start=2):
        if cells is None or all(c is None or str(c).strip() == "" for c in cells):
            continue
        parsed: dict[str, Any] = {}
        for column in columns:
            if column.field not in positions:
                continue
            index = positions[column.field]
            raw = cells[index] if index < len(cells) else None
            try:
                value = column.parse(raw)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                continue
            if column.required and value in (None, ""):
                errors.append(RowError(number, column.header, "必填,不能为空。"))
                continue
            parsed[column.field] = value
        rows.append((number, parsed))
    workbook.close()
    return rows, errors


def write_ledger(columns: Sequence[Column], records: Iterable[dict], title: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for record in records:
        sheet.append([column.render(record.get(column.field)) for column in columns])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
