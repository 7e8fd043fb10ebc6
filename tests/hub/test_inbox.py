"""HUB-2: "Việc của tôi" (late first, submit from the list) and a unit's view of what its
lower units owe it; HUB-1 uploads refused before the upload completes (X-9)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doanvu.common.dates import today
from doanvu.hub.models import Obligation, ObligationFile
from tests.conftest import World, login

from .conftest import Inbox, make_ob

D = dt.date


def open_titles(html: str) -> list[str]:
    """Titles of the rows of the open list, in page order."""
    match = re.search(r'data-testid="open-list">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return re.findall(r'class="ob-title"[^>]*>([^<]+)</a>', match.group(1))


def test_hub2_my_work_lists_late_first_then_by_due_date(inbox: Inbox) -> None:
    client = login(inbox.world.district_a_cadre)

    response = client.get(reverse("hub:my_work"))
    html = response.content.decode()

    assert response.status_code == 200
    assert open_titles(html) == ["Báo cáo C – quá hạn lâu", "Báo cáo B – quá hạn",
                                 "Báo cáo D – hạn hôm nay", "Báo cáo A – còn hạn"]
    assert "Quá hạn 10 ngày" in html
    assert "Quá hạn 3 ngày" in html
    assert f"{inbox.late.due_on:%d/%m/%Y}" in html
    assert "Nộp cho: <strong>Tỉnh đoàn Tây Ninh</strong> (Ban Tổ chức – Kiểm tra)" in html
    # what the commune owes the district is the district's to collect, not its own work
    assert "Báo cáo của xã Thái Bình" not in open_titles(html)
    assert "Báo cáo của Huyện đoàn Tân Biên" not in html
    assert f'href="/don-vi/{inbox.world.district_a.pk}/nghia-vu/"' in html


def test_hub2_submit_from_the_list_moves_it_out_of_the_open_list(inbox: Inbox) -> None:
    client = login(inbox.world.district_a_cadre)

    response = client.post(reverse("hub:obligation_submit", args=[inbox.very_late.pk]),
                           {"text": "Báo cáo kết quả quý.", "quay_lai": "viec-cua-toi"})
    after = client.get(reverse("hub:my_work")).content.decode()
    inbox.very_late.refresh_from_db()

    assert (response.status_code, response["Location"]) == (302, reverse("hub:my_work"))
    assert inbox.very_late.status == "submitted"
    assert inbox.very_late.submitted_by == inbox.world.district_a_cadre
    assert open_titles(after) == ["Báo cáo B – quá hạn", "Báo cáo D – hạn hôm nay",
                                  "Báo cáo A – còn hạn"]
    assert "Đã nộp “Báo cáo C – quá hạn lâu”." in after


def test_hub2_htmx_submit_answers_with_the_row_marked_submitted(inbox: Inbox) -> None:
    client = login(inbox.world.district_a_cadre)

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": "Nộp qua htmx."}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.strip().startswith("<li")
    assert 'data-testid="submitted-obligation"' in html
    assert "đang chờ Tỉnh đoàn Tây Ninh tiếp nhận" in html
    assert "<html" not in html


def test_hub2_empty_submission_keeps_the_row_open_with_the_message(inbox: Inbox) -> None:
    client = login(inbox.world.district_a_cadre)

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": ""}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert response.status_code == 200
    assert 'data-testid="open-obligation"' in html
    assert "Hãy ghi nội dung hoặc đính kèm ít nhất một tệp." in html
    assert "<details class=\"ob-submit\" open>" in html


def test_hub2_upper_unit_sees_what_lower_units_owe_and_reminds(inbox: Inbox) -> None:
    w = inbox.world
    w.district_a_cadre.email = "chauthanh@example.vn"
    w.district_a_cadre.save()
    client = login(w.province_secretary)
    url = reverse("hub:unit_obligations", args=[w.province.pk])

    page = client.get(url).content.decode()
    first = client.post(reverse("hub:obligation_remind", args=[inbox.late.pk]),
                        {"quay_lai": "don-vi"})
    second = client.post(reverse("hub:obligation_remind", args=[inbox.late.pk]),
                         {"quay_lai": "don-vi"}, follow=True)
    from django.core import mail

    assert "Báo cáo B – quá hạn" in page
    assert "Báo cáo của Huyện đoàn Tân Biên" in page
    assert "Báo cáo E – đã nộp" not in page  # the default filter shows what is not yet in
    assert (first.status_code, first["Location"]) == (302, url)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chauthanh@example.vn"]
    assert mail.outbox[0].subject == (f"[Đoàn Vụ] Nhắc việc: Báo cáo B – quá hạn (hạn "
                                      f"{inbox.late.due_on:%d/%m/%Y})")
    assert "Đã nhắc việc này hôm nay" in second.content.decode()
    inbox.late.refresh_from_db()
    assert inbox.late.reminded_on == today()


def test_hub2_the_owing_side_cannot_remind_itself(inbox: Inbox) -> None:
    client = login(inbox.world.district_a_cadre)

    response = client.post(reverse("hub:obligation_remind", args=[inbox.late.pk]))

    assert response.status_code == 404


def test_hub2_reviewer_accepts_and_returns(inbox: Inbox) -> None:
    w = inbox.world
    client = login(w.province_secretary)

    accepted = client.post(reverse("hub:obligation_accept", args=[inbox.submitted.pk]),
                           {"note": "Tốt"})
    refused = client.post(reverse("hub:obligation_return", args=[inbox.submitted.pk]),
                          {"note": "Bổ sung"})
    by_owner = login(w.district_a_cadre).post(
        reverse("hub:obligation_accept", args=[inbox.late.pk]))
    inbox.submitted.refresh_from_db()

    assert accepted.status_code == 302
    assert inbox.submitted.status == "accepted"
    assert "Chỉ trả lại được việc đã nộp và đang chờ tiếp nhận." in refused.content.decode()
    assert by_owner.status_code == 404


def test_hub2_unit_list_and_inbox_run_a_fixed_number_of_queries(world: World) -> None:
    t = today()

    def count(path: str, client: Client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    cadre = login(world.district_a_cadre)
    secretary = login(world.province_secretary)
    inbox_url = reverse("hub:my_work")
    unit_url = reverse("hub:unit_obligations", args=[world.province.pk])
    for i in range(2):
        make_ob(by=world.district_a, to=world.province, title=f"Việc {i}",
                due=t + dt.timedelta(days=i - 1), to_department=world.tckt)
    few = (count(inbox_url, cadre), count(unit_url, secretary))
    for i in range(2, 12):
        make_ob(by=world.district_a if i % 2 else world.district_b, to=world.province,
                title=f"Việc {i}", due=t + dt.timedelta(days=i - 5), to_department=world.tckt)
    many = (count(inbox_url, cadre), count(unit_url, secretary))

    assert few == many


# -- uploads (X-9: refused before the upload completes) ------------------------------------------


def _limits(settings: object) -> None:
    settings.HUB_UPLOAD_MAX_BYTES = 1000  # type: ignore[attr-defined]
    settings.HUB_UPLOAD_MAX_FILES = 2  # type: ignore[attr-defined]


def test_hub1_files_are_stored_and_downloadable_within_scope(
    inbox: Inbox, media: Path, settings: object
) -> None:
    _limits(settings)
    w = inbox.world
    client = login(w.district_a_cadre)
    pdf = SimpleUploadedFile("bao-cao-quy.pdf", b"%PDF-1.4 " + b"x" * 400, "application/pdf")

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": "", "attachments": [pdf]})
    stored = ObligationFile.objects.get(obligation=inbox.late)
    download = login(w.province_secretary).get(
        reverse("hub:obligation_file", args=[inbox.late.pk, stored.pk]))
    outsider = login(w.district_b_cadre).get(
        reverse("hub:obligation_file", args=[inbox.late.pk, stored.pk]))

    assert response.status_code == 302
    assert (stored.original_name, stored.size) == ("bao-cao-quy.pdf", 409)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 " + b"x" * 400  # type: ignore[attr-defined]
    assert 'filename="bao-cao-quy.pdf"' in download["Content-Disposition"]
    assert outsider.status_code == 404


def test_hub1_file_over_the_limit_is_refused_naming_the_file(
    inbox: Inbox, media: Path, settings: object
) -> None:
    _limits(settings)
    client = login(inbox.world.district_a_cadre)
    big = SimpleUploadedFile("bao-cao-lon.pdf", b"x" * 1500, "application/pdf")

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": "Kèm tệp lớn", "attachments": [big]})
    html = response.content.decode()
    inbox.late.refresh_from_db()

    assert response.status_code == 413
    assert ("Tệp “bao-cao-lon.pdf” vượt quá giới hạn 1000 byte cho mỗi tệp: không được "
            "tiếp nhận.") in html
    assert inbox.late.status == "open"
    assert ObligationFile.objects.count() == 0
    assert list(media.rglob("*")) == []
    assert "Kèm tệp lớn" in html  # what the user typed is kept


def test_hub1_file_of_a_wrong_type_is_refused_naming_the_file(
    inbox: Inbox, media: Path, settings: object
) -> None:
    _limits(settings)
    client = login(inbox.world.district_a_cadre)
    exe = SimpleUploadedFile("cai-dat.exe", b"MZ" + b"\0" * 10, "application/octet-stream")

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": "x", "attachments": [exe]}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    inbox.late.refresh_from_db()

    assert response.status_code == 200  # htmx swaps the row with the message in it
    assert ("Tệp “cai-dat.exe” không được tiếp nhận: chỉ nhận các loại pdf, docx, doc, xlsx, "
            "xls, jpg, jpeg, png, zip.") in html
    assert inbox.late.status == "open"
    assert ObligationFile.objects.count() == 0


class _Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def test_hub1_request_too_large_is_refused_from_its_length_without_reading_it(
    inbox: Inbox, settings: object
) -> None:
    _limits(settings)
    client = login(inbox.world.district_a_cadre)

    response = client.post(
        reverse("hub:obligation_submit", args=[inbox.late.pk]), data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="52428800", **{"wsgi.input": _Unreadable()},
    )
    html = response.content.decode()
    inbox.late.refresh_from_db()

    assert response.status_code == 413
    assert ("Dữ liệu gửi lên (50 MB) vượt quá giới hạn: mỗi tệp tối đa 1000 byte, mỗi lần nộp "
            "tối đa 2 tệp. Không tệp nào được tiếp nhận.") in html
    assert inbox.late.status == "open"


def test_hub1_too_many_files_are_refused(inbox: Inbox, media: Path, settings: object) -> None:
    _limits(settings)
    client = login(inbox.world.district_a_cadre)
    files = [SimpleUploadedFile(f"tep-{i}.pdf", b"x" * 10, "application/pdf") for i in range(3)]

    response = client.post(reverse("hub:obligation_submit", args=[inbox.late.pk]),
                           {"text": "x", "attachments": files})

    assert "Mỗi lần nộp tối đa 2 tệp." in response.content.decode()
    assert Obligation.objects.get(pk=inbox.late.pk).status == "open"
    assert ObligationFile.objects.count() == 0
