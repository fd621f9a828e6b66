"""Excel ledgers (台账) for every area: column specs, all-or-nothing reading, writing.

An area's `ledger.py` declares its columns in the layout the bureau uses and calls
`read_ledger` / `write_ledger`. Reading reports every bad cell by row and column header;
the caller writes nothing unless the error list is empty. `read_ledger` sits on `iter_rows`,
the project's one .xlsx reader (fast and safe, below); a reader that wants plain rows (the
air-quality hourly files) calls `iter_rows` itself. Writing uses openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from lxml import etree
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)


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
    unreadable: bool = field(default=False, compare=False)  # a cell that could not be read

    def __str__(self) -> str:
        if not self.row:  # the file as a whole: not readable, too large
            return self.message
        return f"第{self.row}行“{self.column}”:{self.message}"


@dataclass
class LedgerImportError(Exception):
    """Every error of a refused import, by row and column.

    A row with a cell that could not be read (empty where required, not a number, not a date)
    reports those cells only: the record checks that follow would repeat them in other words
    ("此字段不能为空") or report their knock-on effects ("环保投资不能大于总投资(0 万元)" when the
    total was `abc`). Each cell is reported once.
    """

    errors: list[RowError] = field(default_factory=list)

    def __post_init__(self) -> None:
        unreadable_rows = {e.row for e in self.errors if e.unreadable}
        kept, seen = [], set()
        for error in self.errors:
            if error.row in unreadable_rows and not error.unreadable:
                continue
            if (error.row, error.column) in seen:
                continue
            seen.add((error.row, error.column))
            kept.append(error)
        self.errors = kept

    def __str__(self) -> str:
        head = f"导入失败,共 {len(self.errors)} 处错误,未写入任何数据:"
        return "\n".join([head, *map(str, self.errors[:200])])


# --- cell parsers ------------------------------------------------------------------------
def parse_credit_code(value: Any) -> str:
    """A unified social credit code (GB 32100), its format checked where it is read: a typo is
    named by its position, not reported later as "not in the registry"."""
    from ecogov.core.creditcode import CreditCodeError, validate

    text = parse_text(value)
    if not text:
        return ""
    try:
        return validate(text)
    except CreditCodeError as exc:
        raise CellError(str(exc)) from exc


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


def choice_parser(choices: Iterable[tuple[str, str]]) -> Callable[[Any], str]:
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


# --- reading: one fast, safe .xlsx reader for every area's import ---------------------------
# openpyxl's read-only mode behind defusedxml walks every XML element in Python (about 0.5 ms
# a row: 25 s for a 50,000-row ledger, docs/decisions/0003). `iter_rows` reads the first sheet
# with lxml's C parser instead, with entities, DTDs and network access off (what defusedxml
# guards against), and gives the cell values openpyxl's `load_workbook(data_only=True)` gives:
# shared and inline strings, numbers (int or float as written), booleans, errors as their
# text, a formula's cached value, dates and times for cells with a date number format, and
# also dates for the Chinese-locale built-in date formats (ids 27–36, 50–58) that openpyxl
# leaves as numbers. openpyxl's own helpers do the date and format arithmetic.
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ROW, _C, _V, _IS, _T, _SI = (f"{_MAIN}{tag}" for tag in ("row", "c", "v", "is", "t", "si"))
_RPH = f"{_MAIN}rPh"
_CJK_DATE_IDS = frozenset(range(27, 37)) | frozenset(range(50, 59))
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ$"
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    AttributeError,
    etree.LxmlError,
)


# What a file that cannot be read is told, by what went wrong (a foreign file is usually a .xls,
# .csv or .et saved under another name, or a workbook with an opening password).
_REASONS = (
    (zipfile.BadZipFile, "不是 .xlsx 格式的文件,或文件已损坏"),
    (zlib.error, "压缩数据已损坏"),
    (EOFError, "文件不完整"),
    (KeyError, "缺少工作表等必要部分,不是 Excel 或 WPS 保存的 .xlsx 文件"),
    (etree.LxmlError, "表格内容有误,无法解析"),
)
_RESAVE = "请用 Excel 或 WPS 打开后另存为“Excel 工作簿(.xlsx)”再导入"


class WorkbookError(ValueError):
    """The file is not an .xlsx workbook this reader can read (or it is damaged); `reason`
    says so in Chinese."""

    def __init__(self, cause: BaseException) -> None:
        reason = next((text for kind, text in _REASONS if isinstance(cause, kind)), "文件结构有误")
        super().__init__(reason)
        self.reason = reason
        self.cause = cause.__class__.__name__


class WorkbookTooLarge(WorkbookError):
    """The file is over an import limit (uncompressed size, rows); refused before or while
    reading, without parsing the rest."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.reason = message
        self.cause = "limit"


