"""The person's gender copied onto each membership (like the folded name and birth date), so the
members list filters and the maintained counts read it without a join (issue 11)."""

from typing import Any

from django.db import migrations, models


def copy_gender(apps: Any, schema_editor: Any) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("UPDATE members_membership m SET gender = p.gender FROM org_person p "
                        "WHERE p.id = m.person_id AND p.gender <> ''")
        else:
            cur.execute("UPDATE members_membership SET gender = (SELECT p.gender FROM org_person p "
                        "WHERE p.id = members_membership.person_id) WHERE EXISTS (SELECT 1 "
                        "FROM org_person p WHERE p.id = members_membership.person_id "
                        "AND p.gender <> '')")


class Migration(migrations.Migration):
    dependencies = [("members", "0012_vietnamese_labels"), ("org", "0007_vietnamese_labels")]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="gender",
            field=models.CharField(blank=True, default="", editable=False, max_length=3),
            preserve_default=False,
        ),
        migrations.RunPython(copy_gender, migrations.RunPython.noop, elidable=True),
    ]
