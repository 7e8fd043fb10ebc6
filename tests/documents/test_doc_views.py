"""The documents pages: register with filters and .xlsx export (DOC-2, X-6), compose and edit
drafts, preview, issue, downloads (DOC-1, DOC-3); bad input (X-9) and scope (X-3): owner,
member and outsider for every URL."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.documents.exporters import HEADERS
from doanvu.documents.models import Document, DocumentStatus
from tests.conftest import World, grant, login, make_user
from tests.documents.conftest import doc_type, issue, make_draft

pytestmark = pytest.mark.django_db

D2020 = dt.date(2020, 3, 2)
BAD_DATE = "Ngày “{}” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025."


def compose_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "doc_type": doc_type().pk,
        "title": "Kế hoạch đi công tác cơ sở năm 2020",
        "department": "",
        "header_upper": "BCH ĐOÀN TỈNH TÂY NINH",
        "header_body": "",
        "body_code": "TĐTN",
        "place": "Tây Ninh",
        "issued_on": "",
        "legal_bases": "Căn cứ Hướng dẫn số 03-HD/TWĐTN-BTC;\n\nThực hiện Nghị quyết Đại hội XIII.",
        "body": "Ban Thường vụ Tỉnh đoàn xây dựng kế hoạch như sau:\n\nI. MỤC ĐÍCH\n\n"
                "1. Mục đích:\n- Tăng cường **đi cơ sở**.\n+ Mỗi quý một đợt.\nII. TỔ CHỨC",
        "closing": "Trên đây là Kế hoạch của Ban Thường vụ Tỉnh đoàn.",
        "recipients": "- Ban Bí thư TW Đoàn;\n- Lưu VP.",
        "signer_on_behalf": "TM. BAN THƯỜNG VỤ TỈNH ĐOÀN",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Trần Lê Duy",
    }
    data.update(overrides)
    return data


def html_of(response: Any) -> str:
    return str(response.content.decode())


# -- the register ----------------------------------------------------------------------------------


def test_doc2_register_lists_only_documents_of_readable_units(world: World) -> None:
    mine = issue(world.district_a, D2020)
    theirs = issue(world.district_b, D2020)
    province = issue(world.province, D2020)

    seen = {u: html_of(login(getattr(world, u)).get(reverse("documents:register")))
            for u in ("province_secretary", "district_a_cadre", "outsider")}

    assert mine.title in seen["province_secretary"]
    assert f'href="{reverse("documents:detail", args=[theirs.pk])}"' in seen["province_secretary"]
    assert f'href="{reverse("documents:detail", args=[mine.pk])}"' in seen["district_a_cadre"]
    assert f'href="{reverse("documents:detail", args=[theirs.pk])}"' not in seen["district_a_cadre"]
    assert f'href="{reverse("documents:detail", args=[province.pk])}"' not in seen[
        "district_a_cadre"]
    assert "Huyện đoàn Tân Biên" not in seen["district_a_cadre"]
    assert "Không có văn bản nào." in seen["outsider"]
    assert "Tỉnh đoàn Tây Ninh" not in seen["outsider"]


def test_doc2_register_filters_by_text_without_accents_year_type_status_and_unit(
    world: World,
) -> None:
    a = make_draft(world.province, title="Kế hoạch đi công tác cơ sở")
    a_issued = issue(world.province, D2020)
    tb = issue(world.province, dt.date(2021, 5, 5), code="thong_bao")
    other = issue(world.district_a, D2020)
    client = login(world.province_secretary)

    def found(**params: object) -> set[int]:
        response = client.get(reverse("documents:register"), params)
        assert response.status_code == 200
        body = html_of(response)
        return {d.pk for d in (a, a_issued, tb, other)
                if f'href="{reverse("documents:detail", args=[d.pk])}"' in body}

    assert found(q="di cong tac co so") == {a.pk}
    assert found(q="1-tb/tdtn") == {tb.pk}
    assert found(nam="2021") == {tb.pk}
    assert found(loai=doc_type("thong_bao").pk) == {tb.pk}
    assert found(trang_thai="nhap") == {a.pk}
    assert found(don_vi=world.district_a.pk) == {other.pk}
    assert found() == {a.pk, a_issued.pk, tb.pk, other.pk}


def test_x9_register_answers_junk_filters_beside_the_field(world: World) -> None:
    issue(world.province, D2020)
    client = login(world.province_secretary)

    response = client.get(reverse("documents:register"), {
        "nam": "hai nghìn", "loai": "999999", "trang_thai": "xoa", "don_vi": world.district_b.pk,
        "trang": "abc", "q": "x" * 300})

    body = html_of(response)
    assert response.status_code == 200
    assert "Năm không có trong sổ văn bản." in body
    # loại and trạng thái, each beside its field
    assert body.count("Lựa chọn không hợp lệ: hãy chọn lại trong danh sách.") == 2
    assert "Đơn vị không có trong danh sách." in body


def test_doc2_register_htmx_swaps_only_the_results(world: World) -> None:
    issue(world.province, D2020)
    client = login(world.province_secretary)

    response = client.get(reverse("documents:register"), {"q": "ke hoach"},
                          headers={"HX-Request": "true", "HX-Target": "register-results"})

    body = html_of(response)
    assert response.status_code == 200
    assert "<table class=\"table register\">" in body
    assert "<h1>" not in body


def test_doc2_register_query_count_does_not_grow_with_documents(world: World) -> None:
    client = login(world.province_secretary)
    issue(world.province, D2020)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:register"))
    for n in range(8):
        issue(world.district_a if n % 2 else world.province, D2020, department=None)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("documents:register"))

    assert len(many) == len(few)


def test_x6_register_exports_the_filtered_list_to_xlsx_with_vietnamese_headers(
    world: World,
) -> None:
    from openpyxl import load_workbook

    kept = issue(world.province, D2020, department=world.tckt)
    issue(world.province, dt.date(2021, 1, 4))
    issue(world.district_b, D2020)
    client = login(world.district_a_cadre)
    issue(world.district_a, D2020)

    province = login(world.province_secretary).get(reverse("documents:register_export"),
                                                   {"nam": "2020", "don_vi": world.province.pk})
    district = client.get(reverse("documents:register_export"))

    assert province["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert province["Content-Disposition"] == 'attachment; filename="so-van-ban-di.xlsx"'
    rows = list(load_workbook(io.BytesIO(province.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Sổ văn bản đi"
    assert list(rows[1]) == HEADERS
    assert rows[2:] == [(kept.symbol, "02/03/2020", "Kế hoạch", "Kế hoạch kiểm tra năm",
                         "Tỉnh đoàn Tây Ninh", "Ban Tổ chức – Kiểm tra",
                         "Bí thư Hoàng Thị Thanh Thúy", "Ban Thường vụ Tỉnh đoàn; Lưu VP",
                         "Đã ban hành")]
    district_rows = list(load_workbook(io.BytesIO(district.content)).active.iter_rows(
        values_only=True))
    assert [r[4] for r in district_rows[2:]] == ["Huyện đoàn Châu Thành"]


# -- compose and edit ------------------------------------------------------------------------------


def test_doc1_compose_prefills_the_units_header_and_saves_a_draft(world: World) -> None:
    client = login(world.province_secretary)
    url = reverse("documents:compose") + f"?don_vi={world.province.pk}"

    form = client.get(url)
    saved = client.post(url, compose_data(department=world.tckt.pk))

    document = Document.objects.get()
    assert form.status_code == 200
    assert 'value="BAN CHẤP HÀNH TỈNH ĐOÀN TÂY NINH"' in html_of(form)
    assert 'value="TĐTN"' in html_of(form)
    assert saved.status_code == 302
    assert saved["Location"] == reverse("documents:detail", args=[document.pk])
    assert (document.status, document.number, document.issuing_unit, document.department) == (
        DocumentStatus.DRAFT, None, world.province, world.tckt)
    assert document.legal_bases == ["Căn cứ Hướng dẫn số 03-HD/TWĐTN-BTC;",
                                     "Thực hiện Nghị quyết Đại hội XIII."]
    assert document.recipients == ["Ban Bí thư TW Đoàn;", "Lưu VP."]
    assert [s["marker"] for s in document.body] == ["", "I.", "II."]
    assert document.body[1]["children"][0]["blocks"] == [
        {"kind": "-", "text": "Tăng cường **đi cơ sở**."},
        {"kind": "+", "text": "Mỗi quý một đợt."}]
    assert document.created_by == world.province_secretary


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "   ", "Hãy nhập thông tin này."),
    ("issued_on", "31/02/2020", "Ngày “31/02/2020” không tồn tại: tháng 2/2020 chỉ có 29 ngày."),
    ("issued_on", "hôm qua", BAD_DATE.format("hôm qua")),
    ("doc_type", "999999", "Lựa chọn không hợp lệ: hãy chọn lại trong danh sách."),
    ("department", "FOREIGN", "Ban đã chọn không thuộc đơn vị ban hành."),
    ("place", "", "Hãy nhập thông tin này."),
    ("body_code", "x" * 41, "Dài quá 40 ký tự (đang có 41)."),
])
def test_x9_compose_bad_input_is_answered_beside_the_field_and_nothing_written(
    world: World, field: str, value: str, message: str,
) -> None:
    from doanvu.org.models import Department, DepartmentCategory

    if value == "FOREIGN":
        value = str(Department.objects.create(unit=world.district_b, name="Văn phòng Tân Biên",
                                              category=DepartmentCategory.OFFICE).pk)
    client = login(world.province_secretary)
    url = reverse("documents:compose") + f"?don_vi={world.province.pk}"

    response = client.post(url, compose_data(**{field: value}))

    body = html_of(response)
    assert response.status_code == 200
    assert message in body
    assert body.index(message) > body.index(f'name="{field}"')
    assert "Kế hoạch đi công tác cơ sở năm 2020" in body or field == "title"
    assert "Trần Lê Duy" in body
    assert Document.objects.count() == 0


def test_x9_compose_future_date_refused_by_the_service_beside_the_field(world: World) -> None:
    from doanvu.common.dates import today

    client = login(world.province_secretary)
    later = today() + dt.timedelta(days=3)

    response = client.post(reverse("documents:compose") + f"?don_vi={world.province.pk}",
                           compose_data(issued_on=later.strftime("%d/%m/%Y")))

    assert response.status_code == 200
    assert f"Ngày ban hành {later:%d/%m/%Y} ở tương lai." in html_of(response)
    assert Document.objects.count() == 0


def test_x3_compose_needs_write_on_the_unit(world: World) -> None:
    url = reverse("documents:compose")

    statuses = {
        who: login(getattr(world, who)).get(url, {"don_vi": world.province.pk}).status_code
        for who in ("province_secretary", "district_a_cadre", "branch_secretary", "outsider")
    }
    posted = login(world.district_b_cadre).post(f"{url}?don_vi={world.district_a.pk}",
                                                compose_data())

    assert statuses == {"province_secretary": 200, "district_a_cadre": 404,
                        "branch_secretary": 404, "outsider": 404}
    assert posted.status_code == 404
    assert Document.objects.count() == 0


def test_x3_department_staff_compose_only_under_their_department(world: World) -> None:
    staff = make_user("canbo_tckt")
    grant(staff, "ban_tckt", world.province, department=world.tckt)
    client = login(staff)
    url = reverse("documents:compose") + f"?don_vi={world.province.pk}"

    without = client.post(url, compose_data())
    with_department = client.post(url, compose_data(department=world.tckt.pk))

    assert without.status_code == 200
    assert "Hãy chọn một mục trong danh sách." in html_of(without)
    assert with_department.status_code == 302
    assert Document.objects.get().department == world.tckt


def test_doc1_compose_without_unit_lists_the_users_units(world: World) -> None:
    page = login(world.district_a_cadre).get(reverse("documents:compose"))
    none = login(world.outsider).get(reverse("documents:compose"))

    assert f'?don_vi={world.district_a.pk}">Huyện đoàn Châu Thành</a>' in html_of(page)
    assert "Bạn chưa được giao quyền soạn văn bản cho đơn vị nào." in html_of(none)


def test_doc1_edit_shows_the_draft_as_text_and_saves_changes(world: World) -> None:
    draft = make_draft(world.province)
    client = login(world.province_secretary)
    url = reverse("documents:edit", args=[draft.pk])

    form = client.get(url)
    saved = client.post(url, compose_data(title="Kế hoạch đã sửa"))

    assert "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\n- Nâng cao chất lượng **đi cơ sở**." in html_of(
        form)
    assert "- Ban Thường vụ Tỉnh đoàn;\n- Lưu VP." in html_of(form)
    assert saved.status_code == 302
    assert Document.objects.get(pk=draft.pk).title == "Kế hoạch đã sửa"


def test_doc2_edit_of_an_issued_document_is_refused(world: World) -> None:
    issued = issue(world.province, D2020)
    client = login(world.province_secretary)

    response = client.post(reverse("documents:edit", args=[issued.pk]),
                           compose_data(title="Sửa trộm"))

    assert response.status_code == 302
    assert Document.objects.get(pk=issued.pk).title == "Kế hoạch kiểm tra năm"


# -- detail, issue, downloads ----------------------------------------------------------------------


def test_doc3_detail_previews_the_same_content_as_the_files(world: World) -> None:
    issued = issue(world.province, D2020, department=world.tckt)

    body = html_of(login(world.province_secretary).get(reverse("documents:detail",
                                                             args=[issued.pk])))

    assert '<p class="doc-number">Số: 1-KH/TĐTN-TCKT</p>' in body
    assert '<p class="doc-date">Tây Ninh, ngày 02 tháng 3 năm 2020</p>' in body
    assert '<p class="doc-type">KẾ HOẠCH</p>' in body
    assert "Nâng cao chất lượng <strong>đi cơ sở</strong>." in body
    assert "Ban hành văn bản" not in body  # already issued


def test_doc2_issue_from_the_page_numbers_the_document(world: World) -> None:
    draft = make_draft(world.province)
    client = login(world.province_secretary)

    response = client.post(reverse("documents:issue", args=[draft.pk]),
                           {"issued_on": "18/04/2018"})

    document = Document.objects.get(pk=draft.pk)
    assert response.status_code == 302
    assert (document.symbol, document.issued_on) == ("1-KH/TĐTN", dt.date(2018, 4, 18))


def test_x9_issue_without_signer_shows_why_and_keeps_the_draft(world: World) -> None:
    draft = make_draft(world.province, ready=False)
    client = login(world.province_secretary)

    response = client.post(reverse("documents:issue", args=[draft.pk]), {"issued_on": ""})
    bad_date = client.post(reverse("documents:issue", args=[draft.pk]), {"issued_on": "99/99"})

    assert response.status_code == 400
    assert ("Chưa ban hành được: văn bản còn thiếu chức vụ người ký, họ tên người ký, nơi nhận. "
            "Bản nháp vẫn được giữ nguyên.") in html_of(response)
    assert bad_date.status_code == 400
    assert BAD_DATE.format("99/99") in html_of(bad_date)
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT


def test_x3_issue_needs_approve_and_post(world: World) -> None:
    draft = make_draft(world.district_a)
    url = reverse("documents:issue", args=[draft.pk])

    cadre = login(world.district_a_cadre)  # read, write, administer: no approve
    refused = cadre.post(url)
    by_get = login(world.province_secretary).get(url)
    page = html_of(cadre.get(reverse("documents:detail", args=[draft.pk])))

    assert refused.status_code == 404
    assert by_get.status_code == 405
    assert "Ban hành văn bản" not in page
    assert "Sửa bản nháp" in page
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT


def test_doc3_downloads_give_docx_and_pdf(world: World) -> None:
    issued = issue(world.province, D2020, department=world.tckt)
    client = login(world.province_secretary)

    docx = client.get(reverse("documents:download", args=[issued.pk, "docx"]))
    pdf = client.get(reverse("documents:download", args=[issued.pk, "pdf"]))
    junk = client.get(reverse("documents:download", args=[issued.pk, "exe"]))

    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert docx["Content-Disposition"] == (
        "attachment; filename*=utf-8''1-KH-T%C4%90TN-TCKT.docx")
    assert docx.content[:2] == b"PK"
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content[:5] == b"%PDF-"
    assert junk.status_code == 404


# -- outsiders: every documents URL ----------------------------------------------------------------


def document_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("documents:detail", args=[pk])),
        ("GET", reverse("documents:edit", args=[pk])),
        ("POST", reverse("documents:edit", args=[pk])),
        ("POST", reverse("documents:issue", args=[pk])),
        ("GET", reverse("documents:download", args=[pk, "docx"])),
        ("GET", reverse("documents:download", args=[pk, "pdf"])),
    ]


@pytest.mark.parametrize("who", ["outsider", "district_b_cadre", "branch_secretary"])
def test_x3_every_document_url_is_404_for_users_who_do_not_reach_it(world: World,
                                                                      who: str) -> None:
    draft = make_draft(world.district_a, title="Kế hoạch riêng của Châu Thành")
    issued = issue(world.district_a, D2020)
    client = login(getattr(world, who))

    statuses = {(method, url): (client.post(url, compose_data()) if method == "POST"
                                else client.get(url)).status_code
                for pk in (draft.pk, issued.pk) for method, url in document_urls(pk)}
    compose = client.get(reverse("documents:compose"), {"don_vi": world.district_a.pk})
    register = html_of(client.get(reverse("documents:register")))

    assert set(statuses.values()) == {404}
    assert compose.status_code == 404
    assert "Kế hoạch riêng của Châu Thành" not in register
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT
    assert Document.objects.get(pk=draft.pk).title == "Kế hoạch riêng của Châu Thành"


def test_x3_documents_urls_send_anonymous_users_to_login(world: World) -> None:
    draft = make_draft(world.province)
    client = Client()
    urls = [url for _m, url in document_urls(draft.pk)] + [
        reverse("documents:register"), reverse("documents:register_export"),
        reverse("documents:compose")]

    locations = {client.get(url)["Location"].split("?")[0] for url in urls}

    assert locations == {"/dang-nhap/"}


JUNK_IDS = ["0", "999999", str(2**64)]


@pytest.mark.parametrize("who", ["outsider", "branch_secretary", "province_secretary"])
def test_x9_junk_and_missing_ids_answer_404_never_500(world: World, who: str) -> None:
    client = login(getattr(world, who))
    urls = [f"/van-ban/{pk}{suffix}" for pk in JUNK_IDS
            for suffix in ("/", "/sua/", "/tai.docx", "/tai.pdf", "/tai.abc")]
    compose = [f"/van-ban/soan/?don_vi={v}" for v in ("abc", "999999", str(2**64), "-1")]

    statuses = {url: client.get(url).status_code for url in urls + compose}
    posts = {url: client.post(url, compose_data()).status_code
             for url in [f"/van-ban/{pk}/ban-hanh/" for pk in JUNK_IDS] + compose}

    assert set(statuses.values()) == {404}
    assert set(posts.values()) == {404}
    assert Document.objects.count() == 0


def test_x8_register_and_document_pages_fit_a_phone(world: World) -> None:
    issued = issue(world.province, D2020)
    client = login(world.province_secretary)

    register = html_of(client.get(reverse("documents:register")))
    detail = html_of(client.get(reverse("documents:detail", args=[issued.pk])))

    assert 'name="viewport" content="width=device-width, initial-scale=1"' in register
    assert '<td data-label="Trích yếu">' in register
    assert '<section class="paper-wrap"' in detail


# -- the project's URL sweep, over the documents URLs (X-3, X-9) -----------------------------------


@pytest.mark.parametrize("who", ["outsider", "branch_secretary"])
def test_x3_documents_urls_pass_the_url_sweep(world: World, who: str) -> None:
    """What tests/test_url_sweep.py asks of every URL, for ours: GET with the sweep's junk
    queries and POST with its hostile form, on another district's documents, missing and junk
    ids: a redirect, 404 or 405, never a 500, never naming a unit the user may not read."""
    from tests.test_url_sweep import _queries, _unreadable_names, hostile_form

    foreign = [make_draft(world.district_b).pk, issue(world.district_b, D2020).pk]
    ids = [*foreign, 999999, 0, 2**64]
    urls = [reverse("documents:register"), reverse("documents:register_export"),
            reverse("documents:compose")]
    with_ids = [reverse(name, args=[pk]) for pk in ids
                for name in ("documents:detail", "documents:edit", "documents:issue")]
    with_ids += [reverse("documents:download", args=[pk, fmt]) for pk in ids
                 for fmt in ("docx", "pdf", "abc", "<script>alert(1)", "x" * 300)]
    client = login(getattr(world, who))
    forbidden = _unreadable_names(getattr(world, who), world)
    before = list(Document.objects.order_by("pk").values())
    problems: list[str] = []

    for url in urls + with_ids:
        allowed = {302, 400, 403, 404, 405} | ({200} if url in urls else set())
        responses = [("GET", client.get(url, q)) for q in _queries(world)]
        responses.append(("POST", client.post(url, hostile_form(world))))
        for method, response in responses:
            body = response.content.decode("utf-8", errors="replace")
            if response.status_code not in allowed:
                problems.append(f"{method} {url}: {response.status_code}")
            leaked = [n for n in forbidden if n in body]
            if leaked:
                problems.append(f"{method} {url}: names {leaked}")

    assert problems == []
    assert list(Document.objects.order_by("pk").values()) == before
