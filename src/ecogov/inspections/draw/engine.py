"""The draw and its verification (docs/draw-algorithm.md §3–§5), optimised.

`reference.py` is the same algorithm written plainly from the document; the tests hold the
two equal. Where the time goes at 200,000 entities: one SHA-256 per entity in scope (its
block 0 holds the selection score and the first three words of its inspector stream;
hashlib, ~1 µs each); the rest is numpy over columns. Eligible inspectors are listed once
per division, not per entity, and recusal becomes a few positions to skip in that list.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from struct import Struct
from typing import Any

import numpy as np

from .canonical import Canonical, canonicalise, parse_document
from .model import (
    ALGORITHM_VERSION,
    CategoryTally,
    Check,
    Difference,
    DrawError,
    DrawInputs,
    DrawResult,
    VerifyReport,
)

_WORDS = Struct(">4Q")
_TWO64 = 1 << 64
_U64_MAX = np.uint64(_TWO64 - 1)
_PAD = np.iinfo(np.int64).max  # fills short rows of the skip matrix; never ≤ a position
_FAST_M = 3  # block 0 has 4 words: the score and 3 for picks; more picks take the slow path


def draw_key(seed: str, input_hash: str) -> bytes:
    """K = HMAC-SHA256(key = UTF-8(seed), msg = "ecogov-draw/1" NUL input_hash)."""
    msg = ALGORITHM_VERSION.encode("ascii") + b"\0" + input_hash.encode("ascii")
    return hmac.digest(seed.encode("utf-8"), msg, "sha256")


def block(key: bytes, entity_id: str, i: int) -> bytes:
    """Block i of an entity's stream: SHA-256(K ‖ UTF-8(id) ‖ NUL ‖ uint32be(i))."""
    return hashlib.sha256(key + entity_id.encode("utf-8") + b"\0" + i.to_bytes(4, "big")).digest()


def _first_blocks(key: bytes, ids: Sequence[str]) -> np.ndarray:
    """Block 0 of many entities as a (len(ids) × 4) array of 64-bit words."""
    state = hashlib.sha256(key)  # shared prefix, copied per id
    tail = b"\0" + bytes(4)
    out: list[bytes] = []
    append = out.append
    for i in ids:
        h = state.copy()
        h.update(i.encode("utf-8") + tail)
        append(h.digest())
    return np.frombuffer(b"".join(out), ">u8").reshape(-1, 4).astype(np.uint64)


class Stream:
    """An entity's inspector stream: the 64-bit big-endian words of its blocks 0, 1, 2, …
    from word 1 on (word 0 of block 0 is its selection score)."""

    __slots__ = ("_key", "_id", "_block", "_words", "_pos")

    def __init__(self, key: bytes, entity_id: str) -> None:
        self._key, self._id = key, entity_id
        self._block, self._words, self._pos = 0, _WORDS.unpack(block(key, entity_id, 0)), 1

    def word(self) -> int:
        if self._pos == 4:
            self._block += 1
            self._words, self._pos = _WORDS.unpack(block(self._key, self._id, self._block)), 0
        self._pos += 1
        return self._words[self._pos - 1]

    def below(self, n: int) -> int:
        """Uniform integer in [0, n): reject words ≥ 2^64 − (2^64 mod n), so no modulo bias."""
        limit = _TWO64 - _TWO64 % n
        while True:
            w = self.word()
            if w < limit:
                return w % n


def pick_positions(
    key: bytes, entity_id: str, n: int, m: int, skip: Iterable[int] = ()
) -> list[int]:
    """The scalar path: partial Fisher–Yates over n eligible inspectors (kept sparse, only
    moved cells stored), mapped to positions in the division list past the `skip` ones."""
    stream = Stream(key, entity_id)
    moved: dict[int, int] = {}
    out: list[int] = []
    for j in range(m):
        r = j + stream.below(n - j)
        e = moved.get(r, r)
        moved[r] = moved.get(j, j)
        for p in skip:  # sorted ascending
            if p > e:
                break
            e += 1
        out.append(e)
    return out


