"""The two shipped outlines (reports/builtin.py): the seed's 工作总结 and the 年度报告."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ecogov.reports import builtin

    builtin.install(apps.get_model("reports", "Outline"), apps.get_model("reports", "Section"),
                    apps.get_model("reports", "Relation"))


def backwards(apps, schema_editor):
    from ecogov.reports import builtin

    apps.get_model("reports", "Outline").objects.filter(
        name__in=[spec["name"] for spec in builtin.OUTLINES], is_builtin=True,
        publications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
