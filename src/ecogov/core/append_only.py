"""Append-only tables: the database itself refuses UPDATE and DELETE of their rows.

The models refuse `save()` of an existing row and `delete()`; triggers stop everything else
that goes through the database: a queryset's `.update()` / `.delete()`, raw SQL, a SQL
client with the application's credentials. PostgreSQL also refuses TRUNCATE. The refusal
is an IntegrityError whose message names the table and the operation.

- `protect(schema_editor, table)` / `unprotect(…)`: a migration installs / removes them
  (core 0007 for the security log, enforcement 0002 for the case events).
- `suspended()`: for one transaction the triggers are dropped and then created again from
  the database's own definitions. Only `ecogov flush` (the test suite empties the database
  with it) and tests that play an intruder holding the database owner's rights use it. On
  PostgreSQL dropping a trigger needs the table owner's rights, so an application that
  connects as a role that does not own the tables cannot lift them at all.

On SQLite, a migration that rebuilds one of these tables (most AlterField operations) drops
its triggers with the old table: such a migration calls `protect` again
(tests/core/test_append_only.py fails until it does).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction

PREFIX = "ecogov_append_only"
PG_FUNCTION = "ecogov_append_only"


def _refusal(table: str, operation: str) -> str:
    return f"只追加表 {table}:数据库拒绝 {operation}(记录只能追加,不能修改或删除)"


def _pg_function_sql() -> str:
    # no "%" anywhere: the schema editor passes parameters, psycopg would read it as one
    return f"""
        CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION USING
                ERRCODE = 'integrity_constraint_violation',
                MESSAGE = '只追加表 ' || TG_TABLE_NAME || ':数据库拒绝 ' || TG_OP
                    || '(记录只能追加,不能修改或删除)';
        END
        $$
    """


def _trigger_sql(vendor: str, table: str, quote) -> list[str]:
    name = f"{PREFIX}_{table}"
    if vendor == "postgresql":
        return [
            _pg_function_sql(),
            f"CREATE TRIGGER {quote(name)} BEFORE UPDATE OR DELETE ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"CREATE TRIGGER {quote(name + '_truncate')} BEFORE TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {quote(f'{name}_{op.lower()}')} BEFORE {op} ON {quote(table)} "
            f"BEGIN SELECT RAISE(ABORT, '{_refusal(table, op)}'); END"
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"append-only triggers for {vendor}")


def protect(schema_editor, table: str) -> None:
    """Install the triggers on `table` (in a migration's RunPython)."""
    connection = schema_editor.connection
    for sql in _trigger_sql(connection.vendor, table, schema_editor.quote_name):
        schema_editor.execute(sql)


def unprotect(schema_editor, table: str) -> None:
    """Remove them (the migration's reverse)."""
    quote = schema_editor.quote_name
    name = f"{PREFIX}_{table}"
    if schema_editor.connection.vendor == "postgresql":
        for trigger in (name, f"{name}_truncate"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger)} ON {quote(table)}")
    else:
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(f'{name}_{op}')}")


def _triggers(using: str) -> list[tuple[str, str, str]]:
    """(trigger, table, the SQL that creates it) for each append-only trigger in the database."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, t.tgrelid::regclass::text, pg_get_triggerdef(t.oid) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid) "
                "AND substr(t.tgname, 1, %s) = %s",
                [len(PREFIX), PREFIX],
            )
        else:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND substr(name, 1, %s) = %s",
                [len(PREFIX), PREFIX],
            )
        return list(cursor.fetchall())


def tables(using: str = "default") -> set[str]:
    """The tables whose rows the database refuses to change or delete."""
    return {table for _name, table, _sql in _triggers(using)}


@contextmanager
def suspended(using: str = "default") -> Iterator[None]:
    """Inside one transaction: drop the triggers, run the block, create them again.

    Other connections never see the tables unguarded (the DDL is part of the transaction;
    PostgreSQL keeps the tables locked until it ends). An error in the block rolls the drop
    back with everything else.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using):
        triggers = _triggers(using)
        with connection.cursor() as cursor:
            for name, table, _sql in triggers:
                if connection.vendor == "postgresql":  # regclass text: already quoted
                    cursor.execute(f"DROP TRIGGER {quote(name)} ON {table}")
                else:
                    cursor.execute(f"DROP TRIGGER {quote(name)}")
        yield
        with connection.cursor() as cursor:
            for _name, _table, sql in triggers:
                cursor.execute(sql)
