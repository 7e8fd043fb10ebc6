"""FV-5, FV-7, FV-10 pages under /di-co-so/: each role sees its actions and runs the steps
through the pages; every page, export and document answers 404 to a user of another unit and
names nothing of ours."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from doanvu.fieldvisits import plans, rollups
from doanvu.fieldvisits.models import Campaign, PlannedVisit, PlanStatus, QuarterPlan
from tests.conftest import World, login
from tests.fieldvisits.plan_fixtures import FV, YEAR, build, visit

D = dt.date
OURS = ["Nguyễn Văn An", "Ban Phong trào", "Tỉnh đoàn Tây Ninh", "Trần Thị Bích"]


@pytest.fixture
def fv(world: World) -> FV:
    return build(world)


def _world_of_records(fv: FV) -> dict[str, str]:
    """A plan issued, a campaign, a roll-up generated: every page and document of them."""
    w = fv.world
    c = plans.campaign_create(actor=fv.standing, unit=w.province, year=YEAR)
    line = plans.line_draft(actor=fv.cadre, unit=w.province, person=fv.cadre_person, year=YEAR,
                            quarter=1, kind="1.1", place=w.commune_a1,
                            start_date=D(YEAR, 3, 2), end_date=D(YEAR, 3, 3), campaign=c)
    plan = plans.plan_merge(actor=fv.head, plan=line.plan, supervisor=fv.deputy_person)
    plans.plan_register(actor=fv.head, plan=plan, on=D(YEAR, 1, 10))
    plans.plan_approve(actor=fv.standing, plan=plan, on=D(YEAR, 1, 12))
    doc = plans.plan_issue(actor=fv.standing, unit=w.province, year=YEAR, quarter=1,
                           signer_title="Bí thư", signer_name="Phạm Quốc Dũng",
                           issued_on=D(YEAR, 1, 13))
    visit(fv.cadre_person, w.province, w.commune_a1, D(YEAR, 3, 2), 2, cost=100000,
          department=fv.movement, campaign=c)
    rep = rollups.rollup_generate(actor=fv.tckt_user, unit=w.province, year=YEAR,
                                  code="quy_thuong_truc", n=1, signer_title="Trưởng ban",
                                  signer_name="Đỗ Văn Khoa", issued_on=D(YEAR, 4, 5))
    u = w.province.pk
    return {
        "plan_list": reverse("fieldvisits:plan_list", args=[u]) + f"?nam={YEAR}",
        "plan_detail": reverse("fieldvisits:plan_detail", args=[plan.pk]),
        "campaign_list": reverse("fieldvisits:campaign_list", args=[u]),
        "campaign_detail": reverse("fieldvisits:campaign_detail", args=[c.pk]),
        "rollup_page": reverse("fieldvisits:rollup_page", args=[u]) + f"?nam={YEAR}",
        "rollup_xlsx": reverse("fieldvisits:rollup_xlsx", args=[u, YEAR, "quy_thuong_truc", 1]),
        "plan_document": reverse("documents:detail", args=[doc.pk]),
        "rollup_document": reverse("documents:detail", args=[rep.document.pk]),
    }


def test_fv5_outsider_gets_404_everywhere(fv: FV) -> None:
    urls = _world_of_records(fv)
    for user in (fv.other_cadre, fv.world.outsider, fv.district_secretary):
        client = login(user)
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code == 404, (user.username, name)
            body = response.content.decode()
            assert not any(x in body for x in OURS), (user.username, name)
    # an account without a cadre record is told so
    r = login(fv.world.outsider).get(reverse("fieldvisits:my_lines"))
    assert r.status_code == 200 and "chưa gắn với hồ sơ cán bộ" in r.content.decode()
    # their own cadre page never shows our lines
    body = login(fv.other_cadre).get(reverse("fieldvisits:my_lines")).content.decode()
    assert not any(x in body for x in OURS[:2])
    plan = QuarterPlan.objects.get()
    for action in ("plan_merge", "plan_register", "plan_approve", "plan_assign",
                   "plan_allow_late"):
        r = login(fv.other_cadre).post(reverse(f"fieldvisits:{action}", args=[plan.pk]))
        assert r.status_code == 404, action
    r = login(fv.other_cadre).post(reverse("fieldvisits:plan_issue",
                                           args=[fv.world.province.pk, YEAR, 2]))
    assert r.status_code == 404


def test_fv5_readers_see_every_page(fv: FV) -> None:
    urls = _world_of_records(fv)
    client = login(fv.standing)
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
    body = client.get(urls["plan_detail"]).content.decode()
    assert "Nguyễn Văn An" in body and "Võ Thị Hạnh" in body and "1-KH/" in body
    body = client.get(urls["campaign_detail"]).content.decode()
    assert "Dự kiến 1 chuyến (2 ngày); đã đi 1 chuyến (2 ngày)." in body
    body = client.get(urls["rollup_page"]).content.decode()
    assert "10/04/2020" in body and "01/11/2020" in body and "Ban Phong trào" in body
    wb = load_workbook(io.BytesIO(client.get(urls["rollup_xlsx"]).content))
    assert any(r[0] == "Nguyễn Văn An" for r in wb.worksheets[0].iter_rows(values_only=True))


def test_fv5_steps_through_the_pages(fv: FV) -> None:
    w = fv.world
    cadre = login(fv.cadre)
    url = reverse("fieldvisits:my_lines") + f"?nam={YEAR}&quy=2"
    page = cadre.get(url).content.decode()
    assert "1.3. Theo chuyên đề" in page and "1.2. Kiểm tra, giám sát" not in page
    bad = cadre.post(url, {"kind": "1.2", "place": w.commune_a1.pk, "start_date": "02/05/2020",
                           "end_date": "03/05/2020"})
    assert bad.status_code == 400 and not PlannedVisit.objects.exists()
    r = cadre.post(url, {"kind": "1.3", "place": w.commune_a1.pk, "start_date": "02/05/2020",
                         "end_date": "01/05/2020"})
    assert r.status_code == 400 and "trước ngày đi" in r.content.decode()
    r = cadre.post(url, {"kind": "1.3", "place": w.commune_a1.pk, "start_date": "02/05/2020",
                         "end_date": "03/05/2020", "content": "Khảo sát thanh niên"})
    assert r.status_code == 302
    plan = QuarterPlan.objects.get()
    head = login(fv.head)
    detail = reverse("fieldvisits:plan_detail", args=[plan.pk])
    assert "Đăng ký với Ban Tổ chức – Kiểm tra" in head.get(detail).content.decode()
    head.post(reverse("fieldvisits:plan_merge", args=[plan.pk]),
              {"supervisor": fv.deputy_person.pk})
    r = head.post(reverse("fieldvisits:plan_register", args=[plan.pk]), follow=True)
    plan.refresh_from_db()
    # registering today, long after 15/04/2020: refused with the day, nothing changed
    assert plan.status == PlanStatus.DRAFT and plan.supervisor == fv.deputy_person
    assert "Đã quá hạn đăng ký kế hoạch quý 2/2020 (hạn 15/04/2020)" in r.content.decode()
    standing = login(fv.standing)
    standing.post(reverse("fieldvisits:plan_allow_late", args=[plan.pk]),
                  {"reason": "Ban bận tổ chức Đại hội"})
    head.post(reverse("fieldvisits:plan_register", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REGISTERED and plan.registered_late
    standing.post(reverse("fieldvisits:plan_approve", args=[plan.pk]))
    standing.post(reverse("fieldvisits:plan_assign", args=[plan.pk]), {
        "person": fv.cadre2_person.pk, "kind": "1.1", "place": w.district_a.pk,
        "start_date": "10/06/2020", "end_date": "10/06/2020"})
    assert not PlannedVisit.objects.filter(assigned=True).exists()
    standing.post(reverse("fieldvisits:plan_assign", args=[plan.pk]), {
        "person": fv.cadre2_person.pk, "kind": "1.4", "place": w.district_a.pk,
        "start_date": "10/06/2020", "end_date": "11/06/2020"})
    assert PlannedVisit.objects.filter(assigned=True, person=fv.cadre2_person).count() == 1
    standing.post(reverse("fieldvisits:plan_issue", args=[w.province.pk, YEAR, 2]), {
        "signer_title": "Bí thư", "signer_name": "Phạm Quốc Dũng", "issued_on": "20/04/2020"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.document.symbol.startswith("1-KH/")


def test_fv10_campaign_page_creates(fv: FV) -> None:
    standing = login(fv.standing)
    url = reverse("fieldvisits:campaign_list", args=[fv.world.province.pk])
    r = standing.post(url, {"year": YEAR, "target_days": 40})
    assert r.status_code == 400 and not Campaign.objects.exists()
    r = standing.post(url, {"year": YEAR, "target_days": 5, "name": ""})
    assert r.status_code == 302
    assert Campaign.objects.get().start_date == D(YEAR, 3, 1)
    # the cadre without a grant does not see the unit's campaigns
    assert login(fv.cadre).get(url).status_code == 404


def test_fv7_rollup_generate_page(fv: FV) -> None:
    client: Client = login(fv.tckt_user)
    u = fv.world.province.pk
    r = client.post(reverse("fieldvisits:rollup_generate", args=[u, YEAR, "nam_btv", 1]),
                    {"signer_title": "Trưởng ban", "signer_name": "Đỗ Văn Khoa",
                     "issued_on": "15/10/2020"})
    assert r.status_code == 302
    page = client.get(reverse("fieldvisits:rollup_page", args=[u]) + f"?nam={YEAR}")
    assert "1-BC/" in page.content.decode()
    # the head of another department may not generate the unit's roll-ups
    r = login(fv.head).post(reverse("fieldvisits:rollup_generate",
                                    args=[u, YEAR, "nam_trung_uong", 1]),
                            {"signer_title": "Trưởng ban", "signer_name": "Trần Thị Bích"})
    assert r.status_code == 302
    assert "1-BC/" in page.content.decode()
    from doanvu.documents.models import Document
    assert Document.objects.filter(doc_type__code="bao_cao").count() == 1
