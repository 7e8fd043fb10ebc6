"""EMU-6, EMU-7 in the demo (HCMC 2020): the districts' ranking published once every sheet is
final, a notice issued to every district, Củ Chi's appeal of a score Ban Tổ chức gave decided
by the Bí thư and recomputed into a new snapshot while the first stays and reproduces, and
Quận 3 — which missed its inspection documents — unable to appeal, told why."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from doanvu.accounts.models import User
from doanvu.emulation import ranking, results
from doanvu.emulation.models import (
    Appeal,
    AppealState,
    RankingSnapshot,
    ResultNotice,
    ScoreSheet,
    SheetState,
    SnapshotState,
)
from doanvu.org.models import Unit
from tests.e2e.layout_sweep import forbidden_tokens


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def test_emu7_demo_published_noticed_appealed_recomputed(demo: None) -> None:
    snaps = list(RankingSnapshot.objects.filter(rubric__group__name="Khu vực Quận – Huyện",
                                                rubric__year=2020).order_by("computed_at"))
    assert [s.state for s in snaps] == [SnapshotState.PUBLISHED, SnapshotState.PUBLISHED]
    first, second = snaps
    assert first.superseded_by_id == second.pk and second.superseded_by_id is None
    assert ranking.snapshot_reproduces(first) and ranking.snapshot_reproduces(second)
    assert not ScoreSheet.objects.filter(rubric=first.rubric).exclude(
        state=SheetState.FINAL).exists()
    assert ResultNotice.objects.filter(snapshot=first).count() == first.entries.count() == 24
    appeal = Appeal.objects.get()
    assert appeal.unit.name == "Huyện đoàn Củ Chi" and appeal.state == AppealState.ACCEPTED
    assert appeal.result_id == second.pk and appeal.decided_by.username == "hcm_bithu"
    gave = results.disputed_scorers(snapshot=first, unit=appeal.unit, criterion=appeal.criterion)
    assert "hcm_bantochuc" in set(User.objects.filter(pk__in=gave)
                                  .values_list("username", flat=True))
    q3 = Unit.objects.get(name="Quận đoàn 3")
    check = results.eligibility(snapshot=second, unit=q3, on=second.published_on)
    assert any("không được quyền khiếu nại" in r for r in check.reasons)
    assert results.eligibility(snapshot=second, unit=appeal.unit, on=second.published_on).ok
    # another group stays at every stage, its ranking a draft
    workers = ScoreSheet.objects.filter(rubric__group__name="Khu vực Công nhân lao động")
    assert {"tu_cham", "da_nop", "ban_cham", "da_kiem_tra", "chinh_thuc"} <= set(
        workers.values_list("state", flat=True))
    assert RankingSnapshot.objects.get(rubric__group__name="Khu vực Công nhân lao động",
                                       rubric__year=2020).state == SnapshotState.DRAFT

pytestmark = pytest.mark.django_db


def test_emu7_demo_pages(demo: None) -> None:
    appeal = Appeal.objects.get()
    q1 = Unit.objects.get(name="Quận đoàn 1")
    q3 = Unit.objects.get(name="Quận đoàn 3")
    unit_page = _client("hcm_quan1").get(reverse("emulation:unit_results", args=[q1.pk]))
    text = unit_page.content.decode()
    assert unit_page.status_code == 200 and "Đã hết thời hạn khiếu nại" in text
    assert forbidden_tokens(text) == []
    assert _client("hcm_quan1").get(reverse("emulation:unit_results",
                                            args=[q3.pk])).status_code == 404
    city = _client("hcm_bithu")
    q3_page = city.get(reverse("emulation:unit_results", args=[q3.pk])).content.decode()
    assert "không gửi đủ tài liệu kiểm tra" in q3_page
    detail = city.get(reverse("emulation:appeal_detail", args=[appeal.pk])).content.decode()
    assert "Đối chiếu danh sách kết nạp" in detail
    snap = city.get(reverse("emulation:snapshot_detail", args=[appeal.snapshot_id]))
    assert snap.status_code == 200 and "Huyện đoàn Củ Chi" in snap.content.decode()
