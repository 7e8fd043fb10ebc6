"""Fewer indexes to keep up on members_membership (6.5 M rows in a nation; each index costs
every insert of a member import, PERF-1): the branch's own index goes (members_branch_idx
(branch, status) serves it), and unit_path's two (a plain btree and its LIKE twin) become one
pattern index, which serves both LIKE 'path%' and equality on PostgreSQL.
"""

import django.db.models.deletion

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_import_checking'),
        ('org', '0006_person_write_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='membership',
            name='branch',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='org.unit'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='unit_path',
            field=models.CharField(editable=False, max_length=255),
        ),
        migrations.AddIndex(
            model_name='membership',
            index=models.Index(fields=['unit_path'], name='members_unit_path_like', opclasses=['varchar_pattern_ops']),
        ),
    ]
