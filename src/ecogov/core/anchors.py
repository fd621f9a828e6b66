"""Signed anchors of the chain heads: made daily, checked against the chains, exported.

An anchor lists, for every registered chain (ecogov.core.chains), the heads that moved since
the previous anchor, and carries the previous anchor's hash:

    body      = {format, seq, day, made_at, made_by, prev_hash, heads: [[chain, link, position, hash], …]}
    hash      = sha256(canonical JSON of body)
    signature = HMAC-SHA256(anchor key derived from the chain key, hash)

The anchors form a chain of their own, so one anchor kept outside the system vouches for all
anchors before it, and through them for every row they anchored: if a row before an anchored
position is rewritten, the stored hash at that position changes, even when the rewriter holds
the chain key and recomputed the chain. See docs/security.md, "哈希链与锚定".
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from ecogov.core.chains import (
    GENESIS_HASH,
    canonical_json,
    chain,
    chains,
    plain,
    serialise,
    sign,
    signature_ok,
)
from ecogov.core.models import ChainAnchor, ChainAnchorHead

FORMAT = "ecogov-chain-anchor/1"
_LOCK_KEY = 0x45434F41  # "ECOA": one anchor at a time across processes
_BODY = ("format", "seq", "day", "made_at", "made_by", "prev_hash", "heads")


@dataclass(frozen=True)
class AnchorReport:
    count: int
    problem: str = ""


def body_of(anchor: ChainAnchor, heads=None) -> dict:
    heads = anchor.heads.all() if heads is None else heads
    return {
        "format": FORMAT,
        "seq": anchor.seq,
        "day": anchor.day.isoformat(),
        "made_at": plain(anchor.made_at),
        "made_by": anchor.made_by,
        "prev_hash": anchor.prev_hash,
        "heads": sorted([h.chain, h.link, h.position, h.hash] for h in heads),
    }


def hash_of(body: dict) -> str:
    return hashlib.sha256(canonical_json(body)).hexdigest()


def export(anchor: ChainAnchor) -> bytes:
    """The anchor as a small signed JSON text, to be kept outside the system."""
    data = {**body_of(anchor), "hash": anchor.hash, "signature": anchor.signature}

    def line(value):
        return json.dumps(value, ensure_ascii=False)

    heads = ",\n".join(f"  {line(head)}" for head in data.pop("heads"))
    fields = [f" {line(key)}: {line(value)}" for key, value in data.items()]
    fields.insert(_BODY.index("heads"), f' "heads": [\n{heads}\n ]' if heads else ' "heads": []')
    return ("{\n" + ",\n".join(fields) + "\n}\n").encode()


def filename(anchor: ChainAnchor) -> str:
    return f"ecogov-anchor-{anchor.seq:05d}-{anchor.day.isoformat()}.json"


# --- making -----------------------------------------------------------------------------------
def make(*, made_by: str) -> ChainAnchor:
    """Anchor the heads that moved since the last anchor. Call inside a transaction (the
    service `anchor_make` does). Refused, naming the problem, while an earlier anchor or a
    moved chain does not verify: an anchor vouches only for intact chains."""
    serialise(_LOCK_KEY)
    report = verify_anchors()
    if report.problem:
        raise ValidationError(f"未生成锚点:已有锚点校验未通过。{report.problem}")
    anchored = {
        (row["chain"], row["link"]): row["position"]
        for row in ChainAnchorHead.objects.values("chain", "link").annotate(
            position=Max("position")
        )
    }
    moved = []
    for kind in chains():
        heads = kind.heads()
        links = sorted(
            link
            for link, (length, _h) in heads.items()
            if anchored.get((kind.name, link)) != length
        )
        if not links:
            continue
        problem = kind.check(links)
        if problem:
            raise ValidationError(f"未生成锚点:{problem}")
        moved += [(kind.name, link, *heads[link]) for link in links]
    last = ChainAnchor.objects.order_by("-seq").first()
    now = timezone.now()
    anchor = ChainAnchor(
        seq=(last.seq if last else 0) + 1,
        day=timezone.localdate(now),
        made_at=now,
        made_by=made_by,
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    heads = [ChainAnchorHead(chain=c, link=link, position=p, hash=h) for c, link, p, h in moved]
    anchor.hash = hash_of(body_of(anchor, heads))
    anchor.signature = sign(anchor.hash.encode())
    anchor.save()
    for head in heads:
        head.anchor = anchor
    ChainAnchorHead.objects.bulk_create(heads, batch_size=1000)
    return anchor


# --- verifying --------------------------------------------------------------------------------
def verify_anchors() -> AnchorReport:
    """Every anchor: unbroken sequence, linked to the previous one, body matching its hash,
    signature valid, and every head it lists still the stored hash at that position."""
    prev_hash, expected, count = GENESIS_HASH, 1, 0
    listed = []
    for anchor in ChainAnchor.objects.order_by("seq").prefetch_related("heads").iterator(200):
        name = f"第 {anchor.seq} 号锚点({anchor.day.isoformat()})"
        if anchor.seq != expected:
            return AnchorReport(count, f"缺少第 {expected} 号锚点:锚点记录被删除。")
        if anchor.prev_hash != prev_hash:
            return AnchorReport(count, f"{name}记录的前一锚点哈希不符:前一锚点被改动或删除。")
        heads = list(anchor.heads.all())
        if hash_of(body_of(anchor, heads)) != anchor.hash:
            return AnchorReport(count, f"{name}的内容与其哈希不符:锚点被改动。")
        if not signature_ok(anchor.hash.encode(), anchor.signature):
            return AnchorReport(
                count, f"{name}的签名不符:锚点被改动,或不是用本系统的链密钥签发的。"
            )
        listed += [(name, head.chain, head.link, head.position, head.hash) for head in heads]
        prev_hash, expected, count = anchor.hash, expected + 1, count + 1
    return AnchorReport(count, _heads_problem(listed))


def verify_file(text: str | bytes) -> tuple[str, str]:
    """An exported anchor against the system: (the anchor named, '' or the problem).

    The file must be intact and signed with this system's key, the anchor of the same number
    in the database must be the same, and every head it lists must still be in the chains."""
    data, problem = _read_file(text)
    if problem:
        return "", problem
    name = f"第 {data['seq']} 号锚点,{data['day']}"
    body = {key: data[key] for key in _BODY}
    if hash_of(body) != data["hash"]:
        return name, f"锚点文件({name})的内容与其哈希不符:文件被改动。"
    if not signature_ok(str(data["hash"]).encode(), str(data["signature"])):
        return name, (
            f"锚点文件({name})的签名不符:文件被改动,或不是用本系统的链密钥签发的(链密钥被更换?)。"
        )
    stored = ChainAnchor.objects.filter(seq=data["seq"]).first()
    if stored is None:
        return name, f"系统中没有锚点文件里的第 {data['seq']} 号锚点:锚点记录被删除。"
    if stored.hash != data["hash"]:
        return name, (
            f"系统中的第 {data['seq']} 号锚点与锚点文件({name})不符:"
            "锚点记录被改写(连同其锚定的记录)。"
        )
    listed = [(f"锚点文件({name})", c, link, p, h) for c, link, p, h in data["heads"]]
    return name, _heads_problem(listed)


def _read_file(text: str | bytes) -> tuple[dict, str]:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return {}, "锚点文件不是有效的 JSON 文本。"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, f"锚点文件的格式不对:应为本系统导出的锚点(format 为 {FORMAT})。"
    missing = [key for key in (*_BODY, "hash", "signature") if key not in data]
    if missing:
        return {}, f"锚点文件缺少字段:{'、'.join(missing)}。"
    if not isinstance(data["seq"], int) or isinstance(data["seq"], bool):
        return {}, "锚点文件的 seq 字段应为锚点序号(整数)。"
    texts = ("day", "made_at", "made_by", "prev_hash", "hash", "signature")
    wrong = [key for key in texts if not isinstance(data[key], str)]
    if wrong:
        return {}, f"锚点文件的字段应为文本:{'、'.join(wrong)}。"
    heads = data["heads"]
    if not isinstance(heads, list) or not all(
        isinstance(h, list)
        and len(h) == 4
        and isinstance(h[2], int)
        and all(isinstance(v, str) for v in (h[0], h[1], h[3]))
        for h in heads
    ):
        return {}, "锚点文件的 heads 字段不对:每项应为 [链, 链内编号, 位置, 哈希]。"
    return data, ""


def _heads_problem(listed: list[tuple[str, str, str, int, str]]) -> str:
    """The first anchored head whose position no longer holds the anchored hash."""
    wanted = defaultdict(set)
    for _name, kind, link, position, _hash in listed:
        wanted[kind].add((link, position))
    stored = {}
    for kind, pairs in wanted.items():
        registered = chain(kind)
        if registered is None:
            return f"锚点中的链“{kind}”在本系统中不存在。"
        stored.update({(kind, *pair): h for pair, h in registered.hashes_at(pairs).items()})
    for name, kind, link, position, anchored_hash in listed:
        what = chain(kind).describe(link)
        found = stored.get((kind, link, position))
        if found is None:
            return f"{what}的第 {position} 条已不存在({name}锚定时有 {position} 条):记录被删除。"
        if found != anchored_hash:
            return (
                f"{what}第 {position} 条的哈希与{name}不符:"
                "该条或其前的记录在锚定后被改写,哈希被重算。"
            )
    return ""
