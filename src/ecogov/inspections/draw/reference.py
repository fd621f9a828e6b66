"""A plain re-implementation of docs/draw-algorithm.md, as a third party would write it.

It reads the published canonical document and the seed, uses only the standard library,
and makes no attempt at speed (it scans every inspector for every drawn entity). The tests
hold `engine.draw` equal to it; the benchmark uses it as the naive baseline. It assumes a
valid document (validation is the engine's job) and raises RuntimeError on a shortfall.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from fractions import Fraction

VERSION = "ecogov-draw/1"


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _below(words: Iterator[int], n: int, note: list | None = None) -> int:
    limit = 2**64 - 2**64 % n
    for w in words:
        if note is not None:
            note.append(w)
        if w < limit:
            return w % n
    raise AssertionError("the stream is endless")


def _words(k: bytes, entity_id: str) -> Iterator[int]:
    """The entity's words: block i = SHA-256(K ‖ id ‖ NUL ‖ uint32be(i)), 8 bytes a word."""
    block = 0
    while True:
        d = _sha(k + entity_id.encode() + b"\0" + block.to_bytes(4, "big"))
        for j in range(4):
            yield int.from_bytes(d[8 * j : 8 * j + 8], "big")
        block += 1


def run(
    document: bytes,
    seed: str,
    inspectors_scan_limit: int | None = None,
    trace: list[str] | None = None,
) -> bytes:
    """The result document for (document, seed). `inspectors_scan_limit` caps how many drawn
    entities get inspectors (the benchmark times a subset); None means all. `trace`, if
    given, receives the intermediate values (the worked example of the document)."""
    say = trace.append if trace is not None else (lambda line: None)
    input_hash = hashlib.sha256(document).hexdigest()
    k = hmac.new(seed.encode(), VERSION.encode() + b"\0" + input_hash.encode(), "sha256").digest()
    say(f"K = {k.hex()}")
    head, quotas, parent, entities, inspectors, recused = {}, {}, {}, [], [], set()
    for line in document.decode().split("\n")[:-1]:
        f = line.split("\t")
        if f[0] == "quota":
            quotas[f[1]] = (f[2], Fraction(f[3]))
        elif f[0] == "division":
            parent[f[1]] = None if f[2] == "-" else f[2]
        elif f[0] == "entity":
            entities.append((f[1], f[2], f[3]))
        elif f[0] == "inspector":
            inspectors.append((f[1], f[2], f[3]))
        elif f[0] == "conflict":
            recused.add((f[1], f[2]))
        elif f[0] == "previous":
            recused.add((f[2], f[1]))
        else:
            head[f[0]] = f[1:]
    day, m = head["inspection_date"][0], int(head["inspectors_per_check"][0])
    cross = head["cross_division"] == ["yes"]

    def within(code: str | None, area: str) -> bool:  # is `code` the division `area` or below it?
        while code is not None:
            if code == area:
                return True
            code = parent[code]
        return False

    tallies: list[str] = []
    checks: list[str] = []
    for cat in sorted(quotas, key=str.encode):
        frame = [e for e in entities if e[1] == cat and any(within(e[2], s) for s in head["scope"])]
        kind, value = quotas[cat]
        n = int(value) if kind == "count" else -((-len(frame) * value) // 100)
        if n > len(frame):
            raise RuntimeError(f"pool too small for {cat}")
        frame.sort(key=lambda e: (next(_words(k, e[0])), e[0].encode()))  # word 0: the score
        tallies.append(f"tally\t{cat}\t{len(frame)}\t{n}")
        say(f"{cat}: frame {len(frame)}, draw {n}")
        for rank, (eid, _, _) in enumerate(frame, start=1):
            say(f"  {rank}. {eid} score {next(_words(k, eid)):016x}")
        for rank, (eid, _, div) in enumerate(frame[:n], start=1):
            if inspectors_scan_limit is not None and len(checks) >= inspectors_scan_limit:
                break
            eligible = [
                pid
                for pid, pdiv, exp in inspectors  # already in id order
                if exp != "-"
                and exp >= day  # ISO dates compare as text
                and (cross or within(div, pdiv))
                and (pid, eid) not in recused
            ]
            if len(eligible) < m:
                raise RuntimeError(f"no eligible inspector for {eid}")
            words = _words(k, eid)
            next(words)  # word 0 was the score
            say(f"{eid}: eligible {' '.join(eligible)} (n = {len(eligible)})")
            for j in range(m):
                used: list[int] = []
                r = j + _below(words, len(eligible) - j, used)
                eligible[j], eligible[r] = eligible[r], eligible[j]
                say(
                    f"  j = {j}: w = {' '.join(f'{w:016x}' for w in used)}, "
                    f"r = {j} + w mod {len(eligible) - j} = {r} → {eligible[j]}"
                )
            checks.append("\t".join(["check", cat, str(rank), eid, *eligible[:m]]))
    lines = [
        "ecogov-draw-result/1",
        f"algorithm\t{VERSION}",
        f"input_hash\t{input_hash}",
        f"seed\t{seed}",
        *tallies,
        *checks,
    ]
    return ("\n".join(lines) + "\n").encode()
