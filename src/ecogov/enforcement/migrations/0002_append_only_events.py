"""The case events (the full-process record) refuse UPDATE and DELETE in the database itself
(triggers on PostgreSQL and SQLite; PostgreSQL refuses TRUNCATE too): ecogov.core.append_only."""

from django.db import migrations

from ecogov.core import append_only

TABLE = "enforcement_caseevent"


def forwards(apps, schema_editor):
    append_only.protect(schema_editor, TABLE)


def backwards(apps, schema_editor):
    append_only.unprotect(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0001_initial"),
        ("core", "0007_append_only_log"),  # the PostgreSQL trigger function
    ]
    operations = [migrations.RunPython(forwards, backwards)]
