"""The year's figures' covering index once more on SQLite.

0001 made `matters_figures_cover` covering (the figures' columns after its keys); 0003's field
changes made SQLite rebuild `matters_matter`, and a rebuilt table gets its indexes from the
model state, where the index is the plain (kind, received_on): every figure then read each
matter's row (make bench: the city's 2025 figures on 1,000,000 matters, docs/benchmarks.md).
PostgreSQL never rebuilds the table, so its INCLUDE index stands. The columns are written out
here as they were at this migration (ecogov.matters.models.matters.FIGURES_COLUMNS);
tests/matters/test_figures_index.py fails if a later rebuild loses them again."""

from django.db import migrations

COLUMNS = [
    "source_id",
    "category",
    "division_id",
    "done_on",
    "closed_on",
    "done_late",
    "duplicate_of_id",
    "feedback",
    "credit_organisation_id",
]


def covering_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    columns = ", ".join(f'"{c}"' for c in COLUMNS)
    schema_editor.execute('DROP INDEX IF EXISTS "matters_figures_cover"')
    schema_editor.execute(
        f'CREATE INDEX "matters_figures_cover" ON "matters_matter" ("kind", "received_on", {columns})'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0004_territory_index"),
    ]

    operations = [migrations.RunPython(covering_again, migrations.RunPython.noop)]