def _pick_fast(words: np.ndarray, n: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """pick_positions for many entities at once, from words 1–3 of block 0 (m ≤ 3).
    Returns eligible indices (k × m) and a mask of rows it could not settle (a rejected
    word or n < m); the caller redoes or reports those."""
    k = len(n)
    n = n.astype(np.uint64)
    ok = n >= m
    keys = np.empty((k, m), np.int64)
    vals = np.empty((k, m), np.int64)
    picks = np.empty((k, m), np.int64)
    for j in range(m):
        nj = np.where(n > j, n - np.uint64(j), np.uint64(1))  # rows with n ≤ j are not ok anyway
        w = words[:, j + 1]
        ok &= w <= _U64_MAX - (np.uint64(0) - nj) % nj  # (0 − nj) mod nj = 2^64 mod nj
        r = (w % nj).astype(np.int64) + j
        at_r, at_j = r.copy(), np.full(k, j, np.int64)
        for i in range(j):  # later moves win, as in the dict
            hit = keys[:, i] == r
            at_r[hit] = vals[hit, i]
            hit = keys[:, i] == j
            at_j[hit] = vals[hit, i]
        keys[:, j], vals[:, j], picks[:, j] = r, at_j, at_r
    return picks, ok


def _ancestry(canon: Canonical) -> dict[str, tuple[str, ...]]:
    parent = dict(canon.divisions)
    out: dict[str, tuple[str, ...]] = {}
    for code in parent:
        chain: list[str] = []
        c: str | None = code
        while c is not None:
            chain.append(c)
            c = parent[c]
        out[code] = tuple(chain)
    return out


def _quota_size(q: Any, frame: int) -> int:
    if q.kind == "count":
        if q.numerator > frame:
            raise DrawError(
                "pool_too_small",
                f"plan.quotas[{q.category}].count",
                f"类别 {q.category} 在检查范围内的抽查对象只有 {frame} 家，"
                f"少于计划抽取的 {q.numerator} 家。",
            )
        return q.numerator
    return -((-frame * q.numerator) // (100 * q.denominator))  # ceil(frame × share / 100)


def _frames(canon: Canonical, anc: Any) -> dict[str, np.ndarray]:
    """Entity positions (id order) per plan category, within the plan's scope."""
    scope = set(canon.scope)
    cats = np.array(canon.entity_categories, dtype=object)
    mask = None
    outside = {d for d, chain in anc.items() if scope.isdisjoint(chain)}
    if outside:
        divs = canon.entity_divisions
        mask = np.fromiter((d not in outside for d in divs), bool, len(divs))
    planned = {q.category for q in canon.quotas}
    stray = set(canon.entity_categories) - planned
    if stray:
        bad = np.fromiter((c in stray for c in canon.entity_categories), bool, len(cats))
        if mask is not None:
            bad &= mask
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            eid, cat = canon.entity_ids[i], canon.entity_categories[i]
            raise DrawError(
                "unknown_category",
                f"entities[{eid}].category",
                f"对象 {eid} 的类别“{cat}”未在计划中设定抽查比例或数量"
                f"（计划中的类别：{'、'.join(sorted(planned)) or '无'}）。",
            )
    out = {}
    for q in canon.quotas:
        hit = cats == q.category
        out[q.category] = np.flatnonzero(hit if mask is None else hit & mask)
    return out


def _compute(canon: Canonical, seed: str) -> DrawResult:
    key = draw_key(seed, canon.input_hash)
    anc = _ancestry(canon)
    ids = np.array(canon.entity_ids, dtype=object)
    tallies, drawn = [], []
    for q, frame in zip(canon.quotas, _frames(canon, anc).values()):
        k = _quota_size(q, len(frame))
        tallies.append(CategoryTally(q.category, len(frame), k))
        if k:
            words = _first_blocks(key, ids[frame].tolist())
            order = np.argsort(words[:, 0], kind="stable")[:k]  # score; ties stay in id order
            drawn.append((q.category, frame[order], words[order]))

    cats: list[str] = []
    ranks: list[int] = []
    for c, sel, _ in drawn:
        cats += [c] * len(sel)
        ranks += range(1, len(sel) + 1)
    sel = np.concatenate([s for _, s, _ in drawn]) if drawn else np.empty(0, np.int64)
    drawn_words = np.concatenate([w for _, _, w in drawn]) if drawn else None
    sel_ids = ids[sel].tolist()
    columns = _assign(canon, key, anc, sel, sel_ids, cats, drawn_words)  # one per inspector slot
    checks = tuple(map(Check, cats, ranks, sel_ids, zip(*columns)))

    head = [
        "ecogov-draw-result/1",
        f"algorithm\t{ALGORITHM_VERSION}",
        f"input_hash\t{canon.input_hash}",
        f"seed\t{seed}",
    ]
    head += [f"tally\t{t.category}\t{t.frame_size}\t{t.drawn}" for t in tallies]
    rows = "\ncheck\t".join(map("\t".join, zip(cats, map(str, ranks), sel_ids, *columns)))
    doc = "\n".join(head) + "\n" + (f"check\t{rows}\n" if checks else "")
    return DrawResult(
        ALGORITHM_VERSION,
        seed,
        canon.input_hash,
        tuple(tallies),
        checks,
        hashlib.sha256(doc.encode("utf-8")).hexdigest(),
    )


def _assign(
    canon: Canonical,
    key: bytes,
    anc: Any,
    sel: np.ndarray,
    sel_ids: list[str],
    cats: list[str],
    words: Any,
) -> list[list[str]]:
    m, day = canon.per_check, canon.inspection_date
    valid = [(pid, div) for pid, div, exp in canon.inspectors if exp is not None and exp >= day]
    if not len(sel):
        return [[] for _ in range(m)]  # nobody to assign: a short inspector pool is no error
    if len(valid) < m:
        raise DrawError(
            "inspector_pool_too_small",
            "inspectors",
            f"执法检查人员名录库中执法证在 {day.isoformat()} 有效的只有 {len(valid)} 人，"
            f"少于每次检查所需的 {m} 人。",
        )
    valid_ids = np.array([pid for pid, _ in valid], dtype=object)

    # One eligible list per division (before recusal): the inspectors of the division and
    # of its ancestors, in id order — or everyone when the plan allows cross-division.
    ent_divs = np.array(canon.entity_divisions, dtype=object)[sel].tolist()
    if canon.cross_division:
        lists = {None: list(range(len(valid)))}
        list_index = [0] * len(sel)
    else:
        by_div: dict[str, list[int]] = {}
        for v, (_, div) in enumerate(valid):
            by_div.setdefault(div, []).append(v)
        lists = {d: sorted(v for a in anc[d] for v in by_div.get(a, ())) for d in set(ent_divs)}
        number = {d: i for i, d in enumerate(lists)}
        list_index = list(map(number.__getitem__, ent_divs))
    starts = np.cumsum([0] + [len(v) for v in lists.values()])
    flat = np.array([v for vs in lists.values() for v in vs], np.int64)
    # (list, inspector) → position, by binary search: lists are concatenated, each ascending
    flat_keys = np.repeat(np.arange(len(lists)), np.diff(starts)) * len(valid) + flat
    list_of = np.array(list_index, np.int64)
    n = np.diff(starts)[list_of]

    # Recusal (conflicts, previous inspectors) as (row, position in the row's list) pairs;
    # np.unique drops doubles and sorts them by row, then position.
    row_of = dict(zip(sel_ids, range(len(sel_ids))))
    vindex = {pid: v for v, (pid, _) in enumerate(valid)}
    prev = canon.previous
    rec_e = [e for _, e in canon.conflicts] + [e for e in prev for _ in prev[e]]
    rec_p = [p for p, _ in canon.conflicts] + [p for e in prev for p in prev[e]]
    rows = np.array([row_of.get(e, -1) for e in rec_e], np.int64)
    vs = np.array([vindex.get(p, -1) for p in rec_p], np.int64)
    keep = (rows >= 0) & (vs >= 0)
    rows, vs = rows[keep], vs[keep]
    keys = list_of[rows] * len(valid) + vs
    at = np.minimum(np.searchsorted(flat_keys, keys), max(len(flat_keys) - 1, 0))
    found = flat_keys[at] == keys if len(flat_keys) else np.zeros(len(keys), bool)
    pairs = rows[found] * len(valid) + (at - starts[list_of[rows]])[found]
    skip_rows, skip = np.empty(0, np.int64), np.empty((0, 0), np.int64)
    if len(pairs):
        pr, pp = np.divmod(np.unique(pairs), len(valid))
        skip_rows, first, count = np.unique(pr, return_index=True, return_counts=True)
        n[skip_rows] -= count
        skip = np.full((len(skip_rows), int(count.max())), _PAD)  # row's positions, ascending
        skip[
            np.repeat(np.arange(len(skip_rows)), count),
            np.arange(len(pr)) - np.repeat(first, count),
        ] = pp

    redo: Sequence[int]  # the rows the scalar path assigns
    if m <= _FAST_M:
        picks, ok = _pick_fast(words, n, m)
        if len(skip_rows):  # eligible index → list position, stepping over recused positions
            sub = picks[skip_rows]
            for c in range(skip.shape[1]):
                sub += skip[:, c : c + 1] <= sub
            picks[skip_rows] = sub
        redo = np.flatnonzero(~ok).tolist()
    else:
        picks, redo = np.empty((len(sel), m), np.int64), range(len(sel))
    short = []
    for row in redo:
        if n[row] < m:
            short.append(row)
        else:
            k = np.searchsorted(skip_rows, row)
            s = (
                [p for p in skip[k].tolist() if p != _PAD]
                if k < len(skip_rows) and skip_rows[k] == row
                else []
            )
            picks[row] = pick_positions(key, sel_ids[row], int(n[row]), m, s)
    if short:
        row = short[0]
        more = f"；另有 {len(short) - 1} 个对象同样不足" if len(short) > 1 else ""
        raise DrawError(
            "no_eligible_inspector",
            f"entities[{sel_ids[row]}]",
            f"对象 {sel_ids[row]}（类别 {cats[row]}，行政区划 {ent_divs[row]}）回避后"
            f"可选的执法人员只有 {n[row]} 人，少于每次检查所需的 {m} 人{more}。",
        )
    who = valid_ids[flat[starts[list_of][:, None] + picks]]
    return [who[:, j].tolist() for j in range(m)]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The draw allocates ~10^6 short-lived tuples and strings and makes no reference cycles;
    the cyclic collector would rescan the whole heap many times over (~30 % of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def draw(inputs: DrawInputs) -> DrawResult:
    """Run the draw; raises DrawError (Chinese message, field named) on bad input."""
    return draw_with_document(inputs)[1]


def draw_with_document(inputs: DrawInputs) -> tuple[bytes, DrawResult]:
    """The canonical inputs document (to store and publish) and the draw, canonicalising
    once: at 200,000 entities building the document is a third of the engine's time."""
    with _gc_paused():
        canon = canonicalise(inputs)
        return canon.document, _compute(canon, inputs.seed)


def verify(inputs: DrawInputs, stored: DrawResult) -> VerifyReport:
    """Recompute the draw from `inputs` and compare it with `stored`, field by field."""
    return _verify(stored, lambda: draw(inputs))


def verify_document(document: bytes, seed: str, stored: DrawResult) -> VerifyReport:
    """Verify from the stored (or published) canonical document, parsing and canonicalising
    it once. Raises DrawError (code not_canonical, or a validation code) when the document
    can not be read back as exactly canonical: it was altered or damaged."""
    canon = parse_document(document, seed)
    return _verify(stored, lambda: _compute(canon, seed))


def _verify(stored: DrawResult, recompute: Callable[[], DrawResult]) -> VerifyReport:
    if stored.algorithm_version != ALGORITHM_VERSION:
        version = Difference(
            "algorithm_version",
            stored.algorithm_version,
            ALGORITHM_VERSION,
            f"存储结果的算法版本为 {stored.algorithm_version}，本程序实现的是 "
            f"{ALGORITHM_VERSION}，无法复核。",
        )
        return VerifyReport(False, version.message, version)
    try:
        with _gc_paused():
            again = recompute()
    except DrawError as exc:
        return VerifyReport(
            False, f"无法按存储的输入重新抽取：{exc.message}（{exc.field}）", error=exc
        )
    with _gc_paused():
        diff = first_difference(stored, again)
    if diff is None:
        return VerifyReport(
            True,
            f"复核通过：结果与算法 {ALGORITHM_VERSION} 重新计算的一致"
            f"（{len(again.checks)} 条检查）。",
            None,
            again,
        )
    return VerifyReport(False, f"复核不通过：{diff.message}", diff, again)


_NAMES = {
    "input_hash": "输入哈希（冻结的名录库和计划）",
    "seed": "随机种子",
    "result_hash": "结果哈希",
}


def first_difference(stored: DrawResult, again: DrawResult) -> Difference | None:
    """The first field where `stored` differs from `again`, in document order."""
    for f in ("input_hash", "seed"):
        a, b = getattr(stored, f), getattr(again, f)
        if a != b:
            return Difference(f, a, b, f"{_NAMES[f]}不同：存储为 {a}，按输入计算为 {b}。")
    for name, xs, ys in (
        ("tallies", stored.tallies, again.tallies),
        ("checks", stored.checks, again.checks),
    ):
        if tuple(xs) == tuple(ys) or (len(xs) == len(ys) and all(map(_same, xs, ys))):
            continue
        i = next(
            (i for i, (a, b) in enumerate(zip(xs, ys)) if not _same(a, b)), min(len(xs), len(ys))
        )
        a = xs[i] if i < len(xs) else None
        b = ys[i] if i < len(ys) else None
        field = f"{name}[{i}]"
        if a is not None and b is not None:
            field += "." + next(f for f in b.__slots__ if _field(a, f) != _field(b, f))
        what = "类别统计" if name == "tallies" else "检查"
        return Difference(
            field,
            _show(a),
            _show(b),
            f"第 {i + 1} 条{what}（{field}）不同：存储为 {_show(a)}，重新计算为 {_show(b)}。",
        )
    if stored.result_hash != again.result_hash:
        return Difference(
            "result_hash",
            stored.result_hash,
            again.result_hash,
            f"{_NAMES['result_hash']}不同：存储为 {stored.result_hash}，"
            f"重新计算为 {again.result_hash}。",
        )
    return None


def _field(x: Any, name: str) -> Any:
    v = getattr(x, name, None)
    return tuple(v) if name == "inspector_ids" and v is not None else v


def _same(a: Any, b: Any) -> bool:
    """Equal, accepting a list where the result has a tuple (rows rebuilt from a database)."""
    return a == b or all(_field(a, f) == _field(b, f) for f in b.__slots__)


def _show(x: Any) -> str:
    if x is None:
        return "（无）"
    if isinstance(x, CategoryTally):
        return f"{x.category} 范围内 {x.frame_size} 家、抽取 {x.drawn} 家"
    return f"{x.category} 第 {x.rank} 名 {x.entity_id} ← {'、'.join(x.inspector_ids)}"
