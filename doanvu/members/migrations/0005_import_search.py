"""On PostgreSQL: a trigram index for accent-free member search (X-2, PERF-2).

`name_folded LIKE '%…%'` on a province's members is served by this GIN index when the words
are rare, and by members_name_idx (name_folded, id) walked in order when they are common.
SQLite has nothing to do.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX IF NOT EXISTS members_membership_name_trgm ON members_membership "
        "USING gin (name_folded gin_trgm_ops)",
    ):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS members_membership_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_dues_meeting_threshold")]
    operations = [migrations.RunPython(forwards, backwards)]
