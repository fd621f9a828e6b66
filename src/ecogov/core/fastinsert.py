"""Insert many rows fast: primary keys reserved here, values converted once per column, then
PostgreSQL COPY or SQLite executemany.

Django's bulk_create compiles every value of every row through the field API (about 2 ms a
matter with its history, units, assignments and events); a 50,000-row ledger must import in
under a minute. Only bulk writers use this — matters' ledger import (matters/services/bulk.py)
and core's `record_assign_many` — inside their transaction, for rows they have built and
validated; history rows are written as simple-history writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from django.db import connection, models
from django.utils import timezone

from ecogov.core.context import current_ip
from ecogov.core.fields import EncryptedCharField, fill_indexes


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys for `count` new rows (taken from the sequence, or after SQLite's maximum)."""
    if count == 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite has one writer at a time: inside our transaction the maximum cannot move
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _converter(field) -> Callable:
    ops = connection.ops
    if isinstance(field, EncryptedCharField):
        return field.get_prep_value  # personal data encrypted (ecogov.core.fields)
    if isinstance(field, models.JSONField):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if isinstance(field, models.GenericIPAddressField):
        return lambda v: v or None
    return lambda v: v


def _columns(model, overrides: dict | None = None):
    """[(attname, default, converter)] for the model's columns; `overrides` fixes a value."""
    now, overrides = timezone.now(), overrides or {}
    spec = []
    for field in model._meta.concrete_fields:
        if field.attname in overrides:
            default, fixed = overrides[field.attname], True
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default, fixed = now, True
        else:
            default, fixed = field.get_default(), False
        spec.append((field.attname, default, fixed, _converter(field)))
    return spec


def _values(record) -> dict:
    return record.__dict__ if isinstance(record, models.Model) else record


def insert(model, records: Sequence) -> None:
    """Write records — model instances or dicts of attname → value, their pk set (reserve_ids);
    a missing value takes the field's default, auto_now fields the current time."""
    if not records:
        return
    spec = _columns(model)
    stamped = [(attname, default) for attname, default, fixed, _c in spec if fixed]
    rows = []
    for record in records:
        values = _values(record)
        fill_indexes(model, values)  # blind indexes of the encrypted fields
        for attname, now in stamped:  # written back: the history row copies them
            values[attname] = now
        rows.append(
            tuple(
                convert(values.get(attname, default)) for attname, default, _fixed, convert in spec
            )
        )
    write(model._meta.db_table, [c for _a, c in _column_names(model)], rows)
    for record in records:
        if isinstance(record, models.Model):
            record._state.adding, record._state.db = False, connection.alias


def insert_new(model, records: Sequence) -> list[int]:
    """Reserve keys for new `records` (instances or dicts), set each record's, `insert` them;
    the keys in order."""
    ids = reserve_ids(model, len(records))
    attname = model._meta.pk.attname
    for record, pk in zip(records, ids, strict=True):
        if isinstance(record, models.Model):
            record.pk = pk
        else:
            record[attname] = pk
    insert(model, records)
    return ids


def _column_names(model):
    return [(f.attname, f.column) for f in model._meta.concrete_fields]


def write(table: str, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def insert_history(model, records: Sequence, *, user=None, reason: str = "") -> None:
    """The '+' history rows simple-history would write for newly created records."""
    history = model.history.model
    ids = reserve_ids(history, len(records))
    spec = _columns(
        history,
        {
            "history_date": timezone.now(),
            "history_change_reason": reason or None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
            "ip_address": current_ip(),
        },
    )
    rows = []
    for history_id, record in zip(ids, records, strict=True):
        values = _values(record)
        fill_indexes(model, values)
        rows.append(
            tuple(
                history_id
                if attname == "history_id"
                else convert(default if fixed else values.get(attname, default))
                for attname, default, fixed, convert in spec
            )
        )
    write(history._meta.db_table, [c for _a, c in _column_names(history)], rows)
