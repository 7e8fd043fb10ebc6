"""X-3 for remediation's pages: the owner reads and writes, a reader of a unit above reads, a
district cadre beside it (the outsider) gets 404 for every page and writes nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.remediation import services
from doanvu.remediation.models import Evidence
from tests.conftest import login
from tests.remediation.conftest import RemWorld, scope


def _evidence(rem: RemWorld) -> Evidence:
    return services.evidence_add(scope=scope(rem.world.admin), actor=rem.world.admin,
                                 shortcoming=rem.items[1], name="Biên bản",
                                 file=SimpleUploadedFile("bb.txt", b"x"))


def test_rem_outsider_gets_404_everywhere(rem: RemWorld) -> None:
    evidence = _evidence(rem)
    unit, item = rem.world.province.pk, rem.items[1].pk
    client = login(rem.world.district_a_cadre)

    for name, pk in (("register", unit), ("evaluations", unit), ("shortcoming_detail", item),
                     ("evidence_file", evidence.pk)):
        assert client.get(reverse(f"remediation:{name}", args=[pk])).status_code == 404, name
    for name in ("evidence_add", "shortcoming_close"):
        response = client.post(reverse(f"remediation:{name}", args=[item]),
                               {"name": "x", "file": SimpleUploadedFile("x.txt", b"x")})
        assert response.status_code == 404, name
    assert Evidence.objects.count() == 1
    rem.items[1].refresh_from_db()
    assert rem.items[1].closed_on is None


def test_rem_owner_and_reader_see_the_pages(rem: RemWorld) -> None:
    evidence = _evidence(rem)
    owner = login(rem.world.province_secretary)

    page = owner.get(reverse("remediation:shortcoming_detail", args=[rem.items[1].pk]))
    assert page.status_code == 200
    assert "Thêm minh chứng" in page.content.decode()
    assert owner.get(reverse("remediation:evidence_file", args=[evidence.pk])).status_code == 200


def test_rem_bad_year_is_404_not_500(rem: RemWorld) -> None:
    client = login(rem.world.province_secretary)
    url = reverse("remediation:register", args=[rem.world.province.pk])

    assert client.get(url + "?nam=abc").status_code == 404
    assert client.get(url + "?nam=99999999999999999999").status_code == 404
