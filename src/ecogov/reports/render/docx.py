"""The report as an official document (.docx) in the layout of GB/T 9704-2012.

Facts used (docs/reports.md §1): A4; margins top 37 mm, left (binding)
28 mm, giving a 156 × 225 mm text block (bottom 35 mm, right 26 mm); 22 lines of 28
characters; body 3号 (16 pt) 仿宋_GB2312; title 2号 (22 pt) 方正小标宋简体, centred, lines
broken by meaning; level-1 headings 黑体, level-2 楷体_GB2312, levels 3 and 4 仿宋 run into
the paragraph (level 3 bold); page numbers 4号 (14 pt) half-width 宋体 between one-em dashes
(— 1 —), odd pages right and even pages left, one character in from the edge; issuer and
date (Arabic numerals) at the end, the date four characters in from the right.

Fonts are named, with the East Asian attribute set, for the reader's machine to supply.
The output is deterministic: fixed core-properties dates (the document's date) and zip times.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import etree

from ..document import Block, Document
from .zipfix import normalise

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 12
LINE_PITCH = Twips(579)  # 225 mm / 22 lines = 28.95 pt
CHAR_SPACE = -848  # 4096 × (156 mm / 28 − 16 pt): 28 characters of 3号 per line
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _run(paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    _fonts(run._r.get_or_add_rPr(), font)
    return run


def _setup(doc, document: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, FANGSONG)
    size = rpr.find(qn("w:sz"))
    if size is None:
        size = OxmlElement("w:sz")
        rpr.append(size)
    size.set(qn("w:val"), str(BODY_PT * 2))
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(22)  # puts the number about 7 mm below the text block
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    day = dt.datetime.combine(dt.date.fromisoformat(document.dated), dt.time(0, 0))
    core = doc.core_properties
    core.title = document.title
    core.author = core.last_modified_by = document.issuer or "EcoGov"
    core.created = core.modified = core.last_printed = day
    core.revision = 1
    core.comments = core.keywords = core.subject = core.category = ""


def _page_number(paragraph, align) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = Pt(PAGE_NUMBER_PT)  # one character in from the edge
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_PT)
    _run(paragraph, "— ", SONGTI, PAGE_NUMBER_PT)
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = _run(paragraph, "", SONGTI, PAGE_NUMBER_PT)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(paragraph, " —", SONGTI, PAGE_NUMBER_PT)


# --- the body, written as WordprocessingML text and parsed once ---------------------------------
# (python-docx's object API costs ~5 ms a paragraph on a small machine; this is linear and light)
def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _rpr(font: str, size: float, bold: bool) -> str:
    half = int(size * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
        f'w:cs="{font}"/>{"<w:b/><w:bCs/>" if bold else ""}'
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )


def _ppr(
    *,
    first_line: int = 2 * BODY_PT * 20,
    align: str = "both",
    line: int = 579,
    right: int = 0,
    left: int = 0,
    page_break: bool = False,
) -> str:
    indent = f'<w:ind w:left="{left}" w:right="{right}" w:firstLine="{first_line}"/>'
    return (
        f"<w:pPr>{'<w:pageBreakBefore/>' if page_break else ''}"
        f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
        f'{indent}<w:jc w:val="{align}"/></w:pPr>'
    )


def _r(text: str, font: str = FANGSONG, size: float = BODY_PT, bold: bool = False) -> str:
    return f'<w:r>{_rpr(font, size, bold)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _p(runs: str, ppr: str | None = None) -> str:
    return f"<w:p>{ppr if ppr is not None else _ppr()}{runs}</w:p>"


def _title(lines: list[str]) -> str:
    parts = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    title = _p(
        f"<w:r>{_rpr(XIAOBIAOSONG, TITLE_PT, False)}{parts}</w:r>",
        _ppr(first_line=0, align="center"),
    )
    return title + _p("")  # one empty line between title and body


HEADING_FONTS = {1: HEITI, 2: KAITI}


def _block(block: Block) -> str:
    out = []
    if block.level in HEADING_FONTS and block.label:
        out.append(_p(_r(block.label, HEADING_FONTS[block.level])))
        paragraphs, run_in = block.paragraphs, ""
    else:
        paragraphs = block.paragraphs or ([[]] if block.label else [])
        run_in = block.run_in_label
    for i, runs in enumerate(paragraphs):
        head = _r(run_in, bold=block.level == 3) if i == 0 and run_in else ""
        out.append(_p(head + "".join(_r(run.text) for run in runs if run.text)))
    return "".join(out)


def _signature(document: Document) -> str:
    out = [_p("")]
    date = document.dated_text
    width = _width(date)
    # the date four characters in from the right; the issuer centred over the date
    for text, right in ((document.issuer, 4 + (width - _width(document.issuer)) / 2), (date, 4)):
        if text:
            out.append(
                _p(
                    _r(text),
                    _ppr(first_line=0, align="right", right=round(max(right, 0) * BODY_PT * 20)),
                )
            )
    return "".join(out)


def _width(text: str) -> float:
    """Width in characters of 3号: Chinese characters one, ASCII half."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


APPENDIX_COLUMNS = [
    ("序号", 10),
    ("数据项", 44),
    ("数值", 22),
    ("单位", 13),
    ("统计口径", 49),
    ("记录数", 18),
]
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _cell(text: str, width_mm: float, *, bold: bool = False, font: str = FANGSONG) -> str:
    ppr = _ppr(first_line=0, align="left", line=(TABLE_PT + 4) * 20)
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{_twips(width_mm)}" w:type="dxa"/></w:tcPr>'
        f"{_p(_r(text, font, TABLE_PT, bold), ppr)}</w:tc>"
    )


def _appendix(document: Document) -> str:
    out = [
        _p(_r("附件", HEITI), _ppr(first_line=0, align="left", page_break=True)),
        _title(["数据来源"]),
    ]
    grid = "".join(f'<w:gridCol w:w="{_twips(w)}"/>' for _n, w in APPENDIX_COLUMNS)
    rows = [
        "<w:tr>"
        + "".join(_cell(name, w, bold=True, font=HEITI) for name, w in APPENDIX_COLUMNS)
        + "</w:tr>"
    ]
    for n, row in enumerate(document.figures, start=1):
        label = f"{row.label}\uff08{row.key}\uff09" if row.label else row.key
        values = [
            str(n),
            label,
            "暂无数据" if row.missing else row.display,
            row.unit,
            row.definition or ("所属业务领域尚未上线" if row.missing else ""),
            "" if row.record_count is None else str(row.record_count),
        ]
        rows.append(
            "<w:tr>"
            + "".join(
                _cell(text, w) for text, (_n, w) in zip(values, APPENDIX_COLUMNS, strict=True)
            )
            + "</w:tr>"
        )
    out.append(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{_BORDERS}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        + "".join(rows)
        + "</w:tbl>"
    )
    out.append(_p(""))
    return "".join(out)


def render_docx(document: Document) -> bytes:
    doc = new_docx()
    _setup(doc, document)
    parts = [
        _title(document.title_lines),
        *(_block(b) for b in document.blocks),
        _signature(document),
    ]
    if document.figures:
        parts.append(_appendix(document))
    # one new body (the section properties carried over), swapped in at once: moving elements
    # one by one into python-docx's tree costs time quadratic in the document's length
    old = doc.element.body
    section_properties = etree.tostring(old.sectPr, encoding="unicode")
    body = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(parts)}{section_properties}</w:body>')
    doc.element.replace(old, body)
    out = io.BytesIO()
    doc.save(out)
    return normalise(out.getvalue())
