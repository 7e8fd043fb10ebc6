"""Shared fixtures: a small Tây Ninh-like tree built through the services, users with roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, settings

from doanvu.accounts.models import RoleGrant, RoleType, User
from doanvu.org import services
from doanvu.org.models import Department, DepartmentCategory, Unit, UnitKind

# Property tests time how long their examples take to generate; on CI's two shared cores a busy
# moment fails the "too slow" health check although nothing is wrong with the rule under test.
settings.register_profile("doanvu", suppress_health_check=[HealthCheck.too_slow], deadline=None)
settings.load_profile("doanvu")

D0 = dt.date(2017, 1, 1)


def kind(code: str) -> UnitKind:
    return UnitKind.objects.get(code=code)


def make_user(username: str, *, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password="matkhau123", full_name=username,
                                    is_superuser=superuser, is_staff=superuser)
    return user


def grant(user: User, role_code: str, unit: Unit, *, department: Department | None = None,
          start: dt.date = D0) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role_type=RoleType.objects.get(code=role_code),
                                    unit=unit, department=department, start_date=start)


def login(user: User) -> Client:
    """A client logged in as `user`. The test settings do not require the second factor
    (OTP_REQUIRED); a test that turns it on passes it with `login_verified`."""
    client = Client()
    client.force_login(user)
    return client


def login_verified(user: User) -> Client:
    """`login`, with the session past the second factor (issue 16): the user gets a confirmed
    authenticator device if they have none, and the session is marked as verified by it,
    as `django_otp.login` does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class World:
    centre: Unit
    province: Unit
    district_a: Unit
    district_b: Unit
    commune_a1: Unit
    commune_a2: Unit
    commune_b1: Unit
    branch_a1: Unit
    branch_b1: Unit
    tckt: Department
    admin: User
    province_secretary: User
    district_a_cadre: User
    district_b_cadre: User
    branch_secretary: User
    outsider: User


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts and ends with an empty default cache: the API's rate limit counts in it
    per user id, and ids repeat from test to test (one test's requests must not throttle the
    next test's user)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: object) -> World:
    """Trung ương → Tỉnh đoàn Tây Ninh → 2 huyện → xã → chi đoàn ấp; users for each role."""
    mk = services.unit_create
    centre = mk(actor=None, parent=None, name="Trung ương Đoàn", kind=kind("trung_uong"),
                founded_on=D0)
    province = mk(actor=None, parent=centre, name="Tỉnh đoàn Tây Ninh", kind=kind("tinh"),
                  founded_on=D0, short_name="TĐTN", place="Tây Ninh")
    district_a = mk(actor=None, parent=province, name="Huyện đoàn Châu Thành", kind=kind("huyen"),
                    founded_on=D0)
    district_b = mk(actor=None, parent=province, name="Huyện đoàn Tân Biên", kind=kind("huyen"),
                    founded_on=D0)
    commune_a1 = mk(actor=None, parent=district_a, name="Đoàn xã Thái Bình", kind=kind("co_so"),
                    founded_on=D0, sector="dan_cu_nong_thon")
    commune_a2 = mk(actor=None, parent=district_a, name="Đoàn xã Hảo Đước", kind=kind("co_so"),
                    founded_on=D0, sector="dan_cu_nong_thon")
    commune_b1 = mk(actor=None, parent=district_b, name="Đoàn xã Tân Lập", kind=kind("co_so"),
                    founded_on=D0, sector="dan_cu_nong_thon")
    branch_a1 = mk(actor=None, parent=commune_a1, name="Chi đoàn ấp Bình Phong",
                   kind=kind("chi_doan"), founded_on=D0)
    branch_b1 = mk(actor=None, parent=commune_b1, name="Chi đoàn ấp Tân Đông",
                   kind=kind("chi_doan"), founded_on=D0)
    tckt = Department.objects.create(unit=province, name="Ban Tổ chức – Kiểm tra",
                                     short_name="TCKT", category=DepartmentCategory.DEPARTMENT)
    admin = make_user("quantri", superuser=True)
    province_secretary = make_user("bithu_tinh")
    grant(province_secretary, "bi_thu", province)
    district_a_cadre = make_user("canbo_chauthanh")
    grant(district_a_cadre, "quan_tri_don_vi", district_a)
    district_b_cadre = make_user("canbo_tanbien")
    grant(district_b_cadre, "quan_tri_don_vi", district_b)
    branch_secretary = make_user("bithu_chidoan")
    grant(branch_secretary, "bi_thu_chi_doan", branch_a1)
    outsider = make_user("nguoingoai")
    return World(centre, province, district_a, district_b, commune_a1, commune_a2, commune_b1,
                 branch_a1, branch_b1, tckt, admin, province_secretary, district_a_cadre,
                 district_b_cadre, branch_secretary, outsider)
