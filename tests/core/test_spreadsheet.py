"""The one .xlsx reader (ecogov.core.spreadsheet.iter_rows / read_ledger) against openpyxl.

openpyxl writes the files; the reader must give, cell for cell, what openpyxl's own
load_workbook(data_only=True) gives for the same bytes. openpyxl writes every string inline
and formulas without a cached value, so `_as_excel_saves` rewrites the saved file the way
Excel and WPS save it: strings in the shared-string table (one with a phonetic run, which is
not part of the text) and each formula with its cached result.
"""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from ecogov.core.spreadsheet import (
    Column,
    WorkbookError,
    iter_rows,
    parse_date,
    parse_decimal,
    read_ledger,
    rows_over,
)

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
CACHED = {"E2": ("n", "6"), "E3": ("str", "xA-1"), "E5": ("e", "#DIV/0!")}


def _sheet():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "日期", "数量", "文本", "公式"])
    sheet.append(["A-1", dt.date(2024, 5, 20), 3, "  甲  ", "=C2*2"])
    sheet.append(
        [
            None,
            dt.datetime(2024, 5, 20, 13, 30),
            2.5,
            CellRichText("富", TextBlock(InlineFont(b=True), "文本")),
            '="x"&A2',
        ]
    )
    sheet.append([])  # a blank row
    sheet.append(["A-4", dt.time(8, 15), -1e-05, True, "=1/0"])
    sheet.merge_cells("A6:C6")
    sheet["A6"] = "合并单元格"
    sheet["D7"] = dt.timedelta(hours=30)
    sheet["A8"], sheet["B8"], sheet["C8"] = "大数", 12345678901234, 1e20
    sheet["C9"] = "0013"  # text that looks like a number stays text
    return book


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite(content: bytes, parts: dict[str, str]) -> bytes:
    """The workbook with some parts replaced or added."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, parts[name] if name in parts else source.read(name))
        for name in parts.keys() - set(source.namelist()):
            target.writestr(name, parts[name])
    return out.getvalue()


def _part(content: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read(name).decode()


def _as_excel_saves(content: bytes) -> bytes:
    """The same workbook with shared strings and cached formula results."""
    sheet = _part(content, "xl/worksheets/sheet1.xml")
    strings: list[str] = []

    def share(match):
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is>(.*?)</is></c>', share, sheet)
    for ref, (kind, value) in CACHED.items():
        sheet = re.sub(
            rf'<c r="{ref}"><f>(.*?)</f><v></v></c>',
            rf'<c r="{ref}" t="{kind}"><f>\1</f><v>{value}</v></c>',
            sheet,
        )
    phonetic = '<t>北京</t><rPh sb="0" eb="2"><t>ベイジン</t></rPh>'
    strings.append(phonetic)
    sheet = sheet.replace(
        "</sheetData>",
        f'<row r="10"><c r="A10" t="s"><v>{len(strings) - 1}</v></c></row></sheetData>',
    )
    table = (
        f'<sst {NS} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si>{s}</si>" for s in strings)
        + "</sst>"
    )
    types = _part(content, "[Content_Types].xml").replace(
        "</Types>",
        (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
    )
    rels = _part(content, "xl/_rels/workbook.xml.rels").replace(
        "</Relationships>",
        (
            '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
    )
    return _rewrite(
        content,
        {
            "xl/worksheets/sheet1.xml": sheet,
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": table,
        },
    )


def _openpyxl_cells(content: bytes) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=True).active
    return {
        (cell.row, cell.column): cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _reader_cells(content: bytes) -> dict:
    return {
        (number, column): value
        for number, values in iter_rows(io.BytesIO(content))
        for column, value in enumerate(values, start=1)
        if value is not None
    }


@pytest.mark.parametrize("excel", [False, True], ids=["as-openpyxl-writes", "as-excel-saves"])
def test_the_reader_gives_what_openpyxl_reads(excel):
    content = _save(_sheet())
    if excel:
        content = _as_excel_saves(content)
        sheet = _part(content, "xl/worksheets/sheet1.xml")
        assert 't="s"' in sheet and "<v>6</v>" in sheet and "inlineStr" not in sheet
    ours = _reader_cells(content)
    assert ours == _openpyxl_cells(content)
    assert ours[(2, 2)] == dt.datetime(2024, 5, 20) and ours[(5, 2)] == dt.time(8, 15)
    assert ours[(2, 4)] == "  甲  " and ours[(3, 4)] == "富文本"
    assert ours[(7, 4)] == dt.timedelta(hours=30) and ours[(8, 2)] == 12345678901234
    assert ours[(9, 3)] == "0013" and (4, 1) not in ours and (6, 2) not in ours
    if excel:
        assert ours[(2, 5)] == 6 and ours[(3, 5)] == "xA-1" and ours[(5, 5)] == "#DIV/0!"
        assert ours[(10, 1)] == "北京"  # the phonetic run is not text


def test_rows_are_numbered_as_in_the_sheet_and_blank_rows_left_out():
    numbers = [number for number, _values in iter_rows(io.BytesIO(_save(_sheet())))]
    assert numbers == [1, 2, 3, 5, 6, 7, 8, 9]


def test_chinese_date_formats_and_1904_dates():
    """WPS and Chinese Excel save 2024年5月20日 as built-in format 31, which openpyxl reads as
    a plain number; the reader gives a date. A workbook counted from 1904 is honoured."""
    book = openpyxl.Workbook()
    book.active.append([45432, 45432])
    book.active["B1"].number_format = "0.00"
    content = _save(book)
    styles = re.sub(
        r'(<cellXfs count=")(\d+)(">)(.*?)(</cellXfs>)',
        lambda m: (
            f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}{m.group(4)}"
            '<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0"/>' + m.group(5)
        ),
        _part(content, "xl/styles.xml"),
    )
    index = int(re.search(r'<cellXfs count="(\d+)"', styles).group(1)) - 1
    sheet = _part(content, "xl/worksheets/sheet1.xml").replace(
        '<c r="A1" t="n">', f'<c r="A1" s="{index}" t="n">'
    )
    assert f's="{index}"' in sheet
    workbook = _part(content, "xl/workbook.xml")
    in_1904 = re.sub(r"<workbookPr[^>]*/>", '<workbookPr date1904="1"/>', workbook)
    assert in_1904 != workbook
    for book_xml, expected in (
        (workbook, dt.datetime(2024, 5, 20)),
        (in_1904, dt.datetime(2028, 5, 21)),
    ):
        fixed = _rewrite(
            content,
            {
                "xl/styles.xml": styles,
                "xl/worksheets/sheet1.xml": sheet,
                "xl/workbook.xml": book_xml,
            },
        )
        assert list(iter_rows(io.BytesIO(fixed))) == [(1, (expected, 45432))]
    assert openpyxl.load_workbook(io.BytesIO(fixed)).active["A1"].value == 45432  # openpyxl


def test_not_a_workbook_and_a_damaged_one_raise_workbook_error():
    with pytest.raises(WorkbookError):
        list(iter_rows(io.BytesIO(b"PK-not-xlsx")))
    content = _save(_sheet())
    damaged = _rewrite(
        content,
        {
            "xl/worksheets/sheet1.xml": _part(content, "xl/worksheets/sheet1.xml").replace(
                '<row r="5">', '<row r="5"><<'
            )
        },
    )
    rows = iter_rows(io.BytesIO(damaged))
    assert next(rows)[0] == 1  # the damage is found part-way through
    with pytest.raises(WorkbookError):
        list(rows)


COLUMNS = [
    Column("编号", "reference", required=True),
    Column("日期", "day", parse=parse_date),
    Column("数量", "amount", parse=parse_decimal),
]


def _ledger(*rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    return io.BytesIO(_save(book))


def test_read_ledger_names_every_bad_cell_by_row_and_column():
    source = _ledger(
        ["编号", "日期", "数量", "备注"],
        ["R1", dt.date(2024, 1, 2), 5, "x"],
        [],
        ["", "2024/13/40", "五"],
        ["R4", "2024.03.05", "1.5"],
    )
    rows, errors = read_ledger(source, COLUMNS)
    assert [str(e) for e in errors] == [
        "第4行“编号”:必填,不能为空。",
        "第4行“日期”:“2024/13/40”不是日期,应为 2020-05-20 的形式。",
        "第4行“数量”:“五”不是数字。",
    ]  # row 3 is blank: the numbers are the sheet's own
    assert rows[0] == (2, {"reference": "R1", "day": dt.date(2024, 1, 2), "amount": 5})
    assert rows[-1][0] == 5 and rows[-1][1]["day"] == dt.date(2024, 3, 5)


def test_read_ledger_refuses_a_file_it_cannot_read_or_a_missing_column():
    rows, errors = read_ledger(io.BytesIO(b"PK-not-xlsx"), COLUMNS)
    assert rows == [] and str(errors[0]).startswith("文件无法读取为 Excel(.xlsx)文件:不是 .xlsx")
    rows, errors = read_ledger(_ledger(["日期", "数量"], ["2024-01-02", 1]), COLUMNS)
    assert rows == [] and [str(e) for e in errors] == ["第1行“编号”:缺少该列。"]
    content = _save(_sheet())
    damaged = _rewrite(
        content,
        {
            "xl/worksheets/sheet1.xml": _part(content, "xl/worksheets/sheet1.xml").replace(
                '<row r="5">', '<row r="5"><<'
            )
        },
    )
    rows, errors = read_ledger(io.BytesIO(damaged), COLUMNS)
    assert rows == [] and str(errors[-1]).startswith("文件内容已损坏:表格内容有误,无法解析。")


def test_the_reader_expands_no_entities():
    """What defusedxml guards against: no external file read, no entity expansion."""
    content = _save(_sheet())
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">'
        '<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + _part(content, "xl/worksheets/sheet1.xml")
        .replace("<t>A-1</t>", "<t>&xxe;</t>")
        .replace("<t>A-4</t>", "<t>&b;</t>")
    )
    rows = dict(iter_rows(io.BytesIO(_rewrite(content, {"xl/worksheets/sheet1.xml": sheet}))))
    assert rows[2][0] == "" and rows[5][0] == ""


def test_exported_text_that_looks_like_a_formula_stays_text():
    """A case title `=HYPERLINK(...)` must not become a live formula in any export (issue 10)."""
    import io

    import openpyxl

    from ecogov.core.spreadsheet import Column, write_ledger

    texts = ['=HYPERLINK("http://x","点我")', "+1+2", "-3", "@SUM(A1)", "=1+1"]
    content = write_ledger([Column("标题", "title")], [{"title": t} for t in texts], "导出")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == texts
    assert {c.data_type for c in cells} == {"s"}


def _without_dimension(data: bytes) -> io.BytesIO:
    """The same workbook with its sheet's <dimension> removed (some writers leave it out)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension[^>]*/>", b"", content)
            target.writestr(item, content)
    out.seek(0)
    return out


def test_rows_over_reads_the_dimension_or_counts_the_rows_and_rewinds():
    book = openpyxl.Workbook()
    for n in range(10):
        book.active.append([f"第{n}行"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    def sheet_xml(source) -> bytes:
        return zipfile.ZipFile(source).read("xl/worksheets/sheet1.xml")

    assert b"<dimension" in sheet_xml(io.BytesIO(data))
    assert b"<dimension" not in sheet_xml(_without_dimension(data))
    for source in (io.BytesIO(data), _without_dimension(data)):
        assert rows_over(source, 9) and not rows_over(source, 10)
        assert source.tell() == 0  # rewound for the import that follows
    assert not rows_over(io.BytesIO(b"not a workbook"), 0)  # the import names that problem
