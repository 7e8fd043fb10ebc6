"""Reference data: the Union's document types (QĐ 367-QĐ/TWĐTN-VP, HD 29-HD/TWĐTN-VP).
Editable data, not code: a unit may add a type (e.g. Chương trình, Báo cáo nhanh) later."""

from django.db import migrations

# code, name, abbreviation, heading printed on the document ("" = công văn: "V/v …" instead)
TYPES = [
    ("ke_hoach", "Kế hoạch", "KH", "KẾ HOẠCH"),
    ("thong_bao", "Thông báo", "TB", "THÔNG BÁO"),
    ("bao_cao", "Báo cáo", "BC", "BÁO CÁO"),
    ("ket_luan", "Kết luận", "KL", "KẾT LUẬN"),
    ("huong_dan", "Hướng dẫn", "HD", "HƯỚNG DẪN"),
    ("quyet_dinh", "Quyết định", "QĐ", "QUYẾT ĐỊNH"),
    ("to_trinh", "Tờ trình", "TTr", "TỜ TRÌNH"),
    ("cong_van", "Công văn", "CV", ""),
]


def forwards(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, abbreviation, heading) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(
            code=code,
            defaults={"name": name, "abbreviation": abbreviation, "heading": heading,
                      "order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
