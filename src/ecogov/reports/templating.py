"""Sentence templates of an outline: text with figure references, `{eia.approved.total}`.

Pure (no Django). A reference is a figure key in braces (a key always has a dot); a few
words without a dot stand for the report's own facts (`{year}`, `{next_year}`,
`{organisation}`, `{period}`). `{{` and `}}` are literal braces. Rendering turns a template
into pieces: literal text, and figure references that keep their key (so every screen can
link the number to its records and the check knows which numbers were computed, which typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEY_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
WORDS = {
    "year": "年度(如 2020)",
    "next_year": "下一年度(如 2021)",
    "organisation": "发文机关名称",
    "period": "统计期间(如 2020年 或 2020年(截至11月30日))",
}
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TemplateError(ValueError):
    """A template that cannot be read; `problems` are Chinese sentences for the person."""

    def __init__(self, problems: list[str]):
        super().__init__(";".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Piece:
    text: str = ""
    key: str = ""  # a figure reference
    word: str = ""  # a report fact ({year} …)


def parse(template: str) -> list[Piece]:
    """The template's pieces, literal text merged; raises TemplateError naming every bad brace."""
    template = template or ""
    pieces: list[Piece] = []
    problems: list[str] = []
    literal: list[str] = []
    position = 0

    def flush():
        if literal:
            pieces.append(Piece(text="".join(literal)))
            literal.clear()

    for match in _TOKEN.finditer(template):
        literal.append(template[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token == "{{":
            literal.append("{")
        elif token == "}}":
            literal.append("}")
        elif token in ("{", "}"):
            problems.append(
                f"第{match.start() + 1}个字符处的“{token}”没有配对(花括号本身请写作 {{{{ 或 }}}})"
            )
        else:
            inner = match.group(1).strip()
            if KEY_RE.fullmatch(inner):
                flush()
                pieces.append(Piece(key=inner))
            elif inner in WORDS:
                flush()
                pieces.append(Piece(word=inner))
            else:
                problems.append(
                    f"“{{{inner}}}”既不是数据项的键(形如 {{eia.approved.total}}),"
                    f"也不是{'、'.join('{' + w + '}' for w in WORDS)}之一"
                )
    literal.append(template[position:])
    flush()
    if problems:
        raise TemplateError(problems)
    return [p for p in pieces if p.key or p.word or p.text]


def keys_of(template: str) -> list[str]:
    """The figure keys a template references, in order, each once."""
    seen: dict[str, None] = {}
    for piece in parse(template):
        if piece.key:
            seen.setdefault(piece.key)
    return list(seen)


def check_keys(template: str, known: set[str]) -> list[str]:
    """Problems of a template: malformed braces, and keys that are no known figure."""
    try:
        keys = keys_of(template)
    except TemplateError as exc:
        return exc.problems
    return [f"“{{{key}}}”不是已登记的数据项" for key in keys if key not in known]


def wordings(template: str) -> dict[str, set[str]]:
    """The words a template puts right before each reference ("抽查企业{key}" → 抽查企业).

    The consistency check looks for these words before a typed number in a narrative.
    """
    found: dict[str, set[str]] = {}
    previous = ""
    for piece in parse(template):
        if piece.text:
            previous = piece.text
            continue
        if piece.key:
            words = re.split(r"[,\uff0c。;\uff1b、:\uff1a()\uff08\uff09“”\s]|其中|共|另", previous)[
                -1
            ]
            if len(words) >= 2:
                found.setdefault(piece.key, set()).add(words[-8:])
        previous = ""
    return found
