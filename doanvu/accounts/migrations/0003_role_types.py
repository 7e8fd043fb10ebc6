"""Reference data: role types with permission kinds and reach (X-3). Editable data, not code."""

from django.db import migrations

ROLES = [
    ("quan_tri_he_thong", "Quản trị hệ thống",
     ["read", "write", "approve", "score", "finance", "administer"], "subtree",
     "Toàn quyền trên đơn vị được giao và mọi cấp dưới, kể cả phân quyền."),
    ("quan_tri_don_vi", "Quản trị đơn vị", ["read", "write", "administer"], "subtree",
     "Quản lý cây tổ chức và phân quyền trong đơn vị và cấp dưới."),
    ("bi_thu", "Bí thư", ["read", "write", "approve", "administer"], "subtree",
     "Bí thư đoàn cấp này: xem, cập nhật, phê duyệt, quản trị đơn vị và cấp dưới."),
    ("pho_bi_thu", "Phó Bí thư", ["read", "write", "approve"], "subtree",
     "Phó Bí thư: xem, cập nhật, phê duyệt trong đơn vị và cấp dưới."),
    ("uv_btv", "Ủy viên Ban Thường vụ", ["read", "write"], "subtree",
     "Ủy viên Ban Thường vụ: xem và cập nhật trong đơn vị và cấp dưới."),
    ("van_phong", "Văn phòng", ["read", "write", "finance"], "subtree",
     "Cán bộ Văn phòng: hành chính, tổng hợp, tài chính của đơn vị và cấp dưới."),
    ("ban_tckt", "Ban Tổ chức – Kiểm tra", ["read", "write", "approve"], "department",
     "Cán bộ ban: phê duyệt, cập nhật trong lĩnh vực của ban (ví dụ kế hoạch đi cơ sở)."),
    ("can_bo_ban", "Cán bộ chuyên môn của ban", ["read", "write"], "department",
     "Cán bộ một ban chuyên môn: cập nhật trong lĩnh vực của ban."),
    ("can_bo_cham_diem", "Cán bộ chấm điểm của một ban", ["read", "score"], "department",
     "Chấm điểm thi đua các tiêu chí do ban phụ trách."),
    ("thanh_vien_doan_kiem_tra", "Thành viên đoàn kiểm tra", ["read"], "subtree",
     "Xem hồ sơ của đơn vị được kiểm tra."),
    ("bi_thu_chi_doan", "Bí thư chi đoàn", ["read", "write"], "unit",
     "Quản lý đoàn viên, sinh hoạt, đoàn phí của chi đoàn mình."),
    ("ke_toan", "Kế toán", ["read", "finance"], "unit", "Thu, nộp đoàn phí và kinh phí."),
]


def forwards(apps, schema_editor):
    RoleType = apps.get_model("accounts", "RoleType")
    for code, name, perms, reach, desc in ROLES:
        RoleType.objects.update_or_create(
            code=code,
            defaults={"name": name, "permissions": perms, "reach": reach, "description": desc},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
