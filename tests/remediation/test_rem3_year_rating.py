"""REM-3 → the year-end rating, and the page issuing the evaluation policy: the year's monthly
evaluations give a mean and, by the policy's thresholds (data), a suggested level of the members'
scale; a writer records it as the member's yearly rating through members' rating service, which
audits it; the policy page refuses weights that do not add up to 100, naming the field; outsiders
get 404 and write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.periods import Period
from doanvu.members.models import MemberRating
from doanvu.members.rating import services as rating_services
from doanvu.org.models import Person, Position
from doanvu.remediation import rating, selectors, services
from doanvu.remediation.models import EvaluationPolicy
from tests.conftest import grant, login, make_user
from tests.members.conftest import make_member
from tests.remediation.conftest import RemWorld, scope
from tests.remediation.test_rem3_evaluation import SEED_004

pytestmark = pytest.mark.django_db

THRESHOLDS = [{"level": "htxs", "min": 90}, {"level": "htt", "min": 80}, {"level": "ht", "min": 50}]
# (tai_lieu, nhiem_vu, khac_phuc, sang_kien) → 84,00 / 81,00 / 88,00: mean 84,33
MONTHS = {1: (100, 90, 80, 50), 2: (100, 80, 80, 50), 3: (100, 90, 90, 50)}


def _year(rem: RemWorld) -> Person:
    rating_services.rating_scales_install(issuing_unit=rem.world.centre, years=[2020])
    policy = services.evaluation_policy_create(
        scope=scope(rem.world.admin), issuing_unit=rem.world.province, name="Đánh giá UV.BTV",
        valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2020, 12, 31), criteria=SEED_004,
        rating_thresholds=THRESHOLDS)
    person = make_member(rem.world.branch_a1, "Trần Lê Duy").person
    Position.objects.create(person=person, unit=rem.world.province, title="Phó Bí thư",
                            full_time=True, start_date=dt.date(2017, 1, 1))
    codes = [c["code"] for c in SEED_004]
    for month, points in MONTHS.items():
        services.evaluation_save(scope=scope(rem.world.admin), unit=rem.world.province,
                                 person=person, month=Period.month(2020, month), policy=policy,
                                 points=dict(zip(codes, points, strict=True)))
    return person


def test_rem3_year_mean_and_suggestion_come_from_the_months_and_thresholds(
        rem: RemWorld) -> None:
    person = _year(rem)

    result = selectors.year_result(unit=rem.world.province, person=person, year=2020)

    assert result.scores == [Decimal("84.00"), Decimal("81.00"), Decimal("88.00")]
    assert result.mean == Decimal("84.33")
    assert result.suggestion == "htt"
    page = login(rem.world.province_secretary).get(
        reverse("remediation:evaluations", args=[rem.world.province.pk]) + "?nam=2020")
    body = page.content.decode()
    assert "84,33" in body and "Hoàn thành tốt nhiệm vụ" in body


def test_rem3_writer_records_the_year_end_rating_audited(rem: RemWorld) -> None:
    person = _year(rem)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:year_rating", args=[rem.world.province.pk, person.pk, 2020])
    page = client.get(url).content.decode()
    assert "84,33" in page and 'value="htt" selected' in page

    response = client.post(url, {"level": "htt", "note": ""})

    assert response.status_code == 302
    saved = MemberRating.objects.get(membership__person=person, year=2020)
    assert saved.level == "htt"
    record = AuditRecord.objects.filter(model="members.memberrating").latest("id")
    assert "bình quân 84,33 điểm (3 tháng)" in record.reason
    assert record.actor_id == rem.world.province_secretary.pk


def test_rem3_year_rating_bad_level_names_the_field_and_writes_nothing(rem: RemWorld) -> None:
    person = _year(rem)

    with pytest.raises(rating.RatingLinkError) as e:
        rating.year_rating_record(actor=rem.world.province_secretary,
                                  scope=scope(rem.world.province_secretary),
                                  unit=rem.world.province, person=person, year=2020,
                                  level="xuat_sac_lam")

    assert e.value.field == "level" and "Mức xếp loại" in e.value.message
    assert MemberRating.objects.count() == 0


def test_rem3_year_rating_outsider_gets_404(rem: RemWorld) -> None:
    person = _year(rem)
    client = login(rem.world.district_a_cadre)
    url = reverse("remediation:year_rating", args=[rem.world.province.pk, person.pk, 2020])

    assert client.get(url).status_code == 404
    assert client.post(url, {"level": "htt"}).status_code == 404
    assert MemberRating.objects.count() == 0


def test_rem3_the_review_section_offers_the_year_on_the_member_page(rem: RemWorld) -> None:
    person = _year(rem)

    section = rating.review_section(scope=scope(rem.world.province_secretary), person=person,
                                    year=2020)
    hidden = rating.review_section(scope=scope(rem.world.district_a_cadre), person=person,
                                   year=2020)

    assert section is not None
    assert section.verdict == "bình quân 84,33 điểm, gợi ý: Hoàn thành tốt nhiệm vụ"
    assert hidden is None


# -- the page issuing the evaluation policy ---------------------------------------------------

FORM = {"name": "Đánh giá UV.BTV năm 2021", "source": "Kế hoạch 2021",
        "valid_from": "01/01/2021", "valid_to": "31/12/2021",
        "tieu_chi_1": "Tiến độ cung cấp tài liệu", "trong_so_1": "20",
        "tieu_chi_2": "Hoàn thành nhiệm vụ", "trong_so_2": "30",
        "tieu_chi_3": "Khắc phục khuyết điểm tháng trước", "trong_so_3": "40",
        "tieu_chi_4": "Sáng kiến", "trong_so_4": "10"}


def test_rem3_administrator_issues_the_policy_from_the_page(rem: RemWorld) -> None:
    rating_services.rating_scales_install(issuing_unit=rem.world.centre, years=[2021])
    client = login(rem.world.province_secretary)
    url = reverse("remediation:evaluation_policy_create", args=[rem.world.province.pk])
    assert "Hoàn thành xuất sắc nhiệm vụ" in client.get(url + "?nam=2021").content.decode()

    response = client.post(url + "?nam=2021", {**FORM, "nguong_htxs": "90", "nguong_htt": "80"})

    assert response.status_code == 302
    policy = EvaluationPolicy.objects.get()
    assert [c["weight"] for c in policy.criteria] == [20, 30, 40, 10]
    assert policy.criteria[2]["label"] == "Khắc phục khuyết điểm tháng trước"
    assert [t["level"] for t in policy.rating_thresholds] == ["htxs", "htt"]


def test_rem3_weights_not_adding_to_100_name_the_field_and_write_nothing(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:evaluation_policy_create", args=[rem.world.province.pk])

    response = client.post(url, {**FORM, "trong_so_4": "15"})

    assert response.status_code == 200
    assert "Trọng số các tiêu chí: tổng phải bằng 100 (%), hiện là 105." in (
        response.content.decode())
    assert EvaluationPolicy.objects.count() == 0


def test_rem3_policy_page_is_for_administrators_only(rem: RemWorld) -> None:
    writer = make_user("canbo_ban_tinh")
    grant(writer, "can_bo_ban", rem.world.province, department=rem.world.tckt)
    url = reverse("remediation:evaluation_policy_create", args=[rem.world.province.pk])

    assert login(writer).get(url).status_code == 404
    assert login(rem.world.district_a_cadre).post(url, FORM).status_code == 404
    assert EvaluationPolicy.objects.count() == 0