@dataclass(frozen=True)
class Limits:
    """How much an import reads at the most (docs/security.md, "导入限制"): the workbook's parts
    uncompressed, and a ledger's rows (the header included; None: no limit)."""

    max_bytes: int
    max_rows: int | None = None


DEFAULT_MAX_UNCOMPRESSED_MB = 300  # as in settings/base.py
DEFAULT_MAX_ROWS = 100_000


def import_limits(*, rows: bool = True) -> Limits:
    """The limits of the settings ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB and ECOGOV_IMPORT_MAX_ROWS
    (the defaults when Django is not configured: the air-quality command line)."""
    megabytes, max_rows = DEFAULT_MAX_UNCOMPRESSED_MB, DEFAULT_MAX_ROWS
    try:
        from django.conf import settings

        if settings.configured:
            megabytes = getattr(settings, "ECOGOV_IMPORT_MAX_UNCOMPRESSED_MB", megabytes)
            max_rows = getattr(settings, "ECOGOV_IMPORT_MAX_ROWS", max_rows)
    except ImportError:  # pragma: no cover - Django is always installed with the project
        pass
    return Limits(max_bytes=int(megabytes * 1024 * 1024), max_rows=max_rows if rows else None)


def _check_size(archive: zipfile.ZipFile, limits: Limits) -> None:
    """The uncompressed size as the zip directory declares it: zipfile never reads a member past
    its declared size (a member that holds more fails its CRC check), so this bounds the work."""
    size = sum(info.file_size for info in archive.infolist())
    if size > limits.max_bytes:
        raise WorkbookTooLarge(
            f"文件解压后为 {size / 1048576:.0f} MB,超过导入上限 "
            f"{limits.max_bytes / 1048576:.0f} MB,未读取。请拆分为几个文件分别导入。"
        )


def _too_many_rows(limits: Limits, declared: int | None = None) -> WorkbookTooLarge:
    found = f"表格有 {declared} 行" if declared else f"表格超过 {limits.max_rows} 行"
    return WorkbookTooLarge(
        f"{found},超过导入上限 {limits.max_rows} 行(含表头),未导入。"
        "请拆分为几个文件分别导入;如有大量空白行,请先删除。"
    )


def _declared_rows(archive: zipfile.ZipFile, sheet: str) -> int | None:
    """The last row of the sheet's <dimension ref="A1:M200001"> (written before the rows by
    Excel, WPS and openpyxl), read without parsing the rows; None when there is none."""
    with archive.open(sheet) as handle:
        for _event, element in etree.iterparse(handle, events=("start",), **_parser_options()):
            if element.tag == f"{_MAIN}dimension":
                last = element.get("ref", "").rpartition(":")[2].lstrip(_LETTERS)
                return int(last) if last.isdigit() else None
            if element.tag == f"{_MAIN}sheetData":
                return None
    return None


def rows_over(source: Any, count: int) -> bool:
    """The workbook has more than `count` rows (header included): its declared dimension, or
    where it has none its rows counted up to `count + 1`. A file that cannot be read says
    False (the import itself then names the problem). The file is rewound."""
    try:
        with zipfile.ZipFile(source) as archive:
            sheet = _parts(archive)[0]
            declared = _declared_rows(archive, sheet)
            if declared is not None:
                return declared > count
            seen = 0
            with archive.open(sheet) as handle:
                for _event, row in etree.iterparse(handle, tag=_ROW, **_parser_options()):
                    row.clear()
                    seen += 1
                    if seen > count:
                        return True
            return False
    except Exception:  # not a workbook: the import's own reading reports it
        return False
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _parser_options() -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    with archive.open(name) as handle:
        return etree.parse(handle, etree.XMLParser(**_parser_options())).getroot()


