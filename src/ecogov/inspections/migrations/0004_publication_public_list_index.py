"""The portal's published lists read newest first from one index (docs/indexes.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0003_check_is_latest"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["kind", "published_on", "id"], name="inspections_pub_public"
            ),
        ),
    ]
