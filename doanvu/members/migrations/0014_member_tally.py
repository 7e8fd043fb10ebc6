"""Maintained member counts (issue 11): the members_membertally table, the triggers on
members_membership that keep it (members/tally.py, per vendor) and its first fill from raw data."""

from typing import Any

from django.db import migrations, models


def install(apps: Any, schema_editor: Any) -> None:
    from doanvu.members import tally

    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        # every write of memberships updates tally rows in place: room on each page keeps those
        # updates HOT (no new index entry)
        with conn.cursor() as cur:
            cur.execute(f"ALTER TABLE {tally.TABLE} SET (fillfactor = 90)")
    tally.install_triggers(conn)
    tally.recount(conn)


def uninstall(apps: Any, schema_editor: Any) -> None:
    from doanvu.members import tally

    tally.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("members", "0013_membership_gender")]

    operations = [
        migrations.CreateModel(
            name="MemberTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("path", models.CharField(max_length=255)),
                ("status", models.CharField(max_length=20)),
                ("gender", models.CharField(blank=True, max_length=3)),
                ("birth_year", models.SmallIntegerField(default=0)),
                ("n", models.IntegerField(default=0)),
            ],
            options={"verbose_name": "số đoàn viên theo đơn vị"},
        ),
        migrations.AddConstraint(
            model_name="membertally",
            constraint=models.UniqueConstraint(fields=("path", "status", "gender", "birth_year"),
                                               name="members_tally_key"),
        ),
        migrations.RunPython(install, uninstall),
    ]
