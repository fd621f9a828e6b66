"""The bulk writer of `ecogov synth` (ecogov.core.synth): rows streamed into a model's table,
COPY on PostgreSQL and executemany in batches on SQLite, the columns not given filled with the
field's default. Unlike core.fastinsert (the ledger imports' writer, which takes built rows and
reserves their ids), it streams generated tuples with their ids given and fixes every "now" to
one moment, so that the same seed writes the same rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable


class Writer:
    """Rows into a model's table, the fields not given filled with their defaults.

    PostgreSQL: COPY; SQLite: executemany in batches of 20,000. Moments in the rows must be
    passed through `moment()`; the columns not given take the field's default (a moment
    default or auto_now: `stamp`, so that reruns give the same rows)."""

    def __init__(self, stamp: dt.datetime):
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.stamp = stamp
        self.counts: dict[str, int] = {}

    def moment(self, value: dt.datetime):
        """An aware moment as the backend stores it (SQLite: naive UTC text, as Django writes)."""
        if self.pg:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")

    def write(self, model, given: list[str], rows: Iterable[tuple]) -> int:
        from django.db.models import DateTimeField, JSONField

        columns = [model._meta.get_field(name).column for name in given]
        constants = []
        for f in model._meta.local_concrete_fields:
            if f.attname in given or f.name in given:
                continue
            if isinstance(f, DateTimeField) and (
                f.auto_now or f.auto_now_add or (f.has_default() and callable(f.default))
            ):
                value = self.stamp
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.get_internal_type() in ("CharField", "TextField", "SlugField"):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{f.name}: no value")
            if isinstance(f, JSONField) and value is not None:
                value = json.dumps(value)
            elif isinstance(value, dt.datetime):
                value = self.moment(value)
            elif isinstance(value, bool) and not self.pg:
                value = int(value)
            columns.append(f.column)
            constants.append(value)
        tail = tuple(constants)
        table = model._meta.db_table
        written = 0
        if self.pg:
            names = ", ".join(f'"{c}"' for c in columns)
            with (
                self.connection.cursor() as cursor,
                cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row + tail)
                    written += 1
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                    f' (SELECT max(id) FROM "{table}"))'
                )
        else:
            sql = (
                f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES '
                f"({', '.join('?' * len(columns))})"
            )
            raw = self.connection.connection
            batch = []
            for row in rows:
                batch.append(row + tail)
                if len(batch) == 20_000:
                    raw.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                raw.executemany(sql, batch)
                written += len(batch)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + written
        return written
