"""Personal data encrypted at rest: the field keys, AES-256-GCM tokens and blind indexes.

A value of an encrypted field (`ecogov.core.fields.EncryptedTextField`) is stored as

    pii1:<key id>:<base64url(nonce ‖ AES-256-GCM(ciphertext ‖ tag))>

with the field's name as associated data (a token copied into another column does not
decrypt). The keys come from the environment, never from the database:

- `ECOGOV_FIELD_KEY`: one or more keys separated by commas, newest first; it wins;
- else the file `ECOGOV_FIELD_KEY_FILE` (default `$ECOGOV_VAR_DIR/field.key`), one key a line,
  newest first; created with mode 0600 on first use outside production (production refuses
  to start without a key: `ecogov/settings/production.py`).

The newest key encrypts; every listed key decrypts (key rotation: put a new key first,
run `ecogov fieldkey rotate`, then drop the old one). Each key (at least 32 characters) is
the secret from which the AES key, the blind-index key and the key id are derived.

A blind index is HMAC-SHA256(index key, kind + normalised value), 32 hex characters, stored
beside the ciphertext so that equality search works in SQL (`blind_indexes` gives the value's
index under every listed key). See docs/security.md, "个人信息加密存储".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from ecogov.core.chains import _create_key_file

PREFIX = "pii1"
MIN_KEY_LENGTH = 32
INDEX_LENGTH = 32  # hex characters of a blind index (128 bits)
_AES = b"ecogov field encryption v1"
_INDEX = b"ecogov blind index v1"
_KEY_ID = b"ecogov field key id v1"


class DecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key, altered or not a token."""


@dataclass(frozen=True)
class FieldKey:
    id: str  # 8 hex characters, written into every token
    aes: bytes
    index: bytes


def _derive(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def make_key(secret: str) -> FieldKey:
    return FieldKey(
        id=_derive(secret, _KEY_ID).hex()[:8],
        aes=_derive(secret, _AES),
        index=_derive(secret, _INDEX),
    )


def generate_secret() -> str:
    return secrets.token_hex(32)


@cache
def keys() -> tuple[FieldKey, ...]:
    """The configured keys, newest first (raises ImproperlyConfigured, naming the source)."""
    configured = (getattr(settings, "ECOGOV_FIELD_KEY", "") or "").strip()
    if configured:
        source, secrets_ = "环境变量 ECOGOV_FIELD_KEY", configured.split(",")
    else:
        path = Path(settings.ECOGOV_FIELD_KEY_FILE)
        source, secrets_ = f"密钥文件 {path}", _read_key_file(path).splitlines()
    secrets_ = [s.strip() for s in secrets_ if s.strip() and not s.strip().startswith("#")]
    if not secrets_:
        raise ImproperlyConfigured(f"个人信息加密密钥({source})为空。")
    for number, secret in enumerate(secrets_, 1):
        if len(secret) < MIN_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"个人信息加密密钥({source})第 {number} 个太短:"
                f"至少 {MIN_KEY_LENGTH} 个字符,现为 {len(secret)} 个。"
            )
    made = tuple(make_key(s) for s in secrets_)
    if len({k.id for k in made}) != len(made):
        raise ImproperlyConfigured(f"个人信息加密密钥({source})中有重复的密钥。")
    return made


def _read_key_file(path: Path) -> str:
    if not path.exists():
        if not getattr(settings, "ECOGOV_FIELD_KEY_CREATE", True):
            raise ImproperlyConfigured(
                f"没有个人信息加密密钥:请设置环境变量 ECOGOV_FIELD_KEY,或把密钥放到 {path}"
                "(权限 600;docs/security.md,个人信息加密存储)。"
            )
        _create_key_file(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"个人信息加密密钥文件 {path} 的权限为 {mode:o},其他用户也能读取;"
            f"请改为只有本系统的运行账户可读(chmod 600 {path})。"
        )
    return path.read_text(encoding="ascii")


def key_ids() -> list[str]:
    return [k.id for k in keys()]


def _forget(*, setting, **kwargs):
    if setting in {"ECOGOV_FIELD_KEY", "ECOGOV_FIELD_KEY_FILE", "ECOGOV_FIELD_KEY_CREATE"}:
        keys.cache_clear()


setting_changed.connect(_forget, dispatch_uid="ecogov-field-key")


# --- tokens -----------------------------------------------------------------------------------
def is_token(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def encrypt(plaintext: str, *, context: str) -> str:
    key = keys()[0]
    nonce = os.urandom(12)
    sealed = AESGCM(key.aes).encrypt(nonce, plaintext.encode(), context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{PREFIX}:{key.id}:{body}"


def token_key_id(token: str) -> str:
    return token.split(":", 2)[1] if is_token(token) else ""


def decrypt(token: str, *, context: str) -> str:
    if not is_token(token):
        raise DecryptionError(
            f"字段 {context} 的值不是加密值(未加密的个人信息:请运行 ecogov migrate)。"
        )
    try:
        _prefix, key_id, body = token.split(":", 2)
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as exc:
        raise DecryptionError(f"字段 {context} 的加密值已损坏。") from exc
    key = next((k for k in keys() if k.id == key_id), None)
    if key is None:
        raise DecryptionError(
            f"字段 {context} 的值由密钥 {key_id} 加密,本机未配置该密钥"
            f"(已配置:{'、'.join(key_ids())});请把该密钥加入 ECOGOV_FIELD_KEY 或密钥文件。"
        )
    try:
        return AESGCM(key.aes).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError(
            f"字段 {context} 的加密值无法用密钥 {key_id} 解密:值被改动,或被复制自别处。"
        ) from exc


# --- blind indexes ----------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def normalise(value: str, kind: str) -> str:
    """What counts as the same person's value: spaces ignored; ID numbers in upper case;
    phone numbers by their digits."""
    value = _SPACES.sub("", value or "")
    if kind == "id_number":
        return value.upper()
    if kind == "phone":
        return re.sub(r"\D", "", value)
    return value


def blind_index(value: str, kind: str, key: FieldKey | None = None) -> str:
    """The index under the newest key ('' for an empty value)."""
    value = normalise(value, kind)
    if not value:
        return ""
    key = key or keys()[0]
    digest = hmac.new(key.index, f"{kind}\0{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:INDEX_LENGTH]


def blind_indexes(value: str, kind: str) -> list[str]:
    """The value's index under every configured key (rows not yet rotated are found too)."""
    return [i for i in dict.fromkeys(blind_index(value, kind, k) for k in keys()) if i]
