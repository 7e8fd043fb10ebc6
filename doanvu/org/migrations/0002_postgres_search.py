"""On PostgreSQL: trigram indexes for accent-free name search (X-2) and prefix indexes for paths.

SQLite uses the folded column with its ordinary index; nothing to do there.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE INDEX IF NOT EXISTS org_unit_name_trgm ON org_unit "
        "USING gin (name_folded gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS org_unitversion_name_trgm ON org_unitversion "
        "USING gin (name_folded gin_trgm_ops)",
        "CREATE INDEX IF NOT EXISTS org_unitversion_path_like ON org_unitversion "
        "(path varchar_pattern_ops)",
        "CREATE INDEX IF NOT EXISTS org_person_name_trgm ON org_person "
        "USING gin (name_folded gin_trgm_ops)",
    ):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("org_unit_name_trgm", "org_unitversion_name_trgm", "org_unitversion_path_like",
                 "org_person_name_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
