from __future__ import annotations

from django.urls import reverse

from tests.conftest import World, login


def test_org1_pages_render_for_province_secretary(world: World) -> None:
    client = login(world.province_secretary)
    for url in [
        reverse("org:home"),
        reverse("org:tree"),
        reverse("org:tree") + "?q=chau+thanh",
        reverse("org:unit_detail", args=[world.province.pk]),
        reverse("org:unit_children", args=[world.province.pk]),
        reverse("org:unit_audit", args=[world.province.pk]),
        reverse("org:unit_export", args=[world.province.pk, "csv"]),
        reverse("org:unit_export", args=[world.province.pk, "xlsx"]),
        reverse("org:unit_create", args=[world.province.pk]),
        reverse("org:unit_rename", args=[world.district_a.pk]),
        reverse("org:unit_move", args=[world.commune_a1.pk]),
        reverse("org:unit_merge", args=[world.commune_a1.pk]),
        reverse("org:unit_split", args=[world.district_a.pk]),
        reverse("org:unit_dissolve", args=[world.branch_a1.pk]),
        reverse("accounts:grant_list"),
        reverse("accounts:grant_create"),
        reverse("accounts:role_types"),
        reverse("audit:log"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
