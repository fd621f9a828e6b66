"""Keyed hash chains: the one link hash of every chain, the chain key, and the chain registry.

The security audit log (`ecogov.core.audit`) and each penalty case's full-process record
(`ecogov.enforcement.chain`) are chains of rows where

    hash = HMAC-SHA256(link key, previous hash + canonical JSON of the row)

The key lives outside the database (`ECOGOV_CHAIN_KEY`, or the file `ECOGOV_CHAIN_KEY_FILE`,
created with mode 0600 on first use): whoever can write to the database but does not hold the
key cannot recompute a rewritten chain. Against someone who also holds the key, the chain
heads are anchored (`ecogov.core.anchors`, `ecogov audit anchor`) and the anchors kept outside
the system. The chains start keyed from their first row; see docs/security.md, "哈希链与锚定".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection

GENESIS_HASH = "0" * 64
MIN_KEY_LENGTH = 32  # characters of ECOGOV_CHAIN_KEY or of the key file
_LINK = b"ecogov chain link v1"  # each purpose its own key derived from the chain key
_ANCHOR = b"ecogov chain anchor v1"
_FINGERPRINT = b"ecogov chain key fingerprint v1"


# --- canonical form ---------------------------------------------------------------------------
def plain(value):
    """A value as JSON writes it in a chain: money to the cent, moments in UTC, dates in ISO."""
    if isinstance(value, Decimal):
        return format(value.quantize(Decimal("0.01")), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(data) -> bytes:
    return json.dumps(
        data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=plain
    ).encode()


# --- the key ----------------------------------------------------------------------------------
@cache
def _chain_key() -> bytes:
    configured = (settings.ECOGOV_CHAIN_KEY or "").strip()
    if configured:
        key, source = configured, "环境变量 ECOGOV_CHAIN_KEY"
    else:
        path = Path(settings.ECOGOV_CHAIN_KEY_FILE)
        key, source = _read_key_file(path), f"密钥文件 {path}"
    if len(key) < MIN_KEY_LENGTH:
        raise ImproperlyConfigured(
            f"哈希链密钥({source})太短:至少 {MIN_KEY_LENGTH} 个字符,现为 {len(key)} 个。"
        )
    return key.encode()


def _read_key_file(path: Path) -> str:
    if not path.exists():
        _create_key_file(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"哈希链密钥文件 {path} 的权限为 {mode:o},其他用户也能读取;"
            f"请改为只有本系统的运行账户可读(chmod 600 {path})。"
        )
    return path.read_text(encoding="ascii").strip()


def _create_key_file(path: Path) -> None:
    """A new random key, mode 0600; written aside and linked into place, so that two processes
    starting at once end up with the same key (the second keeps the first one's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, aside = tempfile.mkstemp(dir=path.parent, prefix=".chain-key-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(aside)


@cache
def _derived_key(purpose: bytes) -> bytes:
    return hmac.new(_chain_key(), purpose, hashlib.sha256).digest()


def _forget_key(*, setting, **kwargs):
    if setting in {"ECOGOV_CHAIN_KEY", "ECOGOV_CHAIN_KEY_FILE"}:
        _chain_key.cache_clear()
        _derived_key.cache_clear()


setting_changed.connect(_forget_key, dispatch_uid="ecogov-chain-key")


# --- links and signatures ---------------------------------------------------------------------
def link_hash(prev_hash: str, body: bytes) -> str:
    """The hash of a chain row: HMAC-SHA256 over the previous hash and the row's canonical JSON."""
    return hmac.new(_derived_key(_LINK), prev_hash.encode() + body, hashlib.sha256).hexdigest()


def link_problem(prev_hash: str, body: bytes, stored: str) -> str:
    """'' when `stored` is the row's keyed hash; otherwise what is wrong with it, in Chinese."""
    if hmac.compare_digest(link_hash(prev_hash, body), stored or ""):
        return ""
    if hashlib.sha256(prev_hash.encode() + body).hexdigest() == stored:
        return (
            "哈希是不带密钥的 sha256,不是用本系统的链密钥计算的:记录被改写后重算了哈希"
            "(或写于启用链密钥之前)"
        )
    return "内容与哈希不符,该条记录被改动"


def sign(data: bytes) -> str:
    """An anchor's signature: HMAC-SHA256 with a key derived from the chain key."""
    return hmac.new(_derived_key(_ANCHOR), data, hashlib.sha256).hexdigest()


def signature_ok(data: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(data), signature or "")


def key_fingerprint() -> str:
    """Names the chain key without giving it away (a key derived for this alone; the chain
    rows' hashes already show as much of the key as this does). A backup records it, so that a
    restore can tell before it starts whether this system holds the key its chains were made
    with (ecogov.core.backup)."""
    return hmac.new(_derived_key(_FINGERPRINT), b"", hashlib.sha256).hexdigest()[:16]


def serialise(lock_key: int) -> None:
    """Inside a transaction: one writer at a time across processes (PostgreSQL advisory lock;
    SQLite serialises writers itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key])


# --- the registry of chains (each area registers its own in AppConfig.ready) ------------------
@dataclass(frozen=True)
class Chain:
    """A kind of chain that anchors cover. A kind may hold many chains (one per case), each
    named by a `link` string.

    heads(): {link: (length, last hash)} of every non-empty chain, as stored now.
    hashes_at(pairs): {(link, position): stored hash} for the pairs that exist.
    check(links): '' or the first problem of those chains (verified before they are anchored).
    describe(link): the chain named for people ("安全审计日志", "案件 示环罚〔2020〕12号").
    """

    name: str
    heads: Callable[[], dict[str, tuple[int, str]]]
    hashes_at: Callable[[Iterable[tuple[str, int]]], dict[tuple[str, int], str]]
    check: Callable[[list[str]], str]
    describe: Callable[[str], str]


_CHAINS: dict[str, Chain] = {}


def register_chain(
    name: str,
    *,
    heads: Callable[[], dict[str, tuple[int, str]]],
    hashes_at: Callable[[Iterable[tuple[str, int]]], dict[tuple[str, int], str]],
    check: Callable[[list[str]], str],
    describe: Callable[[str], str],
) -> None:
    _CHAINS[name] = Chain(name, heads, hashes_at, check, describe)


def chains() -> list[Chain]:
    return [_CHAINS[name] for name in sorted(_CHAINS)]


def chain(name: str) -> Chain | None:
    return _CHAINS.get(name)
