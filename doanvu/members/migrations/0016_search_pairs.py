"""Member search: the pairs index (PERF-2, issue 11).

`members_search_pairs` (PostgreSQL only) holds, for each word of name_folded but the first, two
entries that carry the member's gender ("nam", "nu" or "" for anything else):
gender + "." + word, and gender + ":" + first word + ">" + word. So "Nguyễn … Thanh" among women
is one posting list ("nu:nguyen>thanh"), not the range of every "nguyen" walked for the few
women with a later "thanh"; a search without a gender asks the three genders. Nation-wide only
(no province in the entries): a province's searches keep members_search_later_words.

The expression must stay the same as selectors.PAIRS_SQL. Its statistics target and
name_folded's are raised so ANALYZE keeps more of the common entries and finer histograms of
the names (the selector's estimates read them).
"""

from django.db import migrations

GENDER = "(CASE WHEN gender IN ('nam', 'nu') THEN gender::text ELSE '' END)"
LATER = "substr(name_folded, strpos(name_folded, ' ') + 1)"
PAIR = f"{GENDER} || ':' || split_part(name_folded, ' ', 1) || '>'"
PAIRS = (
    f"array_to_tsvector(string_to_array({GENDER} || '.' || replace({LATER}, ' ', ' ' || "
    f"{GENDER} || '.') || ' ' || {PAIR} || replace({LATER}, ' ', ' ' || {PAIR}), ' '))"
)


def pairs_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in (
        "SET LOCAL maintenance_work_mem = '512MB'",
        f"CREATE INDEX IF NOT EXISTS members_search_pairs ON members_membership "
        f"USING gin ({PAIRS})",
        "ALTER INDEX members_search_pairs ALTER COLUMN 1 SET STATISTICS 1000",
        # Finer histograms of the names: the count of "w m…" (a first and a second word) tells
        # a walk of the range of w from the pair's look-up (at 100, "nguyen kim" was 2 900
        # for 47 900).
        "ALTER TABLE members_membership ALTER COLUMN name_folded SET STATISTICS 1000",
        "ANALYZE members_membership",
    ):
        schema_editor.execute(sql)


def pairs_index_backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS members_search_pairs")
    schema_editor.execute(
        "ALTER TABLE members_membership ALTER COLUMN name_folded SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("members", "0015_search_later_words")]
    operations = [migrations.RunPython(pairs_index, pairs_index_backwards)]
