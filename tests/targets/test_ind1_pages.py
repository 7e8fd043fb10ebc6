"""IND-1 pages: units' writers enter and correct their figures for a target that units enter;
the setting unit's writers correct and remove targets (audited); bad input comes back beside
the field it names, with nothing changed; outsiders get 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from doanvu.accounts.scope import Scope
from doanvu.audit.models import AuditRecord
from doanvu.targets import services
from doanvu.targets.models import Target, TargetEntry
from tests.conftest import login
from tests.targets.conftest import YEAR, TargetsWorld

pytestmark = pytest.mark.django_db


def _entered(tw: TargetsWorld) -> Target:
    """District A's own target that its communes enter (this year, so it is measured today)."""
    w = tw.mw.world
    return services.target_create(
        scope=Scope.for_user(w.district_a_cadre), unit=w.district_a,
        name="Tỉ lệ thanh niên tham gia tình nguyện", goal="80",  # i18n: data
        due_on=dt.date(dt.date.today().year, 12, 31), scope_unit=w.district_a)


def _detail(unit: object, target: Target) -> str:
    return reverse("targets:target_detail", args=[unit.pk, target.pk])  # type: ignore[attr-defined]


def test_ind1_units_writers_enter_and_correct_their_figure(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    client = login(w.district_a_cadre)

    page = client.get(_detail(w.district_a, target)).content.decode()
    assert page.count('data-testid="target-entry"') == 2  # Thái Bình and Hảo Đước
    assert page.count("Chưa nhập") == 2 and "0/2 đơn vị đã nhập kết quả." in page
    assert "Chưa có số liệu" in page  # nothing entered: no 0/0, no "Chưa đạt"

    url = reverse("targets:entry_set", args=[w.district_a.pk, target.pk])
    done = client.post(url, {"unit": w.commune_a1.pk, "value": "90"}, follow=True)
    assert "Đã ghi kết quả của Đoàn xã Thái Bình." in done.content.decode()
    client.post(url, {"unit": w.commune_a1.pk, "value": "85,5"})

    entry = TargetEntry.objects.get(target=target)
    assert (entry.unit, entry.value) == (w.commune_a1, Decimal("85.5"))
    page = client.get(_detail(w.district_a, target)).content.decode()
    assert "1/2 đơn vị đã nhập kết quả." in page and page.count("Chưa nhập") == 1
    assert AuditRecord.objects.filter(model="targets.targetentry",
                                      object_pk=str(entry.pk)).count() == 2  # set, corrected


def test_ind1_entry_value_invalid_is_shown_beside_the_field(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    url = reverse("targets:entry_set", args=[w.district_a.pk, target.pk])

    for bad, message in (("chín mươi", "Kết quả phải là một số."),
                         ("-3", "Kết quả phải là một số."),
                         ("", "Hãy nhập thông tin này.")):
        response = login(w.district_a_cadre).post(url, {"unit": w.commune_a1.pk, "value": bad})
        body = response.content.decode()
        assert response.status_code == 400
        assert f'<p class="error" role="alert">{message}</p>' in body
        assert f'value="{bad}"' in body or not bad  # what was typed is kept
    assert not TargetEntry.objects.exists()


def test_ind1_entry_for_a_unit_outside_reach_changes_nothing(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    url = reverse("targets:entry_set", args=[w.district_a.pk, target.pk])

    response = login(w.district_a_cadre).post(url, {"unit": w.commune_b1.pk, "value": "90"})

    assert response.status_code == 400
    assert "Đơn vị" in response.content.decode()  # the field's own error, beside it
    assert not TargetEntry.objects.exists()


def test_ind1_entry_pages_outsiders_get_404(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    url = reverse("targets:entry_set", args=[w.district_a.pk, target.pk])
    for user in (w.outsider, w.district_b_cadre):
        assert login(user).get(_detail(w.district_a, target)).status_code == 404
        assert login(user).post(url, {"unit": w.commune_a1.pk, "value": "9"}).status_code == 404
    # the branch secretary reads the target at its branch, enters nothing (communes do)
    branch = login(w.branch_secretary)
    page = branch.get(_detail(w.branch_a1, target))
    assert page.status_code == 200 and 'data-testid="entry-form"' not in page.content.decode()
    assert branch.post(reverse("targets:entry_set", args=[w.branch_a1.pk, target.pk]),
                       {"unit": w.commune_a1.pk, "value": "9"}).status_code == 404
    # a target that does not apply to the unit asked about
    assert login(w.district_b_cadre).get(_detail(w.district_b, target)).status_code == 404
    assert not TargetEntry.objects.exists()


def test_ind1_writer_corrects_a_target_audited(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    client = login(w.district_a_cadre)
    url = reverse("targets:target_edit", args=[target.pk])
    form = client.get(url).content.decode()
    assert "Tỉ lệ thanh niên tham gia tình nguyện" in form and 'value="80"' in form

    client.post(url, {"name": "Tỉ lệ thanh niên tình nguyện", "goal": "85",
                      "due_on": f"31/12/{YEAR}", "scope_unit": w.district_a.pk, "formula": ""})

    target.refresh_from_db()
    assert (target.name, target.goal, target.due_on) == (
        "Tỉ lệ thanh niên tình nguyện", Decimal(85), dt.date(YEAR, 12, 31))
    record = AuditRecord.objects.filter(model="targets.target", object_pk=str(target.pk),
                                        action="update").get()
    assert record.actor_id == w.district_a_cadre.pk


@pytest.mark.parametrize(("over", "message"), [
    ({"goal": "tám mươi"}, "Giá trị chỉ tiêu phải là một số."),
    ({"name": "  "}, "Hãy nhập thông tin này."),
    ({"formula": "training_registration", "year": "hai nghìn"}, "Năm tính"),
])
def test_ind1_bad_correction_is_shown_beside_the_field(tw: TargetsWorld, over: dict[str, str],
                                                       message: str) -> None:
    w = tw.mw.world
    target = _entered(tw)
    data = {"name": "Mới", "goal": "85", "due_on": f"31/12/{YEAR}",
            "scope_unit": str(w.district_a.pk), "formula": "", **over}

    response = login(w.district_a_cadre).post(reverse("targets:target_edit", args=[target.pk]),
                                              data)

    assert response.status_code == 400
    assert message in response.content.decode()
    target.refresh_from_db()
    assert (target.name, target.goal) == ("Tỉ lệ thanh niên tham gia tình nguyện", Decimal(80))


def test_ind1_create_scope_outside_reach_and_bad_goal_beside_the_field(tw: TargetsWorld) -> None:
    w = tw.mw.world
    url = reverse("targets:target_create", args=[w.district_a.pk])
    data = {"name": "Chỉ tiêu", "goal": "100", "due_on": "31/12/2024",
            "scope_unit": str(w.district_b.pk), "formula": ""}
    client = login(w.district_a_cadre)

    outside = client.post(url, data)
    bad_goal = client.post(url, {**data, "scope_unit": str(w.district_a.pk), "goal": "nhiều"})

    assert outside.status_code == 400 and bad_goal.status_code == 400
    assert 'class="field has-error"' in outside.content.decode()
    assert "Phạm vi áp dụng" in outside.content.decode()
    body = bad_goal.content.decode()
    assert "Giá trị chỉ tiêu phải là một số." in body and 'value="nhiều"' in body
    assert not Target.objects.filter(unit=w.district_a).exists()


def test_ind1_removal_is_confirmed_audited_and_takes_the_entries(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    services.target_entry_set(scope=Scope.for_user(w.district_a_cadre), target=target,
                              unit=w.commune_a1, value="90", on=dt.date.today())
    client = login(w.district_a_cadre)
    url = reverse("targets:target_delete", args=[target.pk])

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert "Hãy đánh dấu ô xác nhận xóa chỉ tiêu." in unconfirmed.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()

    client.post(url, {"confirm": "on"})

    assert not Target.objects.filter(pk=target.pk).exists()
    assert not TargetEntry.objects.exists()
    assert AuditRecord.objects.filter(model="targets.target", object_pk=str(target.pk),
                                      action="delete", actor_id=w.district_a_cadre.pk).exists()
    assert AuditRecord.objects.filter(model="targets.targetentry", action="delete").count() == 1


def test_ind1_a_target_of_an_issued_plan_is_not_removed(tw: TargetsWorld) -> None:
    from doanvu.documents.models import Document, DocumentType
    from doanvu.documents.services import document_register_issued

    w = tw.mw.world
    target = tw.targets[0]
    plan = document_register_issued(
        actor=None, issuing_unit=w.province, doc_type=DocumentType.objects.get(code="ke_hoach"),
        number=45, issued_on=dt.date(2020, 7, 1),
        title="Nâng cao chất lượng tổ chức cơ sở Đoàn trên địa bàn dân cư",
        signer_title="Phó Bí thư", signer_name="Nguyễn Văn Bình",
        recipients=["BCH các cơ sở Đoàn trực thuộc"])
    Target.objects.filter(pk=target.pk).update(plan=plan)
    assert Document.objects.get(pk=plan.pk).is_draft is False

    response = login(w.province_secretary).post(
        reverse("targets:target_delete", args=[target.pk]), {"confirm": "on"})

    assert response.status_code == 400
    assert "không xóa được" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()


def test_ind1_edit_and_removal_outsiders_get_404(tw: TargetsWorld) -> None:
    w = tw.mw.world
    target = _entered(tw)
    for user in (w.outsider, w.district_b_cadre, w.branch_secretary):
        client = login(user)
        assert client.get(reverse("targets:target_edit", args=[target.pk])).status_code == 404
        assert client.post(reverse("targets:target_delete", args=[target.pk]),
                           {"confirm": "on"}).status_code == 404
    assert login(w.outsider).get(reverse("targets:target_edit", args=[999999])).status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_ind1_services_refuse_a_scope_outside_reach(tw: TargetsWorld) -> None:
    from doanvu.common.errors import ApplicationError
    from doanvu.common.periods import Period
    from doanvu.documents.models import Document

    w = tw.mw.world
    target = _entered(tw)
    outside = Scope.for_user(w.district_b_cadre)
    calls = [
        lambda: services.target_update(scope=outside, target=target, name="x", goal="1",
                                       due_on=dt.date(YEAR, 12, 31), scope_unit=w.district_a),
        lambda: services.target_delete(scope=outside, target=target, confirmed=True),
        lambda: services.target_entry_set(scope=outside, target=target, unit=w.commune_a1,
                                          value="1", on=dt.date.today()),
        lambda: services.report_document_create(actor=w.district_b_cadre, scope=outside,
                                                unit=w.district_a,
                                                period=Period.of_year(YEAR), body="x"),
    ]
    for call in calls:
        with pytest.raises(ApplicationError) as err:
            call()
        assert err.value.field in {"unit", "kind"}
    target.refresh_from_db()
    assert target.name == "Tỉ lệ thanh niên tham gia tình nguyện"
    assert not TargetEntry.objects.exists() and not Document.objects.exists()


def test_ind1_entry_is_checked_on_the_tree_of_the_measurement_day(tw: TargetsWorld) -> None:
    """X-10: Thái Bình lay under district A in 2024, when A's 2024 target is measured; moved to
    district B since, it still enters its 2024 figure there, and Tân Lập, never under A, not."""
    from doanvu.common.errors import ApplicationError
    from doanvu.org import services as org

    w = tw.mw.world
    target = services.target_create(
        scope=Scope.for_user(w.district_a_cadre), unit=w.district_a, name="Tình nguyện",
        goal="80", due_on=dt.date(YEAR, 12, 31), scope_unit=w.district_a)
    org.unit_move(actor=None, unit=w.commune_a1, new_parent=w.district_b,
                  on=dt.date(YEAR + 1, 7, 1))
    w.commune_a1.refresh_from_db()
    scope = Scope.for_user(w.province_secretary)

    services.target_entry_set(scope=scope, target=target, unit=w.commune_a1, value="90",
                              on=dt.date.today())
    with pytest.raises(ApplicationError) as err:
        services.target_entry_set(scope=scope, target=target, unit=w.commune_b1, value="90",
                                  on=dt.date.today())

    assert err.value.field == "unit"
    assert list(TargetEntry.objects.values_list("unit_id", "value")) == [
        (w.commune_a1.pk, Decimal(90))]
