"""Personal data at rest across tables: the migrations that encrypt existing rows (and undo it),
key rotation, the keys in use, and the check run after a restore.

Rows are read and written with plain SQL (the models' fields would decrypt on reading), in
batches, inside the caller's transaction. A table is described by its primary key column
and its encrypted columns, each with the kind of its blind index (`<column>_bidx`) or None.
The token's associated data is the column's name (`EncryptedCharField.context`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import connection as default_connection

from ecogov.core import crypto
from ecogov.core.fields import BlindIndexField, EncryptedCharField

BATCH = 2000


@dataclass(frozen=True)
class Table:
    name: str
    pk: str
    columns: dict[str, str | None]  # encrypted column → blind index kind (None: no index)


def tables() -> list[Table]:
    """Every table holding encrypted fields, the history tables included (live models)."""
    found = []
    for model in global_apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue  # a proxy (Petition …) shares its concrete model's table
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if not fields:
            continue
        kinds = {
            f.source: f.kind for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)
        }
        found.append(
            Table(
                model._meta.db_table,
                model._meta.pk.column,
                {f.column: kinds.get(f.name) for f in fields},
            )
        )
    return sorted(found, key=lambda t: t.name)


def _indexed(table: Table) -> list[str]:
    return [c for c, kind in table.columns.items() if kind]


def _rows(connection, table: Table, *, indexes: bool = False) -> Iterable[tuple]:
    """(pk, *values[, *blind indexes]) of the rows with a value in an encrypted column."""
    q = connection.ops.quote_name
    columns = list(table.columns)
    not_empty = " OR ".join(f"({q(c)} IS NOT NULL AND {q(c)} <> '')" for c in columns)
    extra = [f"{c}_bidx" for c in _indexed(table)] if indexes else []
    select = ", ".join(q(c) for c in [table.pk, *columns, *extra])
    last = None
    with connection.cursor() as cursor:
        while True:
            after = "" if last is None else f"{q(table.pk)} > %s AND "
            cursor.execute(
                f"SELECT {select} FROM {q(table.name)} WHERE {after}({not_empty}) "
                f"ORDER BY {q(table.pk)} LIMIT {BATCH}",
                [] if last is None else [last],
            )
            batch = cursor.fetchall()
            if not batch:
                return
            yield from batch
            last = batch[-1][0]


def _rewrite(connection, table: Table, change) -> int:
    """Apply `change(column, value) -> new value` to every non-empty value; the blind indexes
    follow the plaintext. Returns the number of rows written."""
    q = connection.ops.quote_name
    columns = list(table.columns)
    indexed = _indexed(table)
    targets = [*columns, *(f"{c}_bidx" for c in indexed)]
    sql = (
        f"UPDATE {q(table.name)} SET {', '.join(f'{q(c)} = %s' for c in targets)} "
        f"WHERE {q(table.pk)} = %s"
    )
    updates, written = [], 0
    for pk, *stored in _rows(connection, table, indexes=True):
        current = dict(zip(columns, stored[: len(columns)], strict=True))
        new, plain = {}, {}
        for column, value in current.items():
            new[column], plain[column] = change(column, value or "")
        bidx = [
            crypto.blind_index(plain[c], table.columns[c]) if crypto.is_token(new[c]) else ""
            for c in indexed
        ]
        if new == current and bidx == [v or "" for v in stored[len(columns) :]]:
            continue
        updates.append([*(new[c] for c in columns), *bidx, pk])
        if len(updates) >= BATCH:
            written += _flush(connection, sql, updates)
    return written + _flush(connection, sql, updates)


def _flush(connection, sql, updates) -> int:
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)
    count = len(updates)
    updates.clear()
    return count


def _plain(column: str, value: str) -> str:
    return crypto.decrypt(value, context=column) if crypto.is_token(value) else value


def encrypt_rows(connection, table: Table) -> int:
    """Plaintext values encrypted with the newest key (tokens left as they are)."""

    def change(column, value):
        if not value or crypto.is_token(value):
            return value, _plain(column, value)
        return crypto.encrypt(value, context=column), value

    return _rewrite(connection, table, change)


def decrypt_rows(connection, table: Table) -> int:
    """Back to plaintext (the migrations' reverse); the blind indexes emptied."""

    def change(column, value):
        plain = _plain(column, value)
        return plain, plain

    return _rewrite(connection, table, change)


def rotate_rows(connection, table: Table) -> int:
    """Every value under another key than the newest re-encrypted with the newest, and every
    blind index recomputed with it."""
    newest = crypto.keys()[0].id

    def change(column, value):
        plain = _plain(column, value)
        if value and crypto.token_key_id(value) != newest:
            return crypto.encrypt(plain, context=column), plain
        return value, plain

    return _rewrite(connection, table, change)  # the indexes follow, under the newest key


def migration(tables_: list[Table]):
    """(forward, backward) for a RunPython that encrypts the listed tables' existing rows."""

    def forward(apps, schema_editor):
        for table in tables_:
            encrypt_rows(schema_editor.connection, table)

    def backward(apps, schema_editor):
        for table in tables_:
            decrypt_rows(schema_editor.connection, table)

    return forward, backward


def keys_in_use(connection=None) -> dict[str, dict[str, int]]:
    """{table: {key id (or 'plaintext'): values}} of every non-empty encrypted value."""
    connection = connection or default_connection
    found: dict[str, dict[str, int]] = {}
    for table in tables():
        counts: dict[str, int] = {}
        for _pk, *values in _rows(connection, table):
            for value in values:
                if value:
                    key = crypto.token_key_id(value) or "plaintext"
                    counts[key] = counts.get(key, 0) + 1
        found[table.name] = counts
    return found


def rotate(connection=None) -> dict[str, int]:
    connection = connection or default_connection
    return {table.name: rotate_rows(connection, table) for table in tables()}


def check():
    """Every encrypted value decrypts with a configured key (registered integrity check)."""
    from ecogov.core.integrity import MAX_LISTED, CheckResult

    checked, problems, failed = 0, [], 0
    for table in tables():
        for pk, *values in _rows(default_connection, table):
            for column, value in zip(table.columns, values, strict=True):
                if not value:
                    continue
                checked += 1
                try:
                    crypto.decrypt(value, context=column)
                except Exception as exc:  # a missing key too: reported, not raised
                    failed += 1
                    if len(problems) < MAX_LISTED:
                        problems.append(f"{table.name} #{pk} {column}:{exc}")
    if failed:
        summary = f"{checked} 个加密的个人信息中有 {failed} 个无法解密。"
    else:
        summary = f"{checked} 个加密的个人信息均可用本机密钥解密。"
    return CheckResult("个人信息加密", not failed, summary, tuple(problems))
