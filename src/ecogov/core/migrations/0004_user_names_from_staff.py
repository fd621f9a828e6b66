"""Existing accounts get their staff name as their display name (first_name)."""

from django.db import migrations


def names_from_staff(apps, schema_editor):
    StaffProfile = apps.get_model("core", "StaffProfile")
    User = apps.get_model("auth", "User")
    for user_id, name in StaffProfile.objects.values_list("user_id", "full_name"):
        User.objects.filter(pk=user_id).update(first_name=name, last_name="")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_recordassignment_scope_indexes"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(names_from_staff, migrations.RunPython.noop)]
