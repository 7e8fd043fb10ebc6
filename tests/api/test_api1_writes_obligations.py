"""API-1 (HUB-2 through the API): submitting what a unit owes — the page's submit service and
checks (only the owing unit's writers, a text or files or both, the pages' upload bounds),
answered with the obligation as GET /api/v1/viec/<id>/ shows it; nothing written on a refusal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from doanvu.audit.models import AuditRecord
from doanvu.common.dates import today
from doanvu.hub import rules
from doanvu.hub import services as hub
from doanvu.hub.models import Obligation, ObligationFile, ObligationStatus
from tests.api.conftest import ApiWorld, api, body, new_key


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _url(ob: Obligation) -> str:
    return reverse("api:v1_obligation_submit", args=[ob.pk])


def _json(client: Any, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data) if not isinstance(data, str) else data,
                       content_type="application/json")


def _open(ob: Obligation) -> bool:
    ob.refresh_from_db()
    return (ob.status == ObligationStatus.OPEN and ob.submitted_at is None
            and not ObligationFile.objects.filter(obligation=ob).exists())


def test_api1_obligation_submit_with_a_note_answers_the_obligation(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    ob = api_world.a_obligation

    response = _json(client, _url(ob), {"noi_dung": "  Đã gửi báo cáo quý qua bưu điện.  "})

    assert response.status_code == 200, response.content
    answer = body(response)
    assert (answer["id"], answer["trang_thai"], answer["trang_thai_ten"]) == (
        ob.pk, "submitted", "Đã nộp, chờ tiếp nhận")
    assert answer["nop_luc"] is not None and answer["qua_han"] is False
    assert answer == body(client.get(reverse("api:v1_obligation", args=[ob.pk])))
    ob.refresh_from_db()
    assert ob.submission_text == "Đã gửi báo cáo quý qua bưu điện."
    assert ob.submitted_by_id == api_world.world.district_a_cadre.pk
    # audited by the obligation's own record, naming the token's user
    record = AuditRecord.objects.filter(model="hub.obligation", object_pk=str(ob.pk),
                                        action="update").latest("id")
    assert record.actor_id == api_world.world.district_a_cadre.pk
    assert record.changes["after"]["status"] == "submitted"


def test_api1_obligation_submit_twice_is_400_with_the_services_message(
        api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    url = _url(api_world.a_obligation)
    assert _json(client, url, {"noi_dung": "Lần một"}).status_code == 200

    again = _json(client, url, {"noi_dung": "Lần hai"})

    assert again.status_code == 400
    assert body(again)["loi"]["thong_diep"] == (
        "Việc này đang ở trạng thái “Đã nộp, chờ tiếp nhận”: không nộp được.")
    api_world.a_obligation.refresh_from_db()
    assert api_world.a_obligation.submission_text == "Lần một"


def test_api1_obligation_submit_with_files_as_multipart(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    ob = api_world.a_obligation

    response = client.post(_url(ob), {
        "noi_dung": "Kèm báo cáo",
        "tep": [SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report"),
                SimpleUploadedFile("phu-luc.xlsx", b"PK\x03\x04 sheet")]})

    assert response.status_code == 200, response.content
    assert body(response)["trang_thai"] == "submitted"
    assert sorted(ObligationFile.objects.filter(obligation=ob).values_list(
        "original_name", flat=True)) == ["bao-cao.pdf", "phu-luc.xlsx"]


def test_api1_obligation_submit_past_the_deadline_is_taken_late_as_on_the_page(
        api_world: ApiWorld) -> None:
    w = api_world.world
    late = hub.obligation_create(actor=None, kind="bao_cao_quy", kind_label="Báo cáo quý",
                                 title="Báo cáo quý đã quá hạn", owed_by_unit=w.district_a,
                                 owed_to_unit=w.province,
                                 rule=rules.DueRule.fixed(today() - dt.timedelta(days=3)))
    client = api(api_world.a_key)
    before = body(client.get(reverse("api:v1_obligation", args=[late.pk])))

    response = _json(client, _url(late), {"noi_dung": "Nộp muộn"})

    assert before["qua_han"] is True
    assert response.status_code == 200 and body(response)["trang_thai"] == "submitted"
    late.refresh_from_db()
    assert late.submitted_on is not None and late.submitted_on > late.due_on


def test_api1_obligation_submit_by_others_is_404_alike_and_writes_nothing(
        api_world: ApiWorld) -> None:
    w = api_world.world
    a_ob, b_ob = api_world.a_obligation, api_world.b_obligation
    missing = _json(api(api_world.a_key), reverse("api:v1_obligation_submit", args=[999999]),
                    {"noi_dung": "x"})

    foreign = _json(api(api_world.a_key), _url(b_ob), {"noi_dung": "x"})
    from_b = _json(api(api_world.b_key), _url(a_ob), {"noi_dung": "x"})
    outsider = _json(api(new_key(w.outsider)), _url(a_ob), {"noi_dung": "x"})
    below = _json(api(new_key(w.branch_secretary)), _url(a_ob), {"noi_dung": "x"})

    for response in (foreign, from_b, outsider, below):
        assert response.status_code == 404
        assert body(response) == body(missing)
        text = response.content.decode()
        assert not any(n in text for n in [*api_world.foreign_names, "Châu Thành"])
    assert _open(a_ob) and _open(b_ob)


@pytest.mark.parametrize(("data", "field"), [
    ({}, "noi_dung"),
    ({"noi_dung": "   "}, "noi_dung"),
    ({"noi_dung": 5}, "noi_dung"),
    ({"noi_dung": "x" * 20001}, "noi_dung"),
    ({"noi_dung": "x", "van_ban": 3}, "van_ban"),
    ({"noi_dung": "x", "tep": "a.pdf"}, "tep"),
])
def test_api1_obligation_submit_refuses_bad_bodies_naming_the_field(
        api_world: ApiWorld, data: dict[str, Any], field: str) -> None:
    response = _json(api(api_world.a_key), _url(api_world.a_obligation), data)

    assert response.status_code == 400, response.content
    assert field in body(response)["loi"]["truong"]
    assert _open(api_world.a_obligation)


def test_api1_obligation_submit_refuses_malformed_json_and_other_media(
        api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    url = _url(api_world.a_obligation)

    broken = _json(client, url, '{"noi_dung": ')
    text = client.post(url, "noi_dung=x", content_type="text/plain")

    assert broken.status_code == 400 and "dòng 1" in body(broken)["loi"]["thong_diep"]
    assert text.status_code == 415
    assert _open(api_world.a_obligation)


def test_api1_obligation_submit_files_keep_the_pages_upload_bounds(
        api_world: ApiWorld, settings: Any) -> None:
    settings.HUB_UPLOAD_MAX_BYTES = 1024
    settings.HUB_UPLOAD_MAX_FILES = 2
    client = api(api_world.a_key)
    url = _url(api_world.a_obligation)

    wrong_kind = client.post(url, {"tep": SimpleUploadedFile("virus.exe", b"MZ")})
    empty = client.post(url, {"tep": SimpleUploadedFile("rong.pdf", b"")})
    too_many = client.post(url, {"tep": [SimpleUploadedFile(f"{i}.pdf", b"%PDF") for i in
                                         range(3)]})
    too_big = client.post(url, {"noi_dung": "x",
                                "tep": SimpleUploadedFile("lon.pdf", b"%PDF" * 1000)})
    whole_body = client.post(url, b"x", content_type="multipart/form-data; boundary=x",
                             CONTENT_LENGTH=str(10**9))

    assert wrong_kind.status_code == 400 and "virus.exe" in body(wrong_kind)["loi"]["truong"][
        "tep"][0]
    assert empty.status_code == 400 and "rong.pdf" in body(empty)["loi"]["truong"]["tep"][0]
    assert too_many.status_code == 400 and "tối đa 2 tệp" in body(too_many)["loi"]["truong"][
        "tep"][0]
    assert too_big.status_code == 413 and "lon.pdf" in body(too_big)["loi"]["thong_diep"]
    assert (whole_body.status_code, body(whole_body)["loi"]["ma"]) == (413, "qua_lon")
    assert _open(api_world.a_obligation)
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
