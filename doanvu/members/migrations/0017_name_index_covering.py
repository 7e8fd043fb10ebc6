"""Member search: the nation-wide name index carries the list's filter columns (PERF-2).

`members_name_idx` (name_folded, id) becomes (name_folded, id) INCLUDE (is_current, status,
gender, birth_date, unit_path) on PostgreSQL. A nation-wide name search that walks the names in
order ("hoang" … with a later "huy", aged 24–30) then tests every name it passes in the index
alone — an index-only scan, the table read only for the page's 50 rows — where it read a table
page per name before. SQLite has no INCLUDE: the index stays (name_folded, id) there.

On a database of millions of members the index is rebuilt in the migration's transaction, the
members table locked meanwhile (about a minute per 6.5 M rows): part of the upgrade's window.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0016_search_pairs")]
    operations = [
        migrations.RemoveIndex(model_name="membership", name="members_name_idx"),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                fields=["name_folded", "id"], name="members_name_idx",
                include=["is_current", "status", "gender", "birth_date", "unit_path"]),
        ),
    ]
