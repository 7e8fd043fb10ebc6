"""API-1, X-9: the conventions every endpoint shares (doanvu/api/base.py) — one error shape in
Vietnamese and never a 500 for bad input, keyset pages, ETags, rate limits per token, a schema
without warnings and a documentation page that loads nothing from the internet."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework import serializers

from doanvu.api.base import StrictSerializer, _flatten
from doanvu.api.models import ApiToken
from doanvu.common.dates import format_date, today
from tests.api.conftest import A_NAMES, ApiWorld, api, body, new_key
from tests.conftest import World, login
from tests.members.conftest import make_member

TOKENS = "/api/v1/khoa-truy-cap/"


def _shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    loi = body(response)["loi"]
    assert set(loi) == {"ma", "thong_diep", "truong"}
    assert loi["ma"] == code
    assert loi["thong_diep"] and loi["thong_diep"].isascii() is False  # Vietnamese
    return loi  # type: ignore[no-any-return]


@pytest.fixture
def browser(world: World) -> Client:
    return login(world.district_a_cadre)


def _post(client: Client, data: Any, content_type: str = "application/json") -> Any:
    return client.post(TOKENS, data, content_type=content_type)


def _expires(days: int = 7) -> str:
    return format_date(today() + dt.timedelta(days=days))


def test_api1_malformed_json_is_a_400_with_the_place(browser: Client) -> None:
    loi = _shape(_post(browser, '{"ten": "X", '), 400, "du_lieu_khong_hop_le")

    assert "JSON" in loi["thong_diep"] and "dòng 1" in loi["thong_diep"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("data", "field", "says"), [
    ({"ten": 12, "het_han": "FUTURE"}, "ten", "chuỗi"),
    ({"ten": "X", "het_han": 20270101}, "het_han", "dd/mm/yyyy"),
    ({"ten": "X", "het_han": "31/02/2027"}, "het_han", "không tồn tại"),
    ({"ten": "X", "het_han": "2027-13-01"}, "het_han", "không tồn tại"),
    ({"ten": "X", "het_han": "mai"}, "het_han", "không đúng dạng"),
    ({"ten": "X", "het_han": "01/01/2000"}, "het_han", "từ hôm nay"),
    ({"het_han": "FUTURE"}, "ten", "Hãy nhập"),
    ({"ten": None, "het_han": "FUTURE"}, "ten", "Hãy nhập"),
    ({"ten": "X" * 101, "het_han": "FUTURE"}, "ten", "100"),
    ({"ten": "X", "het_han": "FUTURE", "quyen": "admin"}, "quyen", "không có ở địa chỉ này"),
])
def test_api1_bad_fields_are_named_in_vietnamese(browser: Client, data: dict[str, Any],
                                                 field: str, says: str) -> None:
    data = {k: (_expires() if v == "FUTURE" else v) for k, v in data.items()}

    loi = _shape(_post(browser, data), 400, "du_lieu_khong_hop_le")

    assert list(loi["truong"]) == [field]
    assert says in loi["truong"][field][0]
    assert f"“{field}”" in loi["thong_diep"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("payload", ["[1, 2]", '"x"', "null", "[" * 50000 + "]" * 50000,
                                     '{"ten": NaN}'])
def test_api1_bodies_that_are_not_an_object_are_a_400(browser: Client, payload: str) -> None:
    response = _post(browser, payload)

    _shape(response, 400, "du_lieu_khong_hop_le")
    assert not ApiToken.objects.exists()


def test_api1_oversize_bodies_are_a_413(browser: Client, settings: Any) -> None:
    settings.API_MAX_BODY_BYTES = 2048

    loi = _shape(_post(browser, {"ten": "X" * 5000, "het_han": _expires()}), 413, "qua_lon")

    assert "tối đa 2 KB" in loi["thong_diep"]


def test_api1_wrong_media_type_method_and_address(browser: Client, api_world: ApiWorld) -> None:
    as_form = browser.post(TOKENS, {"ten": "X", "het_han": _expires()})
    put = api(api_world.a_key).put(reverse("api:v1_units"), "{}",
                                   content_type="application/json")
    nowhere = api(api_world.a_key).get("/api/v1/khong-co/")
    html_only = api(api_world.a_key).get(reverse("api:v1_units"), HTTP_ACCEPT="text/html")

    assert "application/json" in _shape(as_form, 415, "kieu_noi_dung_khong_dung")["thong_diep"]
    assert "PUT" in _shape(put, 405, "phuong_thuc_khong_dung")["thong_diep"]
    _shape(nowhere, 404, "khong_tim_thay")
    _shape(html_only, 406, "khong_chap_nhan")


def test_api1_no_500_for_junk_anywhere(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    junk = ["\x00", "x" * 5000, "-1", "99999999999999999999999", "' OR 1=1 --", "ằ"]
    urls = [reverse(n) for n in ("api:v1_units", "api:v1_members", "api:v1_my_obligations",
                                 "api:v1_documents", "api:v1_tokens")]
    params = ["ngay", "sau", "so_dong", "q", "cha", "don_vi", "nam", "loai", "trang_thai",
              "tuoi", "gioi_tinh"]
    problems = []

    for url in urls:
        for name in params:
            for value in junk:
                response = client.get(url, {name: value})
                if response.status_code not in (200, 400):
                    problems.append((url, name, value, response.status_code))
                elif response.status_code == 400:
                    _shape(response, 400, "du_lieu_khong_hop_le")
    for pk in ["0", "18446744073709551616"]:
        response = client.get(f"/api/v1/don-vi/{pk}/")
        if response.status_code != 404:
            problems.append(("don-vi", pk, response.status_code))

    assert problems == []


# -- pages of lists -------------------------------------------------------------------------------


def test_api1_keyset_pages_are_stable_while_rows_come_and_go(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    url = reverse("api:v1_members")
    first = body(client.get(url, {"so_dong": 2}))
    # a member added before the cursor's name and one removed from the first page
    make_member(api_world.world.branch_a1, "Âu Văn Đầu")
    seen = [m["id"] for m in first["ket_qua"]]
    rest = body(client.get(url, {"so_dong": 2, "sau": first["trang_sau"]}))
    beyond = client.get(url, {"so_dong": 2, "sau": rest["trang_sau"] or first["trang_sau"]})

    later = [m["id"] for m in rest["ket_qua"]]
    assert len(seen) == 2 and not set(seen) & set(later)
    assert {m["ho_ten"] for m in first["ket_qua"] + rest["ket_qua"]} <= {*A_NAMES}
    assert len(seen) + len(later) == len(A_NAMES)
    assert beyond.status_code == 200


def test_api1_a_page_beyond_the_end_is_empty_not_an_error(api_world: ApiWorld) -> None:
    from doanvu.api.base import encode_cursor

    response = api(api_world.a_key).get(reverse("api:v1_units"),
                                        {"sau": encode_cursor([2**62])})

    assert response.status_code == 200
    assert body(response) == {"ket_qua": [], "trang_sau": None}


def test_api1_lists_answer_304_to_a_matching_etag(api_world: ApiWorld) -> None:
    client = api(api_world.a_key)
    url = reverse("api:v1_units")

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    other = client.get(url, HTTP_IF_NONE_MATCH='W/"khac"')
    from doanvu.org import services as org_services

    org_services.unit_rename(actor=None, unit=api_world.world.commune_a1, name="Xã Đổi Tên",
                             on=today())
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('W/"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert other.status_code == 200
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Authorization" in first["Vary"] and first["Cache-Control"].startswith("private")


# -- rate limits ----------------------------------------------------------------------------------


def test_api1_rate_limit_is_per_token(api_world: ApiWorld, settings: Any) -> None:
    settings.API_THROTTLE_RATE = "3/min"
    url = reverse("api:v1_units")
    a, b = api(api_world.a_key), api(api_world.b_key)
    second_a = api(new_key(api_world.world.district_a_cadre, name="Thứ hai"))

    answers = [a.get(url).status_code for _ in range(4)]
    other_token = b.get(url)
    same_user_other_token = second_a.get(url)
    refused = a.get(url)

    assert answers == [200, 200, 200, 429]
    assert other_token.status_code == 200 and same_user_other_token.status_code == 200
    loi = _shape(refused, 429, "qua_nhieu_yeu_cau")
    assert "giây" in loi["thong_diep"] and int(refused["Retry-After"]) > 0


# -- schema and documentation -------------------------------------------------------------------


def test_api1_schema_generates_without_warnings_or_errors(tmp_path: Any) -> None:
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/don-vi/", "/api/v1/doan-vien/{id}/", "/api/v1/viec-cua-toi/",
                 "/api/v1/van-ban/", "/api/v1/khoa-truy-cap/"):
        assert path in text
    assert "Danh sách đoàn viên" in text and "khoaTruyCap" in text


def test_api1_schema_needs_a_token_or_a_session(api_world: ApiWorld) -> None:
    url = reverse("api:schema")

    anonymous = Client().get(url)
    with_token = api(api_world.a_key).get(url)

    assert anonymous.status_code == 401
    assert with_token.status_code == 200 and b"openapi" in with_token.content


def test_api1_docs_page_loads_only_local_files(world: World) -> None:
    client = login(world.district_a_cadre)

    page = client.get(reverse("api:docs"))
    html = page.content.decode()
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    script = client.get(next(r for r in refs if "script" in r).replace("&amp;", "&"))

    assert page.status_code == 200
    assert refs and all(r.startswith("/") for r in refs), refs
    assert "<style" not in html and "<script>" not in html  # no inline code (CSP)
    assert not re.search(r"https?://", html)
    for ref in refs:
        if ref.startswith("/static/"):
            assert client.get(ref).status_code == 200, ref
    assert script.status_code == 200
    assert not re.search(r"https?://", script.content.decode())
    assert '"validatorUrl": null' in script.content.decode()
    assert Client().get(reverse("api:docs")).status_code == 302  # the login page first


# -- request bodies: every message Vietnamese, every list item named by its index ---------------


class _Line(StrictSerializer):
    diem = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=10)
    ghi_chu = serializers.CharField(max_length=5, required=False)


class _Body(StrictSerializer):
    so = serializers.IntegerField(min_value=1, max_value=99)
    ten = serializers.CharField(max_length=3)
    ma = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=2)
    diem = _Line(many=True)


def _errors(data: dict[str, Any]) -> dict[str, list[str]]:
    serializer = _Body(data=data)
    assert not serializer.is_valid()
    return _flatten(serializer.errors)


def test_api1_body_limits_are_refused_in_vietnamese_naming_each_item() -> None:
    errors = _errors({"so": 100, "ten": "abcd", "ma": [1, 2, 3],
                      "diem": [{"diem": "5"}, {"diem": "11", "ghi_chu": "dài quá"}]})

    assert errors == {
        "so": ["Lớn hơn giới hạn 99."],
        "ten": ["Dài quá 3 ký tự."],
        "ma": ["Nhiều hơn 2 phần tử."],
        "diem[1].diem": ["Lớn hơn giới hạn 10."],
        "diem[1].ghi_chu": ["Dài quá 5 ký tự."],
    }
    assert _errors({"so": 0, "ten": "a", "ma": [0], "diem": []}) == {
        "so": ["Nhỏ hơn giới hạn 1."], "ma[0]": ["Nhỏ hơn giới hạn 1."]}
