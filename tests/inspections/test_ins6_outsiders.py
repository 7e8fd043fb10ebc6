"""X-3 on every page, action and document of INS-6/INS-8, EMU-9 and EMU-11, with the fixture's
real ids: another district's cadre, a branch secretary and a user with no grant get 404 (or 405
for a method the endpoint does not take) and change nothing; the register shows them nothing."""

from __future__ import annotations

from django.urls import reverse

from doanvu.emulation.models import RubricItem, ScoreLine, SheetEntry
from doanvu.inspections.models import Conclusion, Direction, Limitation
from tests.conftest import login
from tests.inspections.conclusion_world import Concl, concl, draft, issue

__all__ = ["concl"]


def test_ins6_every_new_page_action_and_document_is_404_for_outsiders(concl: Concl) -> None:
    w = concl.ins.world
    issued = draft(concl)
    issue(concl, issued)
    last_year = draft(concl, session=concl.session_2019, actor=concl.ins.head_user,
                      adjustments=[])
    issue(concl, last_year)
    limitation = Limitation.objects.filter(conclusion=last_year).first()
    direction = Direction.objects.filter(conclusion=issued).first()
    assert limitation is not None and direction is not None
    document = Conclusion.objects.get(pk=issued.pk).document
    assert document is not None
    penalty = RubricItem.objects.get(rubric=concl.rubric, code="TR1")
    urls = [
        reverse("inspections:conclusion_detail", args=[concl.session.pk]),
        reverse("inspections:conclusion_edit", args=[concl.session.pk]),
        reverse("inspections:conclusion_issue", args=[concl.session.pk]),
        reverse("inspections:direction_mark", args=[direction.pk]),
        reverse("inspections:limitation_remedied", args=[limitation.pk]),
        reverse("inspections:department_directions", args=[w.tckt.pk]),
        reverse("emulation:carryover_apply", args=[concl.sheet_a.pk, limitation.pk]),
        reverse("emulation:sheet_detail", args=[concl.sheet_a.pk]),
        reverse("documents:detail", args=[document.pk]),
    ]
    form = {"strengths": "Kẻ gian", "limitations": "x", "signer_title": "X", "signer_name": "Y",
            "done": "1", "note": "Kẻ gian", "item": penalty.pk, "reason": "Kẻ gian"}
    lines = ScoreLine.objects.count()
    for user in (w.district_b_cadre, w.branch_secretary, w.outsider):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code in (404, 405), (user.username, url)
            assert client.post(url, form).status_code in (404, 405), (user.username, url)
        register = client.get(reverse("emulation:good_models")).content.decode()
        assert "Ngày thứ Bảy" not in register and "Huyện đoàn Châu Thành" not in register
    # a department of another unit is not listed either
    assert login(w.district_b_cadre).get(
        reverse("inspections:department_directions", args=[concl.office.pk])).status_code == 404
    direction.refresh_from_db()
    limitation.refresh_from_db()
    assert direction.done_on is None and limitation.remedied_on is None
    assert not SheetEntry.objects.exists() and ScoreLine.objects.count() == lines
    assert Conclusion.objects.get(pk=issued.pk).strengths != "Kẻ gian"
