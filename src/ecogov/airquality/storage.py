"""Writing station-hour rows fast: one prepared upsert run for every row.

bulk_create would build a model instance per row and, on SQLite's 999-parameter limit, send
~60 rows per statement: a year of a few stations took seconds. `INSERT … ON CONFLICT … DO
UPDATE` has the same syntax on SQLite (3.24+) and PostgreSQL, the two supported databases.
"""

from django.db import connection

from .models import FLAG_FIELDS, VALUE_FIELDS, Observation

STORED = [*VALUE_FIELDS.values(), *FLAG_FIELDS.values()]
COLUMNS = ["station_id", "hour", *STORED, "checks", "batch_id"]


def upsert(rows) -> int:
    """Write rows of COLUMNS (hour: an aware datetime, or naive UTC as Django stores it)."""
    q = connection.ops.quote_name
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in COLUMNS[2:])
    sql = (
        f"INSERT INTO {q(Observation._meta.db_table)} ({', '.join(q(c) for c in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
        f"ON CONFLICT ({q('station_id')}, {q('hour')}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [(r[0], adapt(r[1]), *r[2:]) for r in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)
