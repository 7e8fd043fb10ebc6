"""API-1, X-3: surveys (SUR-1…SUR-3) in the API — campaigns and questionnaires of the units the
token's user reads, one questionnaire with its questions and collection, and its tabulation: the
figures of the tabulation page from the same selector, free text paged, anonymity as on the
pages (anonymous free text with no unit and no unit filter; a named respondent's name only for
readers of the person; no name in any tabulation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doanvu.surveys import selectors, services
from doanvu.surveys.models import Audience, Campaign, Questionnaire
from tests.api.conftest import api, body, new_key
from tests.conftest import grant, make_user
from tests.members.conftest import make_member
from tests.surveys.conftest import GOOD, SurWorld, scope
from tests.surveys.conftest import sur as sur  # noqa: F401  (the fixture)

B_CAMPAIGN = "Khảo sát riêng của Huyện đoàn Tân Biên"


def _campaign_b(sur: SurWorld) -> Campaign:
    w = sur.world
    return services.campaign_save(scope=scope(w.admin), actor=w.admin, unit=w.district_b,
                                  name=B_CAMPAIGN, year=2020)


def _submit(sur: SurWorld, key: str, answers: dict[str, object]) -> None:
    user = sur.world.district_a_cadre if key == "a" else sur.world.district_b_cadre
    services.response_save(scope=scope(user), actor=user, response=sur.responses[key],
                           answers=answers, submit=True, on=dt.date(2020, 5, 2),
                           at=timezone.make_aware(dt.datetime(2020, 5, 2, 9)))


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in body(response)["ket_qua"]]


def _members_q(sur: SurWorld, *, named: bool) -> Questionnaire:
    today = dt.date.today()
    sur.theme.opens_on, sur.theme.due_on, sur.theme.closes_on = today, today, today
    sur.theme.save()
    lead = sur.lead
    q = services.questionnaire_create(scope=scope(lead), actor=lead, theme=sur.theme,
                                      title="Nhu cầu của đoàn viên", audience=Audience.MEMBERS,
                                      named=named)
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="single",
                          text="Bạn muốn được tập huấn kỹ năng gì?", required=True,
                          options=["Tin học", "Ngoại ngữ"])
    services.question_add(scope=scope(lead), actor=lead, questionnaire=q, kind="long",
                          text="Nguyện vọng khác")
    services.questionnaire_send(scope=scope(lead), actor=lead, questionnaire=q)
    return q


# -- campaigns and questionnaires -----------------------------------------------------------------


def test_api1_survey_campaigns_keep_to_the_scope(sur: SurWorld) -> None:
    w = sur.world
    b = _campaign_b(sur)
    province = api(new_key(w.province_secretary))
    district_a = api(new_key(w.district_a_cadre))
    district_b = api(new_key(w.district_b_cadre))
    url = reverse("api:v1_survey_campaigns")

    detail = body(province.get(reverse("api:v1_survey_campaign", args=[sur.campaign.pk])))
    foreign = district_a.get(reverse("api:v1_survey_campaign", args=[b.pk]))
    missing = district_a.get(reverse("api:v1_survey_campaign", args=[999999]))

    assert _ids(province.get(url)) == [sur.campaign.pk, b.pk]
    assert _ids(province.get(url, {"don_vi": w.district_b.pk})) == [b.pk]
    assert _ids(province.get(url, {"nam": 2019})) == []
    assert _ids(district_a.get(url)) == []
    assert _ids(district_b.get(url)) == [b.pk]
    [theme] = detail["chuyen_de"]
    assert theme["ban_chu_tri"] == "Ban Tổ chức – Kiểm tra"
    assert [u["ten"] for u in theme["don_vi_khao_sat"]] == ["Huyện đoàn Châu Thành",
                                                           "Huyện đoàn Tân Biên"]
    assert theme["phieu_ids"] == [sur.q.pk] and theme["han_tra_loi"] == "2020-05-15"
    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert body(foreign) == body(missing) and B_CAMPAIGN not in foreign.content.decode()


def test_api1_surveys_list_and_detail_with_questions_and_collection(sur: SurWorld) -> None:
    w = sur.world
    _submit(sur, "a", GOOD)
    members = _members_q(sur, named=False)
    client = api(new_key(sur.lead))
    url = reverse("api:v1_surveys")

    listed = body(client.get(url))["ket_qua"]
    detail = body(client.get(reverse("api:v1_survey", args=[sur.q.pk])))

    assert [(r["id"], r["doi_tuong"], r["an_danh"]) for r in listed] == [
        (sur.q.pk, "units", False), (members.pk, "members", True)]
    assert _ids(client.get(url, {"doi_tuong": "members"})) == [members.pk]
    assert _ids(client.get(url, {"dot": sur.campaign.pk, "trang_thai": "sent"})) == [
        sur.q.pk, members.pk]
    assert _ids(client.get(url, {"trang_thai": "draft"})) == []
    assert [(c["ma"], c["loai"]) for c in detail["cau_hoi"]] == [
        ("c1", "single"), ("c2", "number"), ("c3", "scale"), ("c4", "multiple"),
        ("c5", "table"), ("c6", "long")]
    c2 = detail["cau_hoi"][1]
    assert (c2["dieu_kien_ma"], c2["dieu_kien_gia_tri"], c2["nho_nhat"], c2["lon_nhat"]) == (
        "c1", "Có", "1", "500")
    assert detail["cau_hoi"][4]["hang"] == ["Đoàn viên", "Thiếu nhi"]
    assert [(r["don_vi_id"], r["tinh_trang"]) for r in detail["thu_phieu"]] == [
        (w.district_a.pk, "on_time"), (w.district_b.pk, "missing")]
    assert detail["thu_phieu"][0]["nop_ngay"] == "2020-05-02"


def test_api1_surveys_outsiders_read_nothing(sur: SurWorld) -> None:
    """District A's cadre answers the province's questionnaire but does not read its campaign:
    as on the pages, the questionnaire, its tabulation and the campaign are 404 to them."""
    w = sur.world
    _submit(sur, "a", GOOD)
    for user in (w.district_a_cadre, w.outsider):
        client = api(new_key(user))
        for name in ("api:v1_survey_campaigns", "api:v1_surveys"):
            response = client.get(reverse(name))
            assert body(response)["ket_qua"] == [], (user, name)
        for name, pk in (("api:v1_survey_campaign", sur.campaign.pk),
                         ("api:v1_survey", sur.q.pk), ("api:v1_survey_tabulation", sur.q.pk)):
            response = client.get(reverse(name, args=[pk]))
            assert response.status_code == 404, (user, name)
            assert "Tăng kinh phí" not in response.content.decode()
            assert "Khảo sát giữa nhiệm kỳ" not in response.content.decode()


@pytest.mark.parametrize(("name", "params", "field"), [
    ("api:v1_surveys", {"trang_thai": "gui"}, "trang_thai"),
    ("api:v1_surveys", {"doi_tuong": "ca_nhan"}, "doi_tuong"),
    ("api:v1_surveys", {"dot": "x"}, "dot"),
    ("api:v1_surveys", {"sau": "khong-phai-con-tro"}, "sau"),
    ("api:v1_survey_campaigns", {"nam": "hai-nghin"}, "nam"),
    ("api:v1_survey_campaigns", {"so_dong": "500"}, "so_dong"),
    ("api:v1_survey_tabulation", {"trang": "0"}, "trang"),
    ("api:v1_survey_tabulation", {"don_vi": "abc"}, "don_vi")])
def test_api1_surveys_refuse_bad_filters_naming_them(sur: SurWorld, name: str,
                                                     params: dict[str, str],
                                                     field: str) -> None:
    args = [sur.q.pk] if name == "api:v1_survey_tabulation" else []
    response = api(new_key(sur.lead)).get(reverse(name, args=args), params)

    assert response.status_code == 400
    assert list(body(response)["loi"]["truong"]) == [field]


# -- tabulation -----------------------------------------------------------------------------------


def test_api1_survey_tabulation_gives_the_pages_figures(sur: SurWorld) -> None:
    w = sur.world
    _submit(sur, "a", GOOD)
    _submit(sur, "b", {**GOOD, "c1": "Không", "c2": "", "c3": "2", "c6": "Thêm cán bộ",
                       "c5": {"0|0": "4"}})
    client = api(new_key(sur.lead))

    tab = body(client.get(reverse("api:v1_survey_tabulation", args=[sur.q.pk])))
    reference = selectors.tabulation(questionnaire=sur.q)
    by_code = {t["ma"]: t for t in tab["cau_hoi"]}

    assert tab["so_phieu"] == reference.answered == 2
    assert [(u["don_vi"], u["so_phieu"]) for u in tab["theo_don_vi"]] == reference.by_child
    for t in reference.tables:
        shown = by_code[t.question.code]
        assert shown["so_tra_loi"] == t.answered
        assert [(o["lua_chon"], o["so_luong"], o["ty_le"]) for o in shown["lua_chon"]] == [
            (o.option, o.count, o.percent) for o in t.options]
    assert [(o["lua_chon"], o["so_luong"], o["ty_le"]) for o in by_code["c1"]["lua_chon"]] == [
        ("Có", 1, "50,0"), ("Không", 1, "50,0")]
    assert (by_code["c3"]["trung_binh"], by_code["c3"]["nho_nhat"], by_code["c3"]["lon_nhat"]) \
        == ("3.00", "2", "4")
    cells = {(c["hang"], c["cot"]): c["tong"] for c in by_code["c5"]["o_bang"]}
    assert cells[("Đoàn viên", "2018")] == "7" and cells[("Thiếu nhi", "2019")] == "2"
    level = "Huyện, quận, thị, thành đoàn"
    assert [(r["nhom"], r["so_tra_loi"]) for r in by_code["c1"]["theo_cap"]] == [(level, 2)]
    assert [(r["nhom"], r["so_tra_loi"], r["trung_binh"])
            for r in by_code["c3"]["so_theo_cap"]] == [(level, 2, "3.00")]
    assert {(x["don_vi"], x["noi_dung"]) for x in by_code["c6"]["van_ban"]} == {
        ("Huyện đoàn Châu Thành", "Tăng kinh phí"), ("Huyện đoàn Tân Biên", "Thêm cán bộ")}
    assert (by_code["c6"]["trang"], by_code["c6"]["so_trang"]) == (1, 1)
    assert tab["thu_phieu"]["tong"] == 2 and tab["ty_le_tra_loi"] == []
    # narrowed to one unit: that unit's answers only
    one = body(client.get(reverse("api:v1_survey_tabulation", args=[sur.q.pk]),
                          {"don_vi": w.district_a.pk}))
    assert one["so_phieu"] == 1 and one["loc_don_vi_id"] == w.district_a.pk
    assert "Thêm cán bộ" not in str(one)


def test_api1_survey_tabulation_pages_free_text(sur: SurWorld,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from doanvu.api.v1 import surveys as endpoint

    monkeypatch.setattr(endpoint, "TEXTS_PER_PAGE", 1)
    _submit(sur, "a", GOOD)
    _submit(sur, "b", {**GOOD, "c6": "Thêm cán bộ"})
    client = api(new_key(sur.lead))
    url = reverse("api:v1_survey_tabulation", args=[sur.q.pk])

    def texts(page: int) -> tuple[list[str], int, int]:
        c6 = next(t for t in body(client.get(url, {"trang": page}))["cau_hoi"]
                  if t["ma"] == "c6")
        return [x["noi_dung"] for x in c6["van_ban"]], c6["trang"], c6["so_trang"]

    assert texts(1) == (["Tăng kinh phí"], 1, 2)
    assert texts(2) == (["Thêm cán bộ"], 2, 2)
    assert texts(9) == (["Thêm cán bộ"], 2, 2)  # past the end: the last page, as the page


def test_api1_survey_tabulation_of_an_anonymous_survey_names_no_unit(sur: SurWorld) -> None:
    w = sur.world
    q = _members_q(sur, named=False)
    for i, branch in enumerate((w.branch_a1, w.branch_b1)):
        user = make_user(f"doanvien_{i}")
        grant(user, "bi_thu_chi_doan", branch)
        services.anonymous_answer(scope=scope(user), actor=user, questionnaire=q,
                                  answers={"c1": "Tin học", "c2": f"Nguyện vọng riêng {i}"})
    client = api(new_key(sur.lead))
    url = reverse("api:v1_survey_tabulation", args=[q.pk])

    tab = body(client.get(url))
    detail = body(client.get(reverse("api:v1_survey", args=[q.pk])))
    narrowed = client.get(url, {"don_vi": w.district_a.pk})

    c2 = next(t for t in tab["cau_hoi"] if t["ma"] == "c2")
    assert tab["an_danh"] is True and tab["so_phieu"] == 2
    assert sorted(x["noi_dung"] for x in c2["van_ban"]) == ["Nguyện vọng riêng 0",
                                                            "Nguyện vọng riêng 1"]
    assert all(x["don_vi"] is None for x in c2["van_ban"])  # as the page: no unit beside text
    assert "doanvien_" not in str(tab) and "Bình Phong" not in str(tab)
    assert [(r["don_vi_id"], r["da_tra_loi"]) for r in tab["ty_le_tra_loi"]] == [
        (w.district_a.pk, 1), (w.district_b.pk, 1)]
    assert detail["so_phieu_an_danh"] == 2 and detail["nguoi_tra_loi"] == []
    assert narrowed.status_code == 400
    assert list(body(narrowed)["loi"]["truong"]) == ["don_vi"]


def test_api1_named_survey_names_a_respondent_only_to_readers_of_the_person(
        sur: SurWorld) -> None:
    """A named questionnaire: the lead department (who reads the person) sees the name; a
    reader of the province alone (an accountant: the province, not its branches) reads the
    questionnaire but gets the row without a name; no tabulation names anyone."""
    w = sur.world
    q = _members_q(sur, named=True)
    member = make_member(w.branch_a1, "Nguyễn Thị Hồng Nhung", cccd="072000000077")
    services.named_answer(scope=scope(w.branch_secretary), actor=w.branch_secretary,
                          questionnaire=q, person=member.person,
                          answers={"c1": "Ngoại ngữ", "c2": "Muốn học tiếng Anh"})
    accountant = make_user("ketoan_tinh")
    grant(accountant, "ke_toan", w.province)
    lead, reader = api(new_key(sur.lead)), api(new_key(accountant))
    detail_url = reverse("api:v1_survey", args=[q.pk])
    tab_url = reverse("api:v1_survey_tabulation", args=[q.pk])

    shown = body(lead.get(detail_url))["nguoi_tra_loi"]
    hidden = reader.get(detail_url)
    tabs = [lead.get(tab_url), reader.get(tab_url)]

    assert shown == [{"ho_ten": "Nguyễn Thị Hồng Nhung", "xem_ho_so": True,
                      "chi_doan": "Chi đoàn ấp Bình Phong", "phieu_giay": True}]
    assert hidden.status_code == 200
    assert [(r["ho_ten"], r["xem_ho_so"]) for r in body(hidden)["nguoi_tra_loi"]] == [
        ("", False)]
    assert "Hồng Nhung" not in hidden.content.decode()
    assert "072000000077" not in hidden.content.decode()
    for tab in tabs:
        assert tab.status_code == 200
        assert "Hồng Nhung" not in tab.content.decode()
        c2 = next(t for t in body(tab)["cau_hoi"] if t["ma"] == "c2")
        # free text with the surveyed unit, as the page, never the person
        assert [(x["don_vi"], x["noi_dung"]) for x in c2["van_ban"]] == [
            ("Huyện đoàn Châu Thành", "Muốn học tiếng Anh")]


def test_api1_survey_lists_cost_the_same_queries_whatever_their_length(sur: SurWorld) -> None:
    client = api(new_key(sur.world.province_secretary))
    urls = [reverse("api:v1_survey_campaigns"), reverse("api:v1_surveys")]
    client.get(urls[0])  # the day's first use of the token is recorded once

    def cost() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    before = cost()
    for i in range(3):
        c = _campaign_b(sur) if i == 0 else services.campaign_save(
            scope=scope(sur.world.admin), actor=sur.world.admin, unit=sur.world.province,
            name=f"Đợt {i}", year=2021)
        del c
        services.questionnaire_create(scope=scope(sur.lead), actor=sur.lead, theme=sur.theme,
                                      title=f"Phiếu thêm {i}")

    assert len(body(client.get(urls[1]))["ket_qua"]) == 4
    assert cost() == before
