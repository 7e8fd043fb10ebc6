"""Reference data: the levels of the Union's tree (ORG-1). Levels are data, editable later."""

from django.db import migrations

KINDS = [
    # code, name, level, grassroots, branch, agency, parents, merge targets
    ("trung_uong", "Trung ương Đoàn", 0, False, False, True, [], []),
    ("tinh", "Tỉnh đoàn, Thành đoàn", 1, False, False, True, ["trung_uong"], []),
    ("truc_thuoc_tw", "Đoàn trực thuộc Trung ương", 1, False, False, True, ["trung_uong"], []),
    ("huyen", "Huyện, quận, thị, thành đoàn", 2, False, False, True, ["tinh"], []),
    ("truc_thuoc_tinh", "Đoàn trực thuộc tỉnh", 2, False, False, True,
     ["tinh", "truc_thuoc_tw"], []),
    ("co_so", "Đoàn cơ sở", 3, True, False, False,
     ["huyen", "truc_thuoc_tinh", "tinh", "truc_thuoc_tw"], []),
    ("chi_doan_co_so", "Chi đoàn cơ sở", 3, True, True, False,
     ["huyen", "truc_thuoc_tinh", "tinh", "truc_thuoc_tw"], ["co_so"]),
    ("chi_doan", "Chi đoàn", 4, False, True, False, ["co_so"], []),
    ("phan_doan", "Phân đoàn", 5, False, True, False, ["chi_doan", "chi_doan_co_so"], []),
]


def forwards(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    made = {}
    for code, name, level, grassroots, branch, agency, _p, _m in KINDS:
        made[code], _ = UnitKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "is_grassroots": grassroots,
                      "is_branch": branch, "has_agency": agency},
        )
    for code, *_rest, parents, merges in KINDS:
        made[code].allowed_parents.set([made[p] for p in parents])
        made[code].merge_targets.set([made[m] for m in merges])


class Migration(migrations.Migration):
    dependencies = [("org", "0002_postgres_search")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
