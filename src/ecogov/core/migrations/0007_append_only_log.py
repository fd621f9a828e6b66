"""The security log refuses UPDATE and DELETE in the database itself (triggers on
PostgreSQL and SQLite; PostgreSQL refuses TRUNCATE too): ecogov.core.append_only."""

from django.db import migrations

from ecogov.core import append_only

TABLE = "core_auditlogentry"


def forwards(apps, schema_editor):
    append_only.protect(schema_editor, TABLE)


def backwards(apps, schema_editor):
    append_only.unprotect(schema_editor, TABLE)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {append_only.PG_FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_account_powers")]
    operations = [migrations.RunPython(forwards, backwards)]
