"""Issue 10, item 12: bad input that slipped through.

A download with a wrong date or filter refuses (400, Vietnamese, naming the parameter) instead of
answering with today's (or everyone's) data; every search box bounds its words, so a pasted
10 kB text cannot make SQLite refuse the query ("Expression tree is too large")."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.common.search import search_query, search_words
from tests.conftest import World, login
from tests.members.conftest import MembersWorld

HUGE = "nguyen " * 1500  # ~10 kB, 1 500 words
MANY_WORDS = " ".join(f"w{i}" for i in range(500))
LONG_WORD = "a" * 10_000


def test_i10_search_words_are_bounded() -> None:
    assert search_words(HUGE) == ["nguyen"] * 6
    assert len(search_words(MANY_WORDS)) == 6
    assert search_words(LONG_WORD) == ["a" * 40]
    assert search_words("  Tây   NINH\x00 ") == ["tay", "ninh"]
    assert search_query("  Tây   NINH ") == "Tây NINH"
    assert search_query(None) == ""


@override_settings(SEARCH_MAX_WORDS=2, SEARCH_MAX_WORD_CHARS=3)
def test_i10_search_bounds_come_from_settings() -> None:
    assert search_words("nguyen van an") == ["ngu", "van"]


def _search_urls(mw: MembersWorld) -> list[str]:
    w = mw.world
    member = mw.a1[0]
    return [
        reverse("org:tree"),
        reverse("org:unit_pick") + "?field=unit&",
        reverse("members:member_list"),
        reverse("members:transfer_branch_pick", kwargs={"pk": member.pk}),
        reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&",
        reverse("documents:register"),
        reverse("documents:register_export"),
    ]


@pytest.mark.parametrize("text", [HUGE, MANY_WORDS, LONG_WORD],
                         ids=["10kB", "500-words", "one-long-word"])
def test_i10_every_search_survives_a_pasted_page(members_world: MembersWorld, text: str) -> None:
    client = login(members_world.world.province_secretary)
    for url in _search_urls(members_world):
        sep = "" if url.endswith("&") else "?"
        response = client.get(f"{url}{sep}q={text}")
        assert response.status_code == 200, url


def test_i10_bounded_unit_search_still_finds(world: World) -> None:
    client = login(world.province_secretary)
    response = client.get(reverse("org:tree"), {"q": "tay ninh " + "x" * 10_000})
    assert response.status_code == 200
    # the first words are searched; the pasted tail (a word of 40 x) finds nothing, no error
    assert response.context["q"].startswith("tay ninh ")
    response = client.get(reverse("org:tree"), {"q": "tay   ninh"})
    assert "Tỉnh đoàn Tây Ninh" in response.content.decode()


# -- downloads ------------------------------------------------------------------------------------


def _download_urls(mw: MembersWorld) -> list[tuple[str, str]]:
    """(url, the wrong parameter it is given) for every download that takes a date or filter."""
    w = mw.world
    return [
        (reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "csv"})
         + "?ngay=31/02/2020", "ngay"),
        (reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "xlsx"})
         + "?ngay=31/02/2020", "ngay"),
        (reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "csv"})
         + "?ngay=hom-qua", "ngay"),
        (reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "csv"})
         + "?ngay=01/01/2999", "ngay"),
        (reverse("hub:timeliness_export", kwargs={"pk": w.province.pk})
         + "?ngay=31/02/2020", "ngay"),
        (reverse("hub:timeliness_export", kwargs={"pk": w.province.pk})
         + "?ky=quy-5-2020", "ky"),
        (reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&tuoi=99-100", "tuoi"),
        (reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&ngay=31/02/2020", "ngay"),
        # the members export is today's list: another day is refused, not passed off
        (reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&ngay=01/02/2020", "ngay"),
        (reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&trang_thai=xyz",
         "trang_thai"),
        (reverse("documents:register_export") + "?nam=1066", "nam"),
    ]


def test_i10_a_download_with_a_wrong_date_refuses(members_world: MembersWorld) -> None:
    client = login(members_world.world.province_secretary)
    for url, param in _download_urls(members_world):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Content-Disposition" not in response, url
        body = response.content.decode()
        assert f"tham số “{param}”" in body, url
        assert "Không tạo được tệp" in body, url


def test_i10_a_download_with_a_right_date_still_answers(members_world: MembersWorld) -> None:
    w = members_world.world
    client = login(w.province_secretary)
    for url in [
        reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "csv"}) + "?ngay=01/02/2020",
        reverse("org:unit_export", kwargs={"pk": w.province.pk, "fmt": "csv"}),
        reverse("hub:timeliness_export", kwargs={"pk": w.province.pk}) + "?ngay=01/02/2020&ky=2020",
        reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&tuoi=19-23",
        reverse("members:export_xlsx") + f"?don_vi={w.province.pk}&ngay="
        + today().strftime("%d/%m/%Y"),
        reverse("documents:register_export"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "attachment" in response["Content-Disposition"], url