def _relations(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: {id: (type's last word, target part name)}."""
    folder, name = posixpath.split(part)
    rels = _xml(archive, posixpath.join(folder, "_rels", f"{name}.rels"))
    found = {}
    for rel in rels.iter(_PKG_REL):
        target = rel.get("Target", "")
        target = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return found


def _parts(archive: zipfile.ZipFile) -> tuple[str, str | None, str | None, bool]:
    """The first sheet's part, the shared strings' and the styles' parts (None if there are
    none), and whether the workbook counts dates from 1904."""
    workbook = next(
        (target for kind, target in _relations(archive, "").values() if kind == "officeDocument"),
        "xl/workbook.xml",
    )
    book = _xml(archive, workbook)
    properties = book.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    relations = _relations(archive, workbook)
    sheet = relations[book.find(f"{_MAIN}sheets/{_MAIN}sheet").get(_REL)][1]
    names = set(archive.namelist())
    others = {kind: target for kind, target in relations.values() if target in names}
    return sheet, others.get("sharedStrings"), others.get("styles"), date1904


def _text(element: Any) -> str:
    """A string item's text (<t> and rich-text runs) without its phonetic runs (<rPh>), as
    openpyxl's Text.content."""
    if len(element) == 1 and element[0].tag == _T:  # plain text: the usual case, made fast
        return element[0].text or ""
    return "".join(t.text or "" for t in element.iter(_T) if t.getparent().tag != _RPH)


def _shared_strings(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    if part is None:
        return []
    strings = []
    with archive.open(part) as handle:
        for _event, item in etree.iterparse(handle, tag=_SI, **_parser_options()):
            strings.append(_text(item).replace("x005F_", ""))  # as openpyxl does
            item.clear()
    return strings


def _number_styles(archive: zipfile.ZipFile, part: str | None) -> tuple[set[int], set[int]]:
    """Indexes of the cell styles whose number format shows a date / a duration."""
    if part is None:
        return set(), set()
    styles = _xml(archive, part)
    custom = {
        int(f.get("numFmtId")): f.get("formatCode", "") for f in styles.iter(f"{_MAIN}numFmt")
    }
    dates, durations = set(), set()
    xfs = styles.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else ()):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
        if number_format in _CJK_DATE_IDS or is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return dates, durations


def iter_rows(source: Any, limits: Limits | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number, cell values) for each row of the first sheet that has cells.

    `source` is a path or a binary file object (an upload). Values run from column A to the
    row's last cell, None where a cell is empty. Raises WorkbookError for a file that is not
    an .xlsx workbook or is damaged, when opened or part-way through, and WorkbookTooLarge for
    one over `limits` (by default the settings' uncompressed size, no row limit): the size and
    the declared rows are checked before any row is parsed, the rows also while reading.
    """
    try:
        yield from _rows(source, limits or import_limits(rows=False))
    except WorkbookError:
        raise
    except _UNREADABLE as exc:
        raise WorkbookError(exc) from exc


def _rows(source: Any, limits: Limits) -> Iterator[tuple[int, tuple]]:
    with zipfile.ZipFile(source) as archive:
        _check_size(archive, limits)
        sheet, shared_part, styles_part, date1904 = _parts(archive)
        if limits.max_rows is not None:
            declared = _declared_rows(archive, sheet)
            if declared is not None and declared > limits.max_rows:
                raise _too_many_rows(limits, declared)
        shared = _shared_strings(archive, shared_part)
        dates, durations = _number_styles(archive, styles_part)
        epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        number = count = 0
        with archive.open(sheet) as handle:
            for _event, row in etree.iterparse(handle, tag=_ROW, **_parser_options()):
                number = int(row.get("r") or number + 1)
                count += 1
                if limits.max_rows is not None and max(number, count) > limits.max_rows:
                    raise _too_many_rows(limits)
                values: dict[int, Any] = {}
                column = -1
                for cell in row.iterchildren(_C):
                    ref = cell.get("r")
                    column = (
                        column_index_from_string(ref.rstrip("0123456789")) - 1
                        if ref
                        else column + 1
                    )
                    values[column] = _value(cell, shared, dates, durations, epoch)
                row.clear()
                while row.getprevious() is not None:  # keep memory flat on a long sheet
                    del row.getparent()[0]
                if values:
                    yield number, tuple(values.get(i) for i in range(max(values) + 1))


def _value(
    cell: Any, shared: list[str], dates: set[int], durations: set[int], epoch: dt.datetime
) -> Any:
    kind = cell.get("t", "n")
    raw = inline = None
    for child in cell:  # <f>, <v>, <is>: a loop is 4x faster than findtext here
        if child.tag == _V:
            raw = child.text
        elif child.tag == _IS:
            inline = child
    if kind == "inlineStr":
        return None if inline is None else _text(inline)
    if not raw:
        return None
    if kind == "s":
        return shared[int(raw)]
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return bool(int(raw))
    if kind == "d":
        return from_ISO8601(raw)
    number = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
    style = int(cell.get("s") or 0)
    if style in dates:
        try:
            return from_excel(number, epoch, timedelta=style in durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # a date serial out of range: openpyxl reads it as this error
    return number


def read_ledger(
    source: Any, columns: Sequence[Column]
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Parse every row; return (rows, errors). Rows are (row number, {field: value}).

    The header is the first row with a value; blank rows are skipped. The caller writes
    nothing unless `errors` is empty. When the file cannot be read (not a workbook, damaged,
    over the import limits, a required column missing) there are no rows and the errors say
    why (row 0, column "文件", for the file as a whole).
    """
    rows_iter = iter_rows(source, import_limits())
    try:
        header_row, header_cells = next(
            ((n, cells) for n, cells in rows_iter if not _blank(cells)), (1, ())
        )
    except WorkbookError as exc:
        return [], [_file_error(exc, "文件无法读取为 Excel(.xlsx)文件")]
    header = [parse_text(h) for h in header_cells]
    errors: list[RowError] = []
    positions: dict[str, int] = {}
    for column in columns:
        if column.header in header:
            positions[column.field] = header.index(column.header)
        elif column.required:
            errors.append(RowError(header_row, column.header, "缺少该列。"))
    if errors:
        return [], errors
    rows: list[tuple[int, dict]] = []
    try:
        for number, cells in rows_iter:
            if _blank(cells):
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
                    errors.append(RowError(number, column.header, str(exc), unreadable=True))
                    continue
                if column.required and value in (None, ""):
                    errors.append(
                        RowError(number, column.header, "必填,不能为空。", unreadable=True)
                    )
                    continue
                parsed[column.field] = value
            rows.append((number, parsed))
    except WorkbookError as exc:
        return [], [*errors, _file_error(exc, "文件内容已损坏")]
    return rows, errors


def _file_error(exc: WorkbookError, what: str) -> RowError:
    if isinstance(exc, WorkbookTooLarge):
        return RowError(0, "文件", exc.reason)
    return RowError(0, "文件", f"{what}:{exc.reason}。{_RESAVE}。")


def _blank(cells: tuple) -> bool:
    return all(c is None or str(c).strip() == "" for c in cells)


# --- writing -----------------------------------------------------------------------------
def append_row(sheet: Any, values: Iterable) -> None:
    """Append a row where every text is text: openpyxl writes a string that starts with "="
    as a live formula (a case title `=HYPERLINK("http://x","点我")` would become a link); the
    cell is stored as a string instead, whatever it starts with. Every export writes through
    this (issue 10)."""
    row = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str) and cell.data_type == "f":
            cell.data_type = "s"
        row.append(cell)
    sheet.append(row)


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
        append_row(sheet, [column.render(record.get(column.field)) for column in columns])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
