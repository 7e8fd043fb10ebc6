"""Member search by word prefixes at national scale (X-2, PERF-2).

* members_province_name_idx (both databases): a province's members in (name_folded, id) order,
  walked when the typed words match many members.
* members_search_words (PostgreSQL only): a GIN index over the words of name_folded, each
  word twice, as "." + word (the nation) and as the province's path + word, so a province's
  search reads only its own entries; it replaces 0005's trigram index, which served the old
  "anywhere in the name" search and could not help common fragments.

The expression must stay the same as selectors.WORDS_SQL. Built in one pass on PostgreSQL
with more sort memory than the default, then the table is analysed so the planner (and the
selector's estimate of the matches) knows how common each word is.
"""

from django.db import migrations, models
from django.db.models.functions import Substr

WORDS = (
    "array_to_tsvector(string_to_array('.' || replace(name_folded, ' ', ' .') || ' ' || "
    "substr(unit_path, 1, 12) || replace(name_folded, ' ', ' ' || substr(unit_path, 1, 12)), "
    "' '))"
)


def more_sort_memory(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")


def words_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        f"CREATE INDEX IF NOT EXISTS members_search_words ON members_membership USING gin ({WORDS})",
        "DROP INDEX IF EXISTS members_membership_name_trgm",
        "ANALYZE members_membership",
    ):
        schema_editor.execute(sql)


def words_index_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "DROP INDEX IF EXISTS members_search_words",
        "CREATE INDEX IF NOT EXISTS members_membership_name_trgm ON members_membership "
        "USING gin (name_folded gin_trgm_ops)",
    ):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0005_import_search")]
    operations = [
        migrations.RunPython(more_sort_memory, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                Substr("unit_path", 1, 12),
                "status",
                "name_folded",
                "id",
                name="members_province_name_idx",
            ),
        ),
        migrations.RunPython(words_index, words_index_backwards),
    ]
