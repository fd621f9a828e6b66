"""The report as a plain structure: what every output (docx, HTML, Markdown, xlsx, JSON) renders.

No Django here: a `Document` is built from an outline, the year's narratives and the figures
(compose.py), frozen as JSON when published, and rendered again from that JSON alone, which is
what makes a published .docx reproducible byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (headings go up to 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    return {
        1: f"{chinese_number(n)}、",
        2: f"\uff08{chinese_number(n)}\uff09",
        3: f"{n}.",
        4: f"\uff08{n}\uff09",
    }.get(level, "")


def path_part(level: int, n: int) -> str:
    return {
        1: chinese_number(n),
        2: f"\uff08{chinese_number(n)}\uff09",
        3: str(n),
        4: f"\uff08{n}\uff09",
    }[level]


_FULL = {
    ",": "\uff0c",
    ";": "\uff1b",
    ":": "\uff1a",
    "(": "\uff08",
    ")": "\uff09",
    "!": "\uff01",
    "?": "\uff1f",
}
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u201c\u201d\u300a\u300b"
_ASCII_PUNCT = re.compile(f"(?<=[{_CJK}])[,;:()!?]|[,;:()!?](?=[{_CJK}])")


def typeset(text: str) -> str:
    """Chinese punctuation in Chinese text: an ASCII comma, semicolon, colon, parenthesis,
    exclamation or question mark next to a Chinese character becomes its full-width form
    (texts pasted from the web often carry the ASCII forms)."""
    return _ASCII_PUNCT.sub(lambda m: _FULL[m.group(0)], text)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Run:
    text: str
    key: str = ""  # the figure this text is the value of
    missing: bool = False  # the key has no figure (yet): the text is a placeholder


@dataclass
class Block:
    section: int  # Section.pk (0 for none)
    level: int
    number: str
    heading: str
    paragraphs: list[list[Run]]
    source: str = ""  # "narrative" | "template" | ""
    template_keys: list[str] = field(default_factory=list)  # the keys the outline puts here
    path: str = ""  # where in the outline: 一(三)1

    @property
    def label(self) -> str:
        return f"{self.number}{self.heading}" if self.heading else self.number

    @property
    def runs_in(self) -> bool:
        """Levels 3 and 4 (and unnumbered paragraphs) run into their first paragraph."""
        return self.level not in (1, 2)

    @property
    def run_in_label(self) -> str:
        """ "1.严格项目审批。" — the heading as it starts its first paragraph."""
        label = self.label
        if label and self.paragraphs and label[-1] not in "\u3002.:\uff1a;\uff1b!\uff01?\uff1f":
            label += "。"
        return label

    @property
    def where(self) -> str:
        """The section as a person names it: 一(三)1 严格项目审批."""
        return f"{self.path} {self.heading}".strip() if self.path else self.heading or "开篇"

    def text(self) -> str:
        return "\n".join("".join(r.text for r in p) for p in self.paragraphs)


@dataclass
class FigureRow:
    key: str
    label: str = ""
    value: int | str | None = None  # integers as numbers, decimals as strings
    display: str = ""
    unit: str = ""
    kind: str = ""
    area: str = ""
    definition: str = ""
    record_count: int | None = None
    missing: bool = False


@dataclass
class Document:
    outline: str
    kind: str
    title_lines: list[str]
    issuer: str
    dated: str  # ISO date on the document (成文日期)
    year: int
    until: str | None
    division: str  # name, "" for the user's whole scope
    period_label: str
    blocks: list[Block]
    figures: list[FigureRow]

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def dated_text(self) -> str:
        return chinese_date(dt.date.fromisoformat(self.dated))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Document:
        data = dict(data)
        data["blocks"] = [
            Block(**{**b, "paragraphs": [[Run(**r) for r in p] for p in b["paragraphs"]]})
            for b in data["blocks"]
        ]
        data["figures"] = [FigureRow(**f) for f in data["figures"]]
        return cls(**data)

    def figure_row(self, key: str) -> FigureRow | None:
        return next((f for f in self.figures if f.key == key), None)

    def block(self, label_prefix: str) -> Block | None:
        return next((b for b in self.blocks if b.label.startswith(label_prefix)), None)
