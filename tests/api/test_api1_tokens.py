"""API-1: tokens — the user's own, shown once, hashed, expiring, revocable, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doanvu.api import services
from doanvu.api.models import ApiToken
from doanvu.audit.chain import verify
from doanvu.audit.models import AuditRecord
from doanvu.common.dates import format_date, today
from tests.api.conftest import ApiWorld, api, body, new_key
from tests.conftest import World, login

UNITS = "/api/v1/don-vi/"


def _records(token: ApiToken) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(model="api.apitoken", object_pk=str(token.pk)))


def test_api1_page_creates_a_token_and_shows_its_key_once(world: World) -> None:
    client = login(world.district_a_cadre)
    expires = format_date(today() + dt.timedelta(days=30))

    created = client.post(reverse("api:token_list"),
                          {"name": "Phần mềm tỉnh", "expires_on": expires})
    again = client.get(reverse("api:token_list"))

    token = ApiToken.objects.get(user=world.district_a_cadre)
    page = created.content.decode()
    key = page.split('class="api-key break">')[1].split("<")[0]
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    assert key.startswith("dv_") and len(key) > 30
    assert token.key_hash == services.key_hash(key) and key not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only the hash is kept
    assert token.prefix == key[:11]
    assert key not in again.content.decode() and token.prefix in again.content.decode()
    assert api(key).get(UNITS).status_code == 200


@pytest.mark.parametrize(("data", "field_error"), [
    ({"name": "", "expires_on": "01/01/2030"}, "Hãy nhập thông tin này."),
    ({"name": "X", "expires_on": "31/02/2027"}, "không tồn tại"),
    ({"name": "X", "expires_on": "01/01/2000"}, "Ngày hết hạn phải từ hôm nay"),
    ({"name": "X", "expires_on": "FAR"}, "không đúng dạng"),
])
def test_api1_page_refuses_bad_input_beside_the_field(world: World, data: dict[str, str],
                                                      field_error: str) -> None:
    client = login(world.district_a_cadre)
    if data["expires_on"] == "FAR":
        data = {**data, "expires_on": format_date(today() + dt.timedelta(days=366))}
        field_error = "tối đa 365 ngày"

    response = client.post(reverse("api:token_list"), data)

    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert not ApiToken.objects.exists()


def test_api1_expiry_is_bounded_by_the_setting(world: World, settings: object) -> None:
    settings.API_TOKEN_MAX_DAYS = 10  # type: ignore[attr-defined]
    user = world.district_a_cadre

    with pytest.raises(services.TokenError) as refused:
        services.token_create(actor=user, user=user, name="X",
                              expires_on=today() + dt.timedelta(days=11))
    ok = services.token_create(actor=user, user=user, name="X",
                               expires_on=today() + dt.timedelta(days=10))

    assert refused.value.field == "expires_on" and "tối đa 10 ngày" in refused.value.message
    assert ok.token.expires_on == today() + dt.timedelta(days=10)


def test_api1_revoked_and_expired_tokens_are_refused_with_401(world: World) -> None:
    user = world.district_a_cadre
    revoked, expired = new_key(user, name="Cũ"), new_key(user, name="Hết hạn")
    token = ApiToken.objects.get(name="Cũ")
    login(user).post(reverse("api:token_revoke", args=[token.pk]))
    ApiToken.objects.filter(name="Hết hạn").update(expires_on=today() - dt.timedelta(days=1))

    answers = [api(revoked).get(UNITS), api(expired).get(UNITS), api("dv_sai").get(UNITS),
               Client().get(UNITS), Client(HTTP_AUTHORIZATION="Token").get(UNITS)]

    assert [r.status_code for r in answers] == [401] * 5
    messages = [body(r)["loi"]["thong_diep"] for r in answers]
    assert messages[0] == "Khóa truy cập đã bị thu hồi."
    assert messages[1].startswith("Khóa truy cập đã hết hạn ngày")
    assert messages[2] == "Khóa truy cập không đúng."
    assert "Authorization: Token" in messages[3]
    assert all(body(r)["loi"]["ma"] == "chua_xac_thuc" for r in answers)
    assert answers[0]["WWW-Authenticate"] == "Token"


def test_api1_bearer_scheme_works_too(api_world: ApiWorld) -> None:
    response = Client(HTTP_AUTHORIZATION=f"Bearer {api_world.a_key}").get(UNITS)

    assert response.status_code == 200


def test_api1_another_users_token_cannot_be_revoked(world: World) -> None:
    new_key(world.district_b_cadre, name="Của Tân Biên")
    foreign = ApiToken.objects.get(name="Của Tân Biên")
    own_key = new_key(world.district_a_cadre)

    by_page = login(world.district_a_cadre).post(reverse("api:token_revoke", args=[foreign.pk]))
    by_api = api(own_key).post(reverse("api:v1_token_revoke", args=[foreign.pk]))
    listed = api(own_key).get(reverse("api:v1_tokens"))
    page = login(world.district_a_cadre).get(reverse("api:token_list"))
    with pytest.raises(services.TokenError):
        services.token_revoke(actor=world.district_a_cadre, token=foreign)

    foreign.refresh_from_db()
    assert (by_page.status_code, by_api.status_code) == (404, 404)
    assert body(by_api)["loi"]["ma"] == "khong_tim_thay"
    assert foreign.revoked_at is None
    assert [t["ten"] for t in body(listed)["ket_qua"]] == ["Hệ thống tỉnh"]
    assert "Của Tân Biên" not in page.content.decode()


def test_api1_revoking_by_the_api_stops_the_token_at_once(api_world: ApiWorld) -> None:
    token = ApiToken.objects.get(user=api_world.world.district_a_cadre)
    client = api(api_world.a_key)

    revoked = client.post(reverse("api:v1_token_revoke", args=[token.pk]))
    after = client.get(UNITS)

    assert revoked.status_code == 200 and body(revoked)["thu_hoi_luc"]
    assert after.status_code == 401


def test_api1_a_token_cannot_create_tokens_but_the_session_can(api_world: ApiWorld) -> None:
    expires = format_date(today() + dt.timedelta(days=7))
    by_token = api(api_world.a_key).post(reverse("api:v1_tokens"),
                                         {"ten": "Con", "het_han": expires},
                                         content_type="application/json")
    by_session = login(api_world.world.district_a_cadre).post(
        reverse("api:v1_tokens"), {"ten": "Từ trình duyệt", "het_han": expires},
        content_type="application/json")

    assert by_token.status_code == 403
    assert "không bằng một khóa khác" in body(by_token)["loi"]["thong_diep"]
    assert by_session.status_code == 201
    key = body(by_session)["khoa"]
    assert api(key).get(UNITS).status_code == 200
    assert ApiToken.objects.filter(name="Con").count() == 0


def test_api1_create_revoke_and_the_first_use_of_a_day_are_audited(world: World) -> None:
    user = world.district_a_cadre
    key = new_key(user)
    token = ApiToken.objects.get(user=user)

    for _ in range(3):
        assert api(key).get(UNITS).status_code == 200
    used_today = _records(token)
    # the next day's first use is recorded again
    ApiToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - dt.timedelta(days=1))
    api(key).get(UNITS)
    api(key).get(UNITS)
    services.token_revoke(actor=user, token=token)

    records = _records(token)
    assert [r.action for r in used_today] == ["create", "update"]
    assert [r.action for r in records] == ["create", "update", "update", "update"]
    assert all(r.actor_id == user.pk for r in records)
    assert "key_hash" not in str(records[0].changes)
    assert "revoked_at" in records[-1].changes["after"]
    assert "Dùng khóa truy cập API" in records[1].reason
    assert verify().ok


def test_api1_tokens_of_an_inactive_account_stop_working(world: World) -> None:
    key = new_key(world.district_a_cadre)
    world.district_a_cadre.is_active = False
    world.district_a_cadre.save()

    response = api(key).get(UNITS)

    assert response.status_code == 401
