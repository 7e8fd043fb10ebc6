"""Every visit page answers 404 to a user of another unit — like a missing visit — and names
nothing of the other side; writes through them change nothing (X-3)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from doanvu.fieldvisits.models import Visit
from tests.conftest import login
from tests.fieldvisits.conftest import FvWorld
from tests.fieldvisits.test_fv2_logging import PNG, log

FOREIGN = ["Nguyễn Văn Phong", "Tỉnh đoàn Tây Ninh", "Đoàn xã Thái Bình", "Ban Phong trào",
           "Phối hợp tổ chức ngày hội"]


def test_fv2_outsiders_get_404_and_read_nothing(fv: FvWorld) -> None:
    visit = log(fv, places=[fv.world.commune_a1],
                photos=[SimpleUploadedFile("anh.png", PNG)])
    photo = visit.files.get()
    base = f"/di-co-so/chuyen-di/{visit.pk}/"
    for user in (fv.other_user, fv.world.outsider, fv.world.district_b_cadre):
        client = login(user)
        for url in (base, base + "sua/", f"{base}tep/{photo.pk}/",
                    f"/di-co-so/don-vi/{fv.world.province.pk}/chuyen-di/"):
            resp = client.get(url)
            body = resp.content.decode(errors="replace")
            assert resp.status_code == 404, url
            assert [n for n in FOREIGN if n in body] == [], url
        for url in (base + "bao-cao/", base + "xoa/", f"{base}tep/{photo.pk}/xoa/"):
            assert client.post(url, {"report": "Chiếm quyền"}).status_code == 404
        home = client.get("/di-co-so/").content.decode()
        assert [n for n in FOREIGN if n in home] == []
    visit.refresh_from_db()
    assert visit.reported_on is None and visit.files.count() == 1


def test_fv2_the_unit_that_governs_the_cadre_reads_and_a_district_does_not(fv: FvWorld) -> None:
    visit = log(fv)
    secretary = login(fv.world.province_secretary)
    assert secretary.get(f"/di-co-so/chuyen-di/{visit.pk}/").status_code == 200
    district = login(fv.world.district_a_cadre)  # the visit went to its commune, not its record
    assert district.get(f"/di-co-so/chuyen-di/{visit.pk}/").status_code == 404
    assert district.get(f"/di-co-so/don-vi/{fv.world.district_b.pk}/chuyen-di/").status_code == 404
    own = district.get(f"/di-co-so/don-vi/{fv.world.district_a.pk}/chuyen-di/")
    assert own.status_code == 200 and "Nguyễn Văn Phong" not in own.content.decode()
    assert Visit.objects.count() == 1
