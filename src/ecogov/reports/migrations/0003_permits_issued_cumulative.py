"""累计发证 is every permit issued up to the period's end (`permits.issued_cumulative`); the key
`permits.cumulative` (permits in force at the year's end) is gone (docs/permits.md). Installed
outlines, their relations and saved narratives that still name it are pointed at the new key;
a published report keeps its frozen text."""

import re

from django.db import migrations

OLD = re.compile(r"\bpermits\.cumulative\b")


def forwards(apps, schema_editor):
    for model, field in (("Section", "template"), ("Relation", "expression"),
                         ("Narrative", "text")):
        rows = apps.get_model("reports", model).objects.filter(
            **{f"{field}__contains": "permits.cumulative"})
        for row in rows:
            text = getattr(row, field)
            setattr(row, field, OLD.sub("permits.issued_cumulative", text))
            row.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_builtin_outlines")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
