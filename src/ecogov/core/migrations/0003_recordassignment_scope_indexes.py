"""The scope's two assignment lookups read only their index (core/scoping.py `_assigned`).

(content_type, organisation | user, is_active) gain role and object_id as key columns, so that
"the object ids of this content type actively assigned to this organisation / this user (in
these roles)" is one range of one index on both databases: an index-only scan on PostgreSQL, a
covering index on SQLite. (`Index(include=["object_id"])` would do on PostgreSQL, but Django
creates INCLUDE indexes without the INCLUDE on SQLite, which would then read every matching row
from the table; role in the key also serves editable_by's handler-only lookup.) Each index
holds only the rows of its assignee column (an assignment names an organisation or a user). The
new indexes start with the old ones' columns and replace them; both are built before the old
are dropped.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_assignment_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recordassignment",
            index=models.Index(fields=["content_type", "organisation", "is_active", "role",
                                       "object_id"],
                               condition=models.Q(organisation__isnull=False),
                               name="core_assign_org_scope_idx"),
        ),
        migrations.AddIndex(
            model_name="recordassignment",
            index=models.Index(fields=["content_type", "user", "is_active", "role", "object_id"],
                               condition=models.Q(user__isnull=False),
                               name="core_assign_user_scope_idx"),
        ),
        migrations.RemoveIndex(model_name="recordassignment",
                               name="core_record_content_8a1937_idx"),
        migrations.RemoveIndex(model_name="recordassignment",
                               name="core_record_content_0d5cb3_idx"),
    ]
