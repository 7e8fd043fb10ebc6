"""REM-2 in the browser: a writer of the unit adds a solution group with its lead department,
a solution with its deadline and the shortcomings it addresses, and updates its progress;
refusals name the field; an outsider gets 404 and writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doanvu.common.periods import Period
from doanvu.remediation import services
from doanvu.remediation.models import Solution, SolutionGroup
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _group(rem: RemWorld) -> SolutionGroup:
    return services.group_add(scope=scope(rem.world.admin), unit=rem.world.province, year=2020,
                              name="Nhóm 1", lead=rem.office)


def test_rem2_writer_adds_a_group_led_by_a_department(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:group_create", args=[rem.world.province.pk])
    assert "Thêm nhóm giải pháp năm 2020" in client.get(url).content.decode()

    response = client.post(url + "?nam=2020", {"name": "Nhóm giải pháp về lãnh đạo",
                                               "lead": rem.movement.pk})

    assert response.status_code == 302
    group = SolutionGroup.objects.get()
    assert (group.year, group.number, group.lead) == (2020, 1, rem.movement)
    page = client.get(reverse("remediation:register", args=[rem.world.province.pk])
                      + "?nam=2019").content.decode()
    assert "Nhóm giải pháp về lãnh đạo" in page and "Thêm giải pháp" in page


def test_rem2_writer_adds_a_solution_with_a_parsed_deadline(rem: RemWorld) -> None:
    group = _group(rem)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:solution_create", args=[rem.world.province.pk]) + "?nam=2020"
    assert "Khuyết điểm 2: Chỉ đạo cơ sở còn gấp, chậm" in client.get(url).content.decode()

    client.post(url, {"group": group.pk, "text": "Rà soát chỉ tiêu", "deadline": "quý I/2020",
                      "shortcomings": [rem.items[1].pk, rem.items[2].pk]})
    client.post(url, {"group": group.pk, "text": "Đi cơ sở", "deadline": "thường xuyên"})

    first, second = Solution.objects.order_by("position")
    assert first.deadline == Period.from_key("2020-Q1") and first.position == 1
    assert set(first.shortcomings.values_list("number", flat=True)) == {1, 2}
    assert second.ongoing and second.position == 2


def test_rem2_a_bad_deadline_is_refused_on_its_field(rem: RemWorld) -> None:
    group = _group(rem)
    client = login(rem.world.province_secretary)
    url = reverse("remediation:solution_create", args=[rem.world.province.pk]) + "?nam=2020"

    response = client.post(url, {"group": group.pk, "text": "x", "deadline": "tháng 13/2020"})

    assert response.status_code == 200
    form = response.context["form"]
    assert "deadline" in form.errors and "hời hạn" in form.errors["deadline"][0]
    assert Solution.objects.count() == 0


def test_rem2_writer_updates_progress_with_a_note(rem: RemWorld) -> None:
    solution = services.solution_add(scope=scope(rem.world.admin), group=_group(rem),
                                     text="Rà soát", deadline="tháng 03/2020")
    client = login(rem.world.province_secretary)
    url = reverse("remediation:solution_progress", args=[solution.pk])
    assert "Cập nhật tiến độ giải pháp" in client.get(url).content.decode()

    body = client.post(url, {"progress": 120, "note": ""}).content.decode()
    assert "Tiến độ (%)" in body
    client.post(url, {"progress": 60, "note": "Đã rà soát 6/10 huyện"})

    solution.refresh_from_db()
    assert (solution.progress, solution.progress_note) == (60, "Đã rà soát 6/10 huyện")
    page = client.get(reverse("remediation:register", args=[rem.world.province.pk])
                      + "?nam=2019").content.decode()
    assert "60%" in page and "Đã rà soát 6/10 huyện" in page


def test_rem2_outsider_gets_404_on_the_plan_forms(rem: RemWorld) -> None:
    group = _group(rem)
    solution = services.solution_add(scope=scope(rem.world.admin), group=group, text="Rà soát")
    outsider = login(rem.world.district_a_cadre)
    unit = rem.world.province.pk
    for url, data in (
            (reverse("remediation:group_create", args=[unit]), {"name": "x"}),
            (reverse("remediation:solution_create", args=[unit]), {"group": group.pk,
                                                                   "text": "x"}),
            (reverse("remediation:solution_progress", args=[solution.pk]), {"progress": 90})):
        assert outsider.get(url).status_code == 404, url
        assert outsider.post(url, data).status_code == 404, url
    assert SolutionGroup.objects.count() == 1 and Solution.objects.count() == 1
    solution.refresh_from_db()
    assert solution.progress == 0
