"""Member search split by the name's first word (X-2, PERF-2, issue 11).

The word index now holds every word of name_folded but the first (`members_search_later_words`,
PostgreSQL only), as "." + word (the nation) and as the province's path + word; a name's first
word is found as a range of the name indexes (members_province_name_idx for a province,
members_name_idx for the nation). So a surname typed alone ("pham") is a range of names in
order, not half a million index entries to sort, and the index is about a quarter smaller than
0006's `members_search_words`, which it replaces.

The expression must stay the same as selectors.WORDS_SQL. Built in one pass with more sort
memory than the default, then the table is analysed so the planner (and the selector's
estimates of the matches) knows how common each word is.
"""

from django.db import migrations

LATER = "substr(name_folded, strpos(name_folded, ' ') + 1)"
WORDS = (
    f"array_to_tsvector(string_to_array('.' || replace({LATER}, ' ', ' .') || ' ' || "
    f"substr(unit_path, 1, 12) || replace({LATER}, ' ', ' ' || substr(unit_path, 1, 12)), "
    "' '))"
)
OLD_WORDS = (
    "array_to_tsvector(string_to_array('.' || replace(name_folded, ' ', ' .') || ' ' || "
    "substr(unit_path, 1, 12) || replace(name_folded, ' ', ' ' || substr(unit_path, 1, 12)), "
    "' '))"
)


def later_words_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "SET LOCAL maintenance_work_mem = '512MB'",
        f"CREATE INDEX IF NOT EXISTS members_search_later_words ON members_membership "
        f"USING gin ({WORDS})",
        "DROP INDEX IF EXISTS members_search_words",
        "ANALYZE members_membership",
    ):
        schema_editor.execute(sql)


def later_words_index_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "SET LOCAL maintenance_work_mem = '512MB'",
        f"CREATE INDEX IF NOT EXISTS members_search_words ON members_membership "
        f"USING gin ({OLD_WORDS})",
        "DROP INDEX IF EXISTS members_search_later_words",
    ):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("members", "0014_member_tally")]
    operations = [migrations.RunPython(later_words_index, later_words_index_backwards)]
