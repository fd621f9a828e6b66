"""The consistency check before export: what a person must resolve before the report goes out.

1. Parts that must sum to a whole do (`whole = a + b`, declared in the outline as data, or
   given by a figure's `parts`); rates are recomputed from their parts (`rate = a / b`).
2. A number typed into a narrative that contradicts a figure is named with both values. A typed
   number is attributed to a figure by the words just before it in the same clause (the
   figure's label, or the words the outline's templates put before its reference) and by its
   unit; it is accepted when it equals any figure those words and unit point to.
3. Figures the text references that have no figure (yet) are listed as missing; figures the
   outline places in a section but the year's narrative dropped are listed too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ecogov.core.figures import Figure, Kind

from . import sources, templating
from .document import Block, Run

KEY = templating.KEY_RE.pattern


class RelationError(ValueError):
    pass


@dataclass(frozen=True)
class Relation:
    whole: str
    op: str  # "+" (sum of parts) or "/" (rate in percent)
    parts: tuple[str, ...]
    origin: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.whole, *self.parts)

    @property
    def text(self) -> str:
        return f"{self.whole} = " + f" {self.op} ".join(self.parts)


_RELATION = re.compile(rf"^\s*({KEY})\s*=\s*({KEY}(?:\s*[+/]\s*{KEY})+)\s*$")


def parse_relation(expression: str, origin: str = "") -> Relation:
    match = _RELATION.match(expression or "")
    if not match:
        raise RelationError("关系式应写作“总数键 = 部分键 + 部分键”或“比率键 = 分子键 / 分母键”")
    right = match.group(2)
    ops = set(re.findall(r"[+/]", right))
    if len(ops) > 1:
        raise RelationError("关系式不能同时含有“+”和“/”")
    op = ops.pop()
    parts = tuple(p.strip() for p in re.split(r"[+/]", right))
    if op == "/" and len(parts) != 2:
        raise RelationError("比率关系只能有一个分子和一个分母")
    return Relation(match.group(1), op, parts, origin)


@dataclass
class Issue:
    kind: str  # sum | ratio | typed | missing | dropped | repeated
    severity: str  # error | warning
    message: str
    section: str = ""
    keys: tuple[str, ...] = ()
    typed: str = ""
    computed: str = ""

    KIND_LABELS = {
        "sum": "合计不符",
        "ratio": "比率不符",
        "typed": "文中数字与台账不符",
        "missing": "缺少数据",
        "dropped": "叙述未引用",
        "repeated": "重复词句",
    }

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS[self.kind]


@dataclass
class CheckResult:
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def of(self, kind: str) -> list[Issue]:
        return [i for i in self.issues if i.kind == kind]


# --- relations ----------------------------------------------------------------------------------
def relations_for(outline, figures: dict[str, Figure], used: list[str]) -> list[Relation]:
    found: dict[tuple, Relation] = {}
    for relation in outline.relations.all():
        try:
            parsed = parse_relation(relation.expression, origin="outline")
        except RelationError:
            continue  # refused when saved; an old row is not the check's business
        found.setdefault((parsed.whole, parsed.op, parsed.parts), parsed)
    for key in used:
        figure = figures.get(key)
        if figure is None or not figure.parts:
            continue
        op = "/" if figure.kind == Kind.RATIO else "+"
        if op == "/" and len(figure.parts) != 2:
            continue
        found.setdefault(
            (key, op, tuple(figure.parts)), Relation(key, op, tuple(figure.parts), origin="figure")
        )
    return list(found.values())


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _fmt(figure: Figure, value=None) -> str:
    value = figure.value if value is None else value
    return f"{sources.plain_number(value)}{figure.unit}"


def check_relation(relation: Relation, figures: dict[str, Figure]) -> Issue | None:
    absent = [k for k in relation.keys if k not in figures or figures[k].value is None]
    if absent:
        return None  # listed as missing (or without value) elsewhere
    whole = figures[relation.whole]
    values = [Decimal(str(figures[k].value)) for k in relation.parts]
    actual = Decimal(str(whole.value))
    names = [f"{figures[k].label}{_fmt(figures[k])}" for k in relation.parts]
    if relation.op == "+":
        expected = sum(values, Decimal(0))
        places = max([_places(v) for v in values] + [_places(actual)])
        tolerance = Decimal(len(values)) * Decimal(5).scaleb(-places - 1) if places else 0
        if abs(expected - actual) <= tolerance:
            return None
        message = (
            f"“{whole.label}”为{_fmt(whole)},但其各部分之和为{_fmt(whole, expected)}"
            f"({' + '.join(names)}),相差{sources.plain_number(actual - expected)}"
            f"{whole.unit}"
        )
        return Issue(
            "sum", "error", message, keys=relation.keys, typed=str(actual), computed=str(expected)
        )
    numerator, denominator = values
    if denominator == 0:
        return None
    expected = (Decimal(100) * numerator / denominator).quantize(
        Decimal(1).scaleb(-_places(actual)), rounding=ROUND_HALF_UP
    )
    if expected == actual:
        return None
    message = (
        f"“{whole.label}”为{_fmt(whole)},按{names[0]} ÷ {names[1]}重新计算为"
        f"{sources.plain_number(expected)}{whole.unit}"
    )
    return Issue(
        "ratio", "error", message, keys=relation.keys, typed=str(actual), computed=str(expected)
    )


# --- typed numbers ------------------------------------------------------------------------------
UNITS = [
    "亿元",
    "万元",
    "家次",
    "人次",
    "批次",
    "元",
    "家",
    "件",
    "个",
    "项",
    "条",
    "次",
    "人",
    "份",
    "篇",
    "天",
    "类",
    "部",
    "%",
    "\uff05",
]
_NUMBER = re.compile(r"(近|约|超过)?(\d+(?:\.\d+)?)(余|多)?(" + "|".join(UNITS) + r")(?!月|多月)")
_SENTENCE_END = re.compile("[\u3002;\uff1b!\uff01?\uff1f]")
_LABEL_NOISE = re.compile(r"^\d{4}年(末)?|其中[:\uff1a]?|[(\uff08][^()\uff08\uff09]*[)\uff09]")


def _unit(unit: str) -> str:
    return "%" if unit == "\uff05" else unit


def label_wordings(label: str) -> set[str]:
    """The tails of a label a sentence may use: 批准项目总投资 → 项目总投资, 目总投资, 总投资…"""
    clean = _LABEL_NOISE.sub("", str(label)).strip()
    if len(clean) < 4:
        return {clean} if len(clean) >= 2 else set()
    return {clean[i:] for i in range(0, len(clean) - 3)}


def wordings_for(figures: dict[str, Figure], templates: list[str]) -> dict[str, set[str]]:
    words = {key: label_wordings(f.label) for key, f in figures.items()}
    for template in templates:
        try:
            for key, found in templating.wordings(template).items():
                words.setdefault(key, set()).update(found)
        except templating.TemplateError:
            continue
    return words


def _attribute(
    clause: str, unit: str, figures: dict[str, Figure], words: dict[str, set[str]]
) -> list[Figure]:
    """The figures whose words end nearest the number in the clause (ties: all of them)."""
    best, found = None, []
    for key, figure in figures.items():
        if _unit(figure.unit) != unit or figure.value is None:
            continue
        for word in words.get(key, ()):
            at = clause.rfind(word)
            if at < 0:
                continue
            score = (at + len(word), len(word))
            if best is None or score > best:
                best, found = score, [figure]
            elif score == best and figure not in found:
                found.append(figure)
    return sorted(found, key=lambda f: (len(str(f.label)), f.key))


def _agrees(typed: Decimal, value, before: str, after: str) -> bool:
    value = Decimal(str(value))
    if after:  # 200多人, 5000余份: at least
        return value >= typed
    if before:  # 近600人, 约600人: within a tenth
        return abs(value - typed) <= typed / 10
    return value == typed


def typed_numbers(
    block: Block, figures: dict[str, Figure], words: dict[str, set[str]]
) -> list[Issue]:
    issues = []
    for paragraph in block.paragraphs:
        text, computed = _spans(paragraph)
        for sentence_start, sentence in _sentences(text):
            clause_start = 0
            for match in _NUMBER.finditer(sentence):
                at = sentence_start + match.start(2)
                if any(a <= at < b for a, b in computed):
                    clause_start = match.end()
                    continue
                clause = sentence[clause_start : match.start()]
                # figure values between the clause start and the number end the clause too
                for a, b in computed:
                    if sentence_start + clause_start <= a and b <= at:
                        clause = sentence[b - sentence_start : match.start()]
                clause_start = match.end()
                before, number, after, unit = match.groups()
                try:
                    typed = Decimal(number)
                except InvalidOperation:  # pragma: no cover - the pattern gives digits
                    continue
                candidates = _attribute(clause, _unit(unit), figures, words)
                if not candidates or any(
                    _agrees(typed, f.value, before, after) for f in candidates
                ):
                    continue
                figure = candidates[0]
                shown = f"{before or ''}{number}{after or ''}{unit}"
                context = clause[-12:].lstrip(",\uff0c、;\uff1b:\uff1a")
                issues.append(
                    Issue(
                        "typed",
                        "error",
                        f"文中写“{context}{shown}”,而“{figure.label}”"
                        f"({figure.key})按台账为{_fmt(figure)}",
                        section=block.where,
                        keys=(figure.key,),
                        typed=number,
                        computed=str(figure.value),
                    )
                )
    return issues


def _spans(paragraph: list[Run]) -> tuple[str, list[tuple[int, int]]]:
    text, spans, at = "", [], 0
    for run in paragraph:
        if run.key:
            spans.append((at, at + len(run.text)))
        text += run.text
        at += len(run.text)
    return text, spans


def _sentences(text: str):
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, text[start : match.end()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


_REPEATED = re.compile(r"([\u4e00-\u9fff]{2,}[,\uff0c、])\1")


def repeated_words(block: Block) -> list[Issue]:
    issues = []
    for match in _REPEATED.finditer(block.text()):
        issues.append(
            Issue(
                "repeated",
                "warning",
                f"“{match.group(1)}”连续重复出现:{match.group(0)}",
                section=block.where,
            )
        )
    return issues


# --- the whole check ----------------------------------------------------------------------------
def check(draft) -> CheckResult:
    document, figures = draft.document, draft.figures
    result = CheckResult()
    used = [row.key for row in document.figures]
    relations = relations_for(draft.outline, figures, used)
    for relation in relations:
        issue = check_relation(relation, figures)
        if issue is not None:
            result.issues.append(issue)
    templates = [s.template for s in draft.outline.sections.all()] + list(draft.narratives.values())
    words = wordings_for(figures, templates)
    for block in document.blocks:
        result.issues += typed_numbers(block, figures, words)
        result.issues += repeated_words(block)
        if block.source == "narrative":
            referenced = {r.key for p in block.paragraphs for r in p if r.key}
            for key in block.template_keys:
                if key not in referenced:
                    value = _fmt(figures[key]) if key in figures else "暂无数据"
                    result.issues.append(
                        Issue(
                            "dropped",
                            "warning",
                            f"提纲在本节引用“{key}”({value}),本年叙述未引用",
                            section=block.where,
                            keys=(key,),
                        )
                    )
    missing: dict[str, list[str]] = {}
    for block in document.blocks:
        for paragraph in block.paragraphs:
            for run in paragraph:
                if run.missing:
                    missing.setdefault(run.key, [])
                    if block.where not in missing[run.key]:
                        missing[run.key].append(block.where)
    for relation in relations:
        for key in relation.keys:
            if key not in figures:
                missing.setdefault(key, []).append(f"核对关系 {relation.text}")
    for key, where in missing.items():
        result.issues.append(
            Issue("missing", "warning", f"缺少数据项“{key}”:见{'、'.join(where)}", keys=(key,))
        )
    return result
