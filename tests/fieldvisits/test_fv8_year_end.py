"""FV-8 Year-end: a cadre's visit record is a section of their annual self-review and a criterion
of their year-end rating, shown on the cadre's member page through members' registry (members
sits below field visits); a reader who may not read the record does not see it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.safestring import mark_safe

from doanvu.accounts.scope import Scope
from doanvu.members.api import ReviewSection, register_review_section
from doanvu.members.rating import review
from doanvu.org.models import Position
from tests.conftest import login
from tests.fieldvisits.compliance_fixtures import FV, YEAR, fv, visit  # noqa: F401
from tests.members.conftest import make_member


def member_of(fv: FV, name: str, title: str = "Chuyên viên"):  # noqa: ANN201, F811
    m = make_member(fv.world.branch_a1, name, birth=dt.date(1990, 1, 1))
    Position.objects.create(person=m.person, unit=fv.world.province, department=fv.dept,
                            title=title, start_date=dt.date(2017, 1, 1))
    return m


def page(client, m) -> str:  # noqa: ANN001
    answer = client.get(reverse("members:member_detail", args=[m.pk]), {"ngay": f"31/12/{YEAR}"})
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_section_and_the_criterion(fv: FV) -> None:  # noqa: F811
    w = fv.world
    short = member_of(fv, "Đỗ Văn Kiểm")
    visit(short.person, w.province, [w.commune_a1], "01/02", "18/03")
    visit(short.person, w.province, [w.commune_b1], "01/05")
    done = member_of(fv, "Hồ Thị Đủ")
    visit(done.person, w.province, [w.district_a, w.commune_a1], "01/03", "29/04")
    visit(done.person, w.province, [w.branch_a1], "02/05", "03/05", "1.6")
    clerk = member_of(fv, "Mai Văn Thư", title="Kế toán")
    client = login(w.province_secretary)
    text = page(client, short)
    assert "Kiểm điểm, đánh giá cuối năm 2020" in text
    assert "Kết quả đi cơ sở trong năm" in text and "Đã đi cơ sở 48 ngày, phải đi 60 ngày" in text
    assert ("Thực hiện chế độ đi cơ sở — <span class=\"warn\">Chưa đạt: Thiếu 12 ngày; chưa dự "
            "sinh hoạt chi đoàn ấp, khu phố; chưa đi cấp huyện.</span>") in text
    assert "Thực hiện chế độ đi cơ sở — <span class=\"ok\">Đạt</span>" in page(client, done)
    assert "Không áp dụng: được phân công nhiệm vụ “Kế toán”" in page(client, clerk)


def test_a_reader_of_the_branch_only_does_not_see_the_record(fv: FV) -> None:  # noqa: F811
    m = member_of(fv, "Đỗ Văn Kiểm")
    text = page(login(fv.world.branch_secretary), m)
    assert "Kết quả đi cơ sở trong năm" not in text


def test_no_regime_no_section(fv: FV) -> None:  # noqa: F811
    m = make_member(fv.world.branch_a1, "Không Chức Vụ", birth=dt.date(1990, 1, 1))
    assert "Kết quả đi cơ sở trong năm" not in page(login(fv.world.province_secretary), m)


def test_the_registry_orders_and_skips(fv: FV) -> None:  # noqa: F811
    def other(*, scope: Scope, person: object, year: int) -> ReviewSection | None:
        return ReviewSection("khac", "Khác", mark_safe(""), "Tiêu chí khác", "Đạt", True,
                             order=10) if year == YEAR else None

    register_review_section("khac", other)
    try:
        system = Scope(user_id=None, is_superuser=True)
        found = review.sections_for(scope=system, person=fv.goer, year=YEAR)
        assert [s.key for s in found] == ["khac", "fieldvisits"]
        assert found[1].met is True and found[1].verdict == "Đạt"
        assert [s.key for s in review.sections_for(scope=system, person=fv.goer,
                                                   year=2017)] == []  # no regime before 2018
    finally:
        review.unregister_section("khac")
