"""Validation and the canonical documents (docs/draw-algorithm.md §2 and §6).

The canonical inputs document is the frozen pools and plan as UTF-8 text, one record per
line, fields separated by TAB, every section sorted bytewise. Its SHA-256 is the input hash;
published as is, it is all a third party needs (with the seed) to re-run the draw.
"""

from __future__ import annotations

import dataclasses
import datetime
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import attrgetter, itemgetter
from typing import Any, Literal, NoReturn, overload

import numpy as np

from .model import (
    ALGORITHM_VERSION,
    Conflict,
    DrawError,
    DrawInputs,
    DrawResult,
    Entity,
    EntityColumns,
    Inspector,
    Plan,
    Quota,
)

RESULT_FORMAT = "ecogov-draw-result/1"
_CODE = re.compile(r"[0-9]{6}")
_SHARE = re.compile(r"[0-9]+(\.[0-9]+)?")
_COUNT = re.compile(r"0|[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True, slots=True)
class QuotaSpec:
    category: str
    kind: str  # "share" or "count"
    text: str  # canonical decimal (share, percent) or integer (count)
    numerator: int  # share = numerator / denominator percent; count = numerator
    denominator: int


@dataclass(frozen=True, slots=True)
class Canonical:
    """Validated inputs in canonical order, with their document and hash."""

    period: str
    scope: tuple[str, ...]
    per_check: int
    cross_division: bool
    inspection_date: datetime.date
    quotas: tuple[QuotaSpec, ...]
    divisions: tuple[tuple[str, str | None], ...]
    entity_ids: list[str]  # sorted; the two lists below are in the same order
    entity_categories: list[str]
    entity_divisions: list[str]
    inspectors: list[tuple[str, str, datetime.date | None]]  # (id, division, expiry), by id
    conflicts: list[tuple[str, str]]  # (inspector_id, entity_id)
    previous: Mapping[str, Sequence[str]]  # entity_id → inspector ids, as given (validated)
    document: bytes
    input_hash: str


def _fail(code: str, field: str, message: str) -> NoReturn:
    raise DrawError(code, field, message)


def _text_ok(v: Any) -> bool:
    return isinstance(v, str) and v != "" and v.isprintable() and v[0] != " " and v[-1] != " "


def check_text(value: Any, field: str) -> str:
    """An id, category, period or seed: non-empty, printable (str.isprintable: no control,
    format or separator character but the ASCII space), no space at either end — so each
    is one visible field of one line of the document."""
    if not isinstance(value, str):
        _fail("invalid_value", field, f"应为字符串，实为 {type(value).__name__}。")
    if not _text_ok(value):
        _fail(
            "invalid_value",
            field,
            f"{value!r} 为空、含不可打印字符（控制符、制表符、换行等）或首尾有空格。",
        )
    return value


def _check_texts(values: list, field_of: Callable[[int], str], few: bool = False) -> None:
    """check_text over many strings in a few C-level passes (over the distinct values when
    there are `few`); rescans one by one only to name the first bad one."""
    try:
        probe = list(set(values)) if few else values
        joined = " ".join(probe)  # a double space: an empty value or one with a space at an end
        good = (
            joined.isprintable()
            and "  " not in joined
            and "" not in probe
            and joined[:1] != " "
            and joined[-1:] != " "
        )
    except TypeError:
        good = False
    if not good:
        for i, v in enumerate(values):
            if not _text_ok(v):
                check_text(v, field_of(i))


def _id_order(ids: list[str]) -> list[int]:
    """Positions of ids in sorted order. Python's str order is code point order, which is
    UTF-8 byte order; numpy's fixed-width strings sort the same way, ~3× faster (short ids
    only: the array is 4 bytes × the longest id per row)."""
    if ids and max(map(len, ids)) <= 64:
        return np.argsort(np.array(ids), kind="stable").tolist()
    return sorted(range(len(ids)), key=ids.__getitem__)


def check_code(value: Any, field: str) -> str:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        _fail("invalid_value", field, f"行政区划代码应为 6 位数字（GB/T 2260），“{value}”不符合。")
    return value


@overload
def _check_date(value: Any, field: str, optional: Literal[False] = False) -> dt.date: ...
@overload
def _check_date(value: Any, field: str, optional: bool) -> dt.date | None: ...
def _check_date(value: Any, field: str, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if type(value) is not datetime.date:  # a datetime would bring a time zone question
        _fail("invalid_value", field, f"应为日期（datetime.date），实为 {type(value).__name__}。")
    return value


def _quota(q: Quota) -> QuotaSpec:
    cat = check_text(q.category, "plan.quotas[].category")
    field = f"plan.quotas[{cat}]"
    if (q.share is None) == (q.count is None):
        _fail(
            "invalid_quota", field, "应给出抽查比例（share）或抽查数量（count）之一，且只能给一个。"
        )
    if q.count is not None:
        if type(q.count) is not int:
            _fail("invalid_quota", f"{field}.count", f"抽查数量应为整数，实为 {q.count!r}。")
        if q.count < 0:
            _fail("invalid_quota", f"{field}.count", f"抽查数量 {q.count} 不能为负数。")
        return QuotaSpec(cat, "count", str(q.count), q.count, 1)
    share = q.share
    if isinstance(share, bool) or not isinstance(share, (Decimal, int, str)):
        _fail(
            "invalid_value",
            f"{field}.share",
            f"抽查比例应为 Decimal、整数或字符串（不接受浮点数），实为 {share!r}。",
        )
    try:
        d = Decimal(share.strip() if isinstance(share, str) else share)
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        _fail("invalid_value", f"{field}.share", f"抽查比例“{share}”不是有效的数字。")
    if d < 0:
        _fail("share_out_of_range", f"{field}.share", f"抽查比例 {d}% 不能为负数。")
    if d > 100:
        _fail("share_out_of_range", f"{field}.share", f"抽查比例 {d}% 超过 100%。")
    text = format(d, "f")  # exact digits, no exponent
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = "0" if d == 0 else text
    num, den = d.as_integer_ratio()
    return QuotaSpec(cat, "share", text, num, den)


def _derive_parent(code: str) -> str | None:
    """GB/T 2260 structure: county PPCCDD → city PPCC00 → province PP0000 → none."""
    if code[4:] != "00":
        return code[:4] + "00"
    if code[2:4] != "00":
        return code[:2] + "0000"
    return None


def _division_table(given: Any, used: set[str]) -> tuple[tuple[str, str | None], ...]:
    """The parent of every used code and of its ancestors; unused rows are dropped so the
    input hash does not move when an unrelated division is added."""
    if given:
        table = {}
        for code, parent in given.items():
            check_code(code, f"divisions[{code}]")
            if parent is not None:
                check_code(parent, f"divisions[{code}].parent")
            table[code] = parent
    else:
        table = None
    out: dict[str, str | None] = {}
    for code in sorted(used):
        chain = []
        c = code
        while c is not None and c not in out:
            if c in chain:
                _fail("invalid_value", f"divisions[{c}]", "行政区划的上级关系出现循环。")
            chain.append(c)
            if table is None:
                parent = _derive_parent(c)
            elif c not in table:
                _fail("unknown_division", f"divisions[{c}]", f"行政区划 {c} 不在区划表中。")
            else:
                parent = table[c]
            out[c] = parent
            c = parent
    return tuple(sorted(out.items()))


def canonicalise(inputs: DrawInputs, entity_columns: Any = None) -> Canonical:
    """Validate everything and build the canonical document; raises DrawError.
    `entity_columns` (ids, categories, divisions) stands in for `inputs.entities`."""
    plan = inputs.plan
    if not isinstance(plan, Plan):
        _fail("invalid_value", "plan", "应为 Plan。")
    period = check_text(plan.period, "plan.period")
    if isinstance(plan.division_scope, str) or not plan.division_scope:
        _fail("invalid_value", "plan.division_scope", "检查范围应列出至少一个行政区划代码。")
    scope = tuple(sorted({check_code(c, "plan.division_scope") for c in plan.division_scope}))
    per_check = plan.inspectors_per_check
    if type(per_check) is not int:
        _fail("invalid_value", "plan.inspectors_per_check", f"应为整数，实为 {per_check!r}。")
    if per_check < 2:
        _fail(
            "per_check_too_small",
            "plan.inspectors_per_check",
            f"每次检查的执法人员为 {per_check} 人，至少应为 2 人。",
        )
    if type(plan.allow_cross_division) is not bool:
        _fail("invalid_value", "plan.allow_cross_division", "应为 True 或 False。")
    day = _check_date(inputs.inspection_date, "inspection_date")
    check_text(inputs.seed, "seed")

    quotas = sorted((_quota(q) for q in plan.quotas), key=lambda s: s.category)
    for a, b in zip(quotas, quotas[1:]):
        if a.category == b.category:
            _fail(
                "duplicate_id", f"plan.quotas[{a.category}]", "同一类别设定了两次抽查比例或数量。"
            )

    # Entities, as three columns in id order (str order is UTF-8 byte order).
    if entity_columns is None and isinstance(inputs.entities, EntityColumns):
        entity_columns = inputs.entities
    if entity_columns is not None:
        ids, cats, divs = map(list, entity_columns)
    else:
        try:
            ids = list(map(attrgetter("id"), inputs.entities))
            cats = list(map(attrgetter("category"), inputs.entities))
            divs = list(map(attrgetter("division"), inputs.entities))
        except AttributeError:
            _fail("invalid_value", "entities", "每个对象应有 id、category、division 属性。")
    _check_texts(ids, lambda i: f"entities[{i}].id")
    _check_texts(cats, lambda i: f"entities[{ids[i]}].category", few=True)
    try:
        good = all(isinstance(d, str) and _CODE.fullmatch(d) for d in set(divs))
    except TypeError:  # unhashable
        good = False
    if not good:
        for i, d in enumerate(divs):
            check_code(d, f"entities[{ids[i]}].division")
    if not all(map(str.__lt__, ids, ids[1:])):  # a stored document comes in order already
        order = _id_order(ids)
        ids, cats, divs = (list(map(col.__getitem__, order)) for col in (ids, cats, divs))
    dup = (
        next((a for a, b in zip(ids, ids[1:]) if a == b), None)
        if len(set(ids)) != len(ids)
        else None
    )
    if dup is not None:
        _fail("duplicate_id", f"entities[{dup}]", f"对象 {dup} 在名录库中出现了不止一次。")
    rows = list(zip(ids, cats, divs))

    insp = []
    for i, p in enumerate(inputs.inspectors):
        pid = check_text(getattr(p, "id", None), f"inspectors[{i}].id")
        insp.append(
            (
                pid,
                check_code(getattr(p, "division", None), f"inspectors[{pid}].division"),
                _check_date(
                    getattr(p, "certificate_expiry", None),
                    f"inspectors[{pid}].certificate_expiry",
                    optional=True,
                ),
            )
        )
    insp.sort(key=itemgetter(0))
    for earlier, later in zip(insp, insp[1:]):
        if earlier[0] == later[0]:
            _fail(
                "duplicate_id",
                f"inspectors[{earlier[0]}]",
                f"执法人员 {earlier[0]} 在名录库中出现了不止一次。",
            )

    pairs = [
        (c.inspector_id, c.entity_id) if isinstance(c, Conflict) else tuple(c)
        for c in inputs.conflicts
    ]
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            _fail("invalid_value", f"conflicts[{i}]", "应为 (执法人员 id, 对象 id)。")
    _check_texts([p[0] for p in pairs], lambda i: f"conflicts[{i}].inspector_id")
    _check_texts([p[1] for p in pairs], lambda i: f"conflicts[{i}].entity_id")
    conflicts = sorted(set(pairs))

    prev_in = inputs.previous_assignments
    keys = list(prev_in)
    _check_texts(keys, lambda i: "previous_assignments")
    for eid in keys:
        if isinstance(prev_in[eid], str):
            _fail(
                "invalid_value",
                f"previous_assignments[{eid}]",
                "应为执法人员 id 的列表，而非单个字符串。",
            )
    flat = [p for e in keys for p in prev_in[e]]

    def owner(i: int) -> str:  # the entity whose list holds flat[i]
        return [e for e in keys for _ in prev_in[e]][i]

    _check_texts(flat, lambda i: f"previous_assignments[{owner(i)}]", few=True)
    previous = prev_in  # read as given; the engine drops doubles
    # TAB sorts below every character an id may hold, so line order is (entity, inspector) order
    previous_lines = sorted({f"{e}\t{p}" for e in keys for p in prev_in[e]})

    used = set(scope) | set(divs) | {p[1] for p in insp}
    divisions = _division_table(inputs.divisions, used)
    canon = Canonical(
        period=period,
        scope=scope,
        per_check=per_check,
        cross_division=plan.allow_cross_division,
        inspection_date=day,
        quotas=tuple(quotas),
        divisions=divisions,
        entity_ids=ids,
        entity_categories=cats,
        entity_divisions=divs,
        inspectors=insp,
        conflicts=conflicts,
        previous=previous,
        document=b"",  # below, from the fields above
        input_hash="",
    )
    doc = _document(canon, entity_rows=rows, previous_lines=previous_lines)
    return dataclasses.replace(canon, document=doc, input_hash=hashlib.sha256(doc).hexdigest())


def _lines(tag: str, columns: Sequence[Sequence[Any]], rows: bool = False) -> str:
    """TAB-joined rows, each prefixed by tag and ended by LF (C-level joins: it is 200k rows)."""
    lines = list(map("\t".join, columns if rows else zip(*columns)))
    return f"{tag}\t" + f"\n{tag}\t".join(lines) + "\n" if lines else ""


def _document(canon: Canonical, *, entity_rows: Any, previous_lines: Any) -> bytes:
    period, scope, per_check = canon.period, canon.scope, canon.per_check
    cross_division, inspection_date = canon.cross_division, canon.inspection_date
    quotas, divisions = canon.quotas, canon.divisions
    inspectors, conflicts = canon.inspectors, canon.conflicts
    head = [
        ALGORITHM_VERSION,
        f"period\t{period}",
        "scope\t" + "\t".join(scope),
        f"inspectors_per_check\t{per_check}",
        f"cross_division\t{'yes' if cross_division else 'no'}",
        f"inspection_date\t{inspection_date.isoformat()}",
    ]
    head += [f"quota\t{q.category}\t{q.kind}\t{q.text}" for q in quotas]
    head += [f"division\t{c}\t{p or '-'}" for c, p in divisions]
    parts = [
        "\n".join(head) + "\n",
        _lines("entity", entity_rows, rows=True),
        _lines(
            "inspector",
            (
                [i for i, _, _ in inspectors],
                [d for _, d, _ in inspectors],
                [x.isoformat() if x else "-" for _, _, x in inspectors],
            ),
        ),
        _lines("conflict", ([p for p, _ in conflicts], [e for _, e in conflicts])),
        _lines("previous", (previous_lines,)),
    ]
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DrawError("invalid_value", "inputs", f"含无法以 UTF-8 编码的字符：{exc}") from None


def canonical_document(inputs: DrawInputs) -> bytes:
    """The frozen pools and plan as the canonical document (what to store and publish)."""
    return canonicalise(inputs).document


def inputs_from_document(document: bytes, seed: str) -> DrawInputs:
    """Parse a canonical document back; rejects anything that is not exactly canonical."""
    return _parse(document, seed)[0]


def parse_document(document: bytes, seed: str) -> Canonical:
    """The canonical form of a stored or published document, validated as `canonicalise`
    does (what `verify_document` draws from, without canonicalising twice)."""
    return _parse(document, seed, want_inputs=False)[1]


def _block_span(body: str, tag: str) -> tuple[int, int] | None:
    """Where the lines of `tag` lie in the document body (not the first line), or None."""
    first, last = body.find(f"\n{tag}\t"), body.rfind(f"\n{tag}\t")
    if first < 0:
        return None
    end = body.find("\n", last + 1)
    return first, len(body) if end < 0 else end


def _block_columns(
    body: str, tag: str, width: int, bad: Callable[[int, str], None]
) -> tuple[list[str], ...]:
    """The fields of the block of `tag` lines as `width` columns; the block must hold only
    `tag` lines of width + 1 fields (the byte comparison at the end checks the rest)."""
    span = _block_span(body, tag)
    if span is None:
        return tuple([] for _ in range(width))
    flat = body[span[0] + 1 : span[1]].replace("\n", "\t").split("\t")
    step = width + 1
    if len(flat) % step or flat[0::step].count(tag) != len(flat) // step:
        bad(0, f"{tag} 行的字段数不对，或 {tag} 行之间夹有其他行。")
    return tuple(flat[i::step] for i in range(1, step))


def _without_block(body: str, tag: str) -> str:
    span = _block_span(body, tag)
    return body if span is None else body[: span[0]] + body[span[1] :]


# The inputs come back exactly when they are asked for: the overloads say so to callers.
@overload
def _parse(
    document: bytes, seed: str, want_inputs: Literal[True] = True
) -> tuple[DrawInputs, Canonical]: ...
@overload
def _parse(document: bytes, seed: str, want_inputs: Literal[False]) -> tuple[None, Canonical]: ...
def _parse(
    document: bytes, seed: str, want_inputs: bool = True
) -> tuple[DrawInputs | None, Canonical]:
    """Read the document's fields back, canonicalise them and require the same bytes."""

    def bad(line_no: int, why: str) -> None:
        _fail("not_canonical", f"document:{line_no}", why)

    try:
        text = document.decode("utf-8")
    except UnicodeDecodeError:
        bad(0, "不是 UTF-8 文本。")
    if not text.endswith("\n"):
        bad(0, "最后一行应以换行结束。")
    # The entity, conflict and previous lines (nearly all of it) are each one block in a
    # canonical document: cut out by first and last line and split into fields at once.
    rest = text[:-1]
    ids, cats, divs = _block_columns(rest, "entity", 3, bad)
    rest = _without_block(rest, "entity")
    conflict_cols = _block_columns(rest, "conflict", 2, bad)
    rest = _without_block(rest, "conflict")
    previous_cols = _block_columns(rest, "previous", 2, bad)
    rest = _without_block(rest, "previous")
    all_lines = rest.split("\n")
    lines = [ln.split("\t") for ln in all_lines[:6]]
    if lines[0] != [ALGORITHM_VERSION]:
        bad(1, f"首行应为 {ALGORITHM_VERSION}。")
    head = {}
    for n, key in enumerate(
        ("period", "scope", "inspectors_per_check", "cross_division", "inspection_date"), start=1
    ):
        if len(lines) <= n or lines[n][0] != key or len(lines[n]) < 2:
            bad(n + 1, f"应为 {key} 行。")
        head[key] = lines[n][1:]
    try:
        day = datetime.date.fromisoformat(head["inspection_date"][0])
        per_check = int(head["inspectors_per_check"][0])
    except ValueError:
        bad(6, "日期或人数格式不对。")
    quotas, divisions, inspectors = [], {}, []
    previous: dict[str, list[str]] = {}
    shape = {"quota": 4, "division": 3, "inspector": 4}
    for n, line in enumerate(all_lines[6:], start=7):  # numbered without the three blocks
        f = line.split("\t")
        if shape.get(f[0]) != len(f):
            bad(n, f"无法识别的行：{line[:80]}")
        if f[0] == "quota":
            if f[2] == "share" and _SHARE.fullmatch(f[3]):
                quotas.append(Quota(f[1], share=f[3]))
            elif f[2] == "count" and _COUNT.fullmatch(f[3]):
                quotas.append(Quota(f[1], count=int(f[3])))
            else:
                bad(n, "quota 行格式不对。")
        elif f[0] == "division":
            divisions[f[1]] = None if f[2] == "-" else f[2]
        elif f[0] == "inspector":
            try:
                expiry = None if f[3] == "-" else datetime.date.fromisoformat(f[3])
            except ValueError:
                expiry = None
            if f[3] != "-" and (expiry is None or not _DATE.fullmatch(f[3])):
                bad(n, "证件有效期格式不对。")
            inspectors.append(Inspector(f[1], f[2], expiry))
    conflicts = list(map(Conflict, *conflict_cols))
    for entity_id, inspector_id in zip(*previous_cols):
        previous.setdefault(entity_id, []).append(inspector_id)
    if head["cross_division"] not in (["yes"], ["no"]):
        bad(5, "cross_division 应为 yes 或 no。")
    plan = Plan(
        "\t".join(head["period"]),
        tuple(head["scope"]),
        tuple(quotas),
        per_check,
        head["cross_division"] == ["yes"],
    )
    inputs = DrawInputs(plan, (), inspectors, day, seed, conflicts, previous, divisions)
    canon = canonicalise(inputs, (ids, cats, divs))
    if canon.document != document:
        bad(0, "文档不是规范形式（顺序、重复或多余的行）；请使用原始发布的文件。")
    if want_inputs:
        inputs = dataclasses.replace(inputs, entities=list(map(Entity, ids, cats, divs)))
    return (inputs if want_inputs else None), canon


def result_document(result: DrawResult) -> bytes:
    lines = [
        RESULT_FORMAT,
        f"algorithm\t{result.algorithm_version}",
        f"input_hash\t{result.input_hash}",
        f"seed\t{result.seed}",
    ]
    lines += [f"tally\t{t.category}\t{t.frame_size}\t{t.drawn}" for t in result.tallies]
    lines += [
        "\t".join(("check", c.category, str(c.rank), c.entity_id, *c.inspector_ids))
        for c in result.checks
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def result_hash(result: DrawResult) -> str:
    """SHA-256 of the result document, from the result's fields (its own result_hash aside)."""
    return hashlib.sha256(result_document(result)).hexdigest()
