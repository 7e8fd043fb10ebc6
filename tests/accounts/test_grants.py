"""Granting and ending roles through the pages (X-3): within one's administered reach only,
no escalation, bad input refused with nothing created (X-9), every grant audited (X-4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doanvu.accounts import services
from doanvu.accounts.models import Reach, RoleGrant, RoleType, User
from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.org.models import Department
from tests.conftest import World, grant, login, make_user

NOT_IN_SCOPE = "Không tìm thấy đơn vị trong phạm vi quản trị của bạn."
TOO_NARROW = "Bạn không có quyền quản trị đủ phạm vi để cấp vai trò này."


def role(code: str) -> RoleType:
    return RoleType.objects.get(code=code)


def counts() -> tuple[int, int, int]:
    return (User.objects.count(), RoleGrant.objects.count(), AuditRecord.objects.count())


def new_member_form(unit_pk: object, role_code: str = "bi_thu_chi_doan", **extra: object
                    ) -> dict[str, object]:
    return {"username": "bithu_moi", "full_name": "Nguyễn Thị Mới", "password": "matkhau123",
            "role_type": role(role_code).pk, "unit": unit_pk, "start_date": "01/01/2024",
            **extra}


def test_x3_district_admin_grants_a_role_in_own_district(world: World) -> None:
    client = login(world.district_a_cadre)

    response = client.post(reverse("accounts:grant_create"), new_member_form(world.commune_a1.pk))

    made = RoleGrant.objects.get(user__username="bithu_moi")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:grant_list")
    assert (made.unit_id, made.role_type.code, made.start_date, made.granted_by_id) == (
        world.commune_a1.pk, "bi_thu_chi_doan", dt.date(2024, 1, 1), world.district_a_cadre.pk)
    assert Scope.for_user(made.user).can("read", world.commune_a1) is True
    record = AuditRecord.objects.get(model="accounts.rolegrant", object_pk=str(made.pk))
    assert (record.action, record.actor_id, record.unit_id) == (
        "create", world.district_a_cadre.pk, world.commune_a1.pk)
    assert record.changes["after"]["role_type_id"] == role("bi_thu_chi_doan").pk


@pytest.mark.parametrize("unit", ["district_b", "commune_b1", "province", "999999", "abc",
                                  "99999999999999999999999"])
def test_x3_district_admin_cannot_grant_outside_own_district(world: World, unit: str) -> None:
    client = login(world.district_a_cadre)
    named = unit in ("district_b", "commune_b1", "province")
    value = str(getattr(world, unit).pk) if named else unit
    before = counts()

    response = client.post(reverse("accounts:grant_create"), new_member_form(value))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Đơn vị không hợp lệ." if unit == "abc" else NOT_IN_SCOPE) == 1
    assert "Unit" not in html
    assert "Tân Biên" not in html
    assert "Tân Lập" not in html
    assert counts() == before


def test_x3_district_admin_cannot_preselect_a_foreign_unit(world: World) -> None:
    client = login(world.district_a_cadre)

    response = client.get(reverse("accounts:grant_create"), {"don_vi": world.district_b.pk})

    assert response.status_code == 200
    assert "Tân Biên" not in response.content.decode()


def test_x3_unit_reach_administrator_cannot_grant_a_subtree_role(world: World) -> None:
    RoleType.objects.create(code="quan_tri_chi_doan", name="Quản trị chi đoàn",
                            permissions=["read", "write", "administer"], reach=Reach.UNIT)
    branch_admin = make_user("quantri_chidoan")
    grant(branch_admin, "quan_tri_chi_doan", world.branch_a1)
    client = login(branch_admin)
    before = counts()

    escalate = client.post(reverse("accounts:grant_create"),
                           new_member_form(world.branch_a1.pk, role_code="bi_thu"))
    after_escalation = counts()
    allowed = client.post(reverse("accounts:grant_create"),
                          new_member_form(world.branch_a1.pk, role_code="bi_thu_chi_doan"))

    assert escalate.status_code == 200
    assert TOO_NARROW in escalate.content.decode()
    assert after_escalation == before
    assert User.objects.filter(username="bithu_moi").count() == 1
    assert allowed.status_code == 302


def test_x3_grant_service_refuses_escalation_and_dissolved_units(world: World) -> None:
    RoleType.objects.create(code="quan_tri_chi_doan", name="Quản trị chi đoàn",
                            permissions=["read", "administer"], reach=Reach.UNIT)
    branch_admin = make_user("quantri_chidoan")
    grant(branch_admin, "quan_tri_chi_doan", world.branch_a1)
    target = make_user("nguoinhan")
    before = counts()

    with pytest.raises(services.GrantError) as escalation:
        services.grant_create(actor=branch_admin, scope=Scope.for_user(branch_admin), user=target,
                              role_type=role("uv_btv"), unit=world.branch_a1, department=None,
                              start_date=dt.date(2024, 1, 1))
    with pytest.raises(services.GrantError) as foreign:
        services.grant_create(actor=world.district_a_cadre,
                              scope=Scope.for_user(world.district_a_cadre), user=target,
                              role_type=role("bi_thu_chi_doan"), unit=world.branch_b1,
                              department=None, start_date=dt.date(2024, 1, 1))

    assert str(escalation.value) == TOO_NARROW
    assert str(foreign.value) == TOO_NARROW
    assert counts() == before


def test_x3_grant_on_dissolved_unit_is_refused(world: World) -> None:
    from doanvu.org import services as org_services

    org_services.unit_dissolve(actor=world.admin, unit=world.branch_a1, on=dt.date(2024, 1, 1))
    client = login(world.district_a_cadre)
    before = counts()

    response = client.post(reverse("accounts:grant_create"), new_member_form(world.branch_a1.pk))

    assert response.status_code == 200
    assert response.content.decode().count(
        "Chi đoàn ấp Bình Phong đã giải thể, không thể phân quyền.") == 1
    assert counts() == before


def test_x9_grant_form_bad_dates_and_department_are_refused(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("accounts:grant_create")
    other_dep = Department.objects.create(unit=world.district_a, name="Văn phòng Huyện đoàn",
                                          category="van_phong")
    before = counts()
    cases = [
        (new_member_form(world.province.pk, start_date="32/13/2020"),
         "Ngày “32/13/2020” không tồn tại: không có tháng 13."),
        (new_member_form(world.province.pk, start_date="01/01/2024", end_date="01/01/2020"),
         "Ngày kết thúc 01/01/2020 trước ngày bắt đầu."),
        (new_member_form(world.province.pk, role_code="ban_tckt"),
         "Vai trò “Ban Tổ chức – Kiểm tra” cần chọn một ban."),
        (new_member_form(world.province.pk, role_code="ban_tckt", department=other_dep.pk),
         "Ban đã chọn không thuộc đơn vị này."),
        (new_member_form(world.province.pk, department=world.tckt.pk),
         "Vai trò “Bí thư chi đoàn” không gắn với một ban; hãy bỏ chọn ban."),
        (new_member_form(world.province.pk, role_type="999999"),
         "Lựa chọn không hợp lệ: hãy chọn lại trong danh sách."),
        (new_member_form(world.province.pk, full_name="", password=""),
         "Chưa có tài khoản này: hãy nhập họ tên và mật khẩu ban đầu để tạo mới."),
        (new_member_form(world.province.pk, password="ngan"),
         "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
    ]

    results = []
    for data, message in cases:
        response = client.post(url, data)
        results.append((response.status_code, message in response.content.decode()))

    assert results == [(200, True)] * len(cases)
    assert counts() == before


def test_x3_department_role_granted_with_its_department(world: World) -> None:
    client = login(world.province_secretary)

    response = client.post(reverse("accounts:grant_create"), new_member_form(
        world.province.pk, role_code="ban_tckt", department=world.tckt.pk))

    made = RoleGrant.objects.get(user__username="bithu_moi")
    assert response.status_code == 302
    assert (made.role_type.code, made.department_id) == ("ban_tckt", world.tckt.pk)


def test_x3_duplicate_open_grant_is_refused(world: World) -> None:
    client = login(world.district_a_cadre)
    client.post(reverse("accounts:grant_create"), new_member_form(world.commune_a1.pk))
    before = counts()

    response = client.post(reverse("accounts:grant_create"),
                           new_member_form(world.commune_a1.pk, full_name="", password=""))

    assert response.status_code == 200
    assert ("Nguyễn Thị Mới đã có vai trò “Bí thư chi đoàn” tại Đoàn xã Thái Bình."
            in response.content.decode())
    assert counts() == before


def test_x3_grant_list_shows_only_administered_grants(world: World) -> None:
    client = login(world.district_a_cadre)

    html = client.get(reverse("accounts:grant_list")).content.decode()

    assert "canbo_chauthanh" in html
    assert "bithu_chidoan" in html
    assert "canbo_tanbien" not in html
    assert "bithu_tinh" not in html


def test_x3_grant_pages_are_closed_to_non_administrators(world: World) -> None:
    statuses = []
    for user in (world.outsider, world.branch_secretary):
        client = login(user)
        statuses += [client.get(reverse("accounts:grant_list")).status_code,
                     client.get(reverse("accounts:grant_create")).status_code,
                     client.post(reverse("accounts:grant_create"),
                                 new_member_form(world.branch_a1.pk)).status_code]

    assert statuses == [404] * 6
    assert User.objects.filter(username="bithu_moi").count() == 0


def test_x3_grant_end_within_reach_ends_and_audits(world: World) -> None:
    g = RoleGrant.objects.get(user=world.branch_secretary)
    client = login(world.district_a_cadre)

    response = client.post(reverse("accounts:grant_end", args=[g.pk]))

    g.refresh_from_db()
    assert response.status_code == 302
    assert g.end_date == today()
    record = AuditRecord.objects.filter(model="accounts.rolegrant", object_pk=str(g.pk)).last()
    assert record is not None
    assert (record.action, record.actor_id, record.changes) == (
        "update", world.district_a_cadre.pk,
        {"before": {"end_date": None}, "after": {"end_date": today().isoformat()}})


def test_x3_grant_end_outside_reach_is_404_and_changes_nothing(world: World) -> None:
    foreign = RoleGrant.objects.get(user=world.district_b_cadre)
    client = login(world.district_a_cadre)

    responses = [client.post(reverse("accounts:grant_end", args=[foreign.pk])).status_code,
                 client.get(reverse("accounts:grant_end", args=[foreign.pk])).status_code,
                 client.post(reverse("accounts:grant_end", args=[999999])).status_code]

    foreign.refresh_from_db()
    assert responses == [404, 405, 404]
    assert foreign.end_date is None


def test_x3_unit_reach_administrator_cannot_end_a_subtree_role(world: World) -> None:
    RoleType.objects.create(code="quan_tri_chi_doan", name="Quản trị chi đoàn",
                            permissions=["read", "write", "administer"], reach=Reach.UNIT)
    branch_admin = make_user("quantri_chidoan")
    grant(branch_admin, "quan_tri_chi_doan", world.branch_a1)
    inspector = make_user("kiemtra")
    inspection = grant(inspector, "thanh_vien_doan_kiem_tra", world.branch_a1)
    own_level = RoleGrant.objects.get(user=world.branch_secretary)
    client = login(branch_admin)

    refused = client.post(reverse("accounts:grant_end", args=[inspection.pk]), follow=True)
    allowed = client.post(reverse("accounts:grant_end", args=[own_level.pk]))

    inspection.refresh_from_db()
    own_level.refresh_from_db()
    assert refused.status_code == 200
    assert "Bạn không có quyền thu hồi vai trò này." in refused.content.decode()
    assert inspection.end_date is None
    assert allowed.status_code == 302
    assert own_level.end_date == today()


def test_x3_administrator_cannot_grant_permissions_they_do_not_hold(world: World) -> None:
    scope = Scope.for_user(world.district_a_cadre)
    before = RoleGrant.objects.count()
    with pytest.raises(services.GrantError) as exc:
        services.grant_create(
            actor=world.district_a_cadre, scope=scope, user=world.outsider,
            role_type=RoleType.objects.get(code="quan_tri_he_thong"), unit=world.district_a,
            department=None, start_date=world.district_a.founded_on,
        )
    assert "bạn không có quyền phê duyệt, chấm điểm, tài chính" in str(exc.value)
    assert RoleGrant.objects.count() == before
    granted = services.grant_create(
        actor=world.district_a_cadre, scope=scope, user=world.outsider,
        role_type=RoleType.objects.get(code="uv_btv"), unit=world.district_a,
        department=None, start_date=world.district_a.founded_on,
    )
    assert granted.unit == world.district_a
