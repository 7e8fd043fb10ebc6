"""Issue 10 item 6: the audit log as a cadre reads it — sentences with Vietnamese labels and
formatted values, filters, export, scope; the chain itself is untouched."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from doanvu.audit import chain, services
from doanvu.audit.context import acting
from doanvu.audit.models import AuditRecord
from doanvu.members.models import Attendance, AttendanceStatus, Meeting, MemberRating, RatingScale
from doanvu.org import services as org_services
from doanvu.org.models import Unit
from tests.conftest import World, login
from tests.members.conftest import MembersWorld, make_member
from tests.members.conftest import members_world as members_world  # the fixture, here too

LEVELS = [{"code": "htxs", "name": "Hoàn thành xuất sắc nhiệm vụ", "rank": 1},
          {"code": "htt", "name": "Hoàn thành tốt nhiệm vụ", "rank": 2}]
# what must never reach the screen: raw ids, Python's None, the old empty mark, dotted names
FORBIDDEN = re.compile(r"_id\b|\bNone\b|∅|\b(?:org|members|accounts|hub|documents|audit)\.[a-z]+")


class _Text(HTMLParser):
    """The visible text of a page: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _rating(mw: MembersWorld) -> MemberRating:
    """A rating created, then raised with a reason, by the province secretary."""
    RatingScale.objects.create(issuing_unit=mw.world.centre, year=2025, target="member",
                               name="Xếp loại đoàn viên năm 2025", levels=LEVELS)
    member = mw.a1[0]
    with acting(mw.world.province_secretary):
        rating = MemberRating.objects.create(membership=member, year=2025, level="htt")
    with acting(mw.world.province_secretary, reason="Có thành tích đột xuất"):
        rating.level = "htxs"
        rating.recommended_to_party = True
        rating.save()
    return rating


def test_i10_a_change_reads_as_a_sentence_with_labels_and_formatted_values(
    members_world: MembersWorld,
) -> None:
    _rating(members_world)

    html = login(members_world.world.admin).get(reverse("audit:log")).content.decode()
    text = visible(html)

    assert "Bithu_tinh đã sửa xếp loại đoàn viên “Nguyễn Văn An 2025”" in text
    assert ('<span class="audit-label">Mức xếp loại:</span> <del>Hoàn thành tốt nhiệm vụ</del> → '
            "<ins>Hoàn thành xuất sắc nhiệm vụ</ins>") in html
    assert ('<span class="audit-label">Giới thiệu đoàn viên ưu tú:</span> <del>Không</del> → '
            "<ins>Có</ins>") in html
    assert "Lý do: Có thành tích đột xuất" in text
    # the creation names the member by name, not by id
    assert "Bithu_tinh đã tạo xếp loại đoàn viên “Nguyễn Văn An 2025”" in text
    assert "Đoàn viên: Nguyễn Văn An (Chi đoàn ấp Bình Phong)" in text
    assert "Năm: 2025" in text
    assert FORBIDDEN.findall(text) == []


def test_i10_dates_choices_and_related_records_are_formatted(members_world: MembersWorld) -> None:
    w = members_world.world
    # a member created through the model (audited as the system): dates, choice, branch name
    make_member(w.branch_a1, "Võ Thị Hạnh", joined=dt.date(2019, 3, 26))
    record = AuditRecord.objects.filter(model="members.membership").order_by("-id").first()
    assert record is not None
    record_time = timezone.localtime(record.at).strftime("%d/%m/%Y %H:%M")

    text = visible(login(w.admin).get(reverse("audit:log"),
                                      {"loai": "members.membership"}).content.decode())

    assert "Hệ thống đã tạo đoàn viên “Võ Thị Hạnh (Chi đoàn ấp Bình Phong)”" in text
    assert record_time in text
    assert "Chi đoàn: Chi đoàn ấp Bình Phong" in text
    assert "Ngày vào Đoàn: 26/03/2019" in text
    assert "Tình trạng: Đang sinh hoạt" in text
    assert "Tạo mới · Đoàn viên" in text
    assert FORBIDDEN.findall(text) == []


def test_i10_a_deletion_and_an_emptied_field_read_plainly(members_world: MembersWorld) -> None:
    w = members_world.world
    with acting(w.branch_secretary):
        meeting = Meeting.objects.create(unit=w.branch_a1, date=dt.date(2025, 6, 1),
                                         place="Nhà văn hóa ấp")
        attendance = Attendance.objects.create(meeting=meeting, membership=members_world.a1[1],
                                               status=AttendanceStatus.choices[0][0])
        meeting.place = ""
        meeting.save()
        attendance.delete()

    text = visible(login(w.admin).get(reverse("audit:log")).content.decode())

    assert "Bithu_chidoan đã xóa điểm danh “Trần Thị Bích: Có mặt”" in text
    assert "Địa điểm: Nhà văn hóa ấp → (trống)" in text
    assert ("Buổi sinh hoạt: Sinh hoạt chi đoàn Chi đoàn ấp Bình Phong 01/06/2025 "
            "Đoàn viên: Trần Thị Bích (Chi đoàn ấp Bình Phong) Tham dự: Có mặt") in text
    assert FORBIDDEN.findall(text) == []


def test_i10_a_bulk_step_shows_its_count_and_its_first_rows_by_name(
    members_world: MembersWorld,
) -> None:
    mw = members_world
    RatingScale.objects.create(issuing_unit=mw.world.centre, year=2025, target="member",
                               name="Xếp loại", levels=LEVELS)
    ratings = [MemberRating.objects.create(membership=m, year=2025, level="htt")
               for m in mw.a1]
    rows = [services.BulkRow(object_pk=str(r.pk), unit_id=mw.world.branch_a1.pk,
                             before={"level": "htt"}, after={"level": "htxs"})
            for r in ratings]
    with acting(mw.world.admin, reason="Tính lại theo hướng dẫn"):
        services.record_bulk(model=MemberRating, rows=rows,
                             description="Tính lại xếp loại 2025", unit_id=mw.world.branch_a1.pk)

    html = login(mw.world.admin).get(reverse("audit:log")).content.decode()
    text = visible(html)

    assert ("Quantri đã ghi hàng loạt 3 bản ghi xếp loại đoàn viên: Tính lại xếp loại 2025"
            in text)
    assert ('<span class="audit-label">Nguyễn Văn An 2025</span>: Mức xếp loại: Hoàn thành tốt '
            "nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ") in html
    assert "Lý do: Tính lại theo hướng dẫn" in text
    assert FORBIDDEN.findall(text) == []


def test_i10_filter_by_unit_keeps_its_subtree_only(members_world: MembersWorld) -> None:
    w = members_world.world
    org_services.unit_rename(actor=w.admin, unit=w.commune_a1, name="Đoàn xã Thái Bình mới",
                             on=dt.date(2020, 1, 1))
    org_services.unit_rename(actor=w.admin, unit=w.commune_b1, name="Đoàn xã Tân Lập mới",
                             on=dt.date(2020, 1, 1))

    text = visible(login(w.admin).get(reverse("audit:log"),
                                      {"unit": w.district_a.pk}).content.decode())

    assert "đã sửa đơn vị “Đoàn xã Thái Bình mới”" in text
    assert "Đoàn xã Tân Lập mới" not in text


def test_i10_filter_by_a_foreign_unit_is_refused_and_shows_nothing(world: World) -> None:
    org_services.unit_rename(actor=world.admin, unit=world.commune_b1, name="Đoàn xã Tân Lập mới",
                             on=dt.date(2020, 1, 1))
    client = login(world.district_a_cadre)

    response = client.get(reverse("audit:log"), {"unit": world.district_b.pk})
    export = client.get(reverse("audit:export"), {"unit": world.district_b.pk})
    odd = [client.get(reverse("audit:log"), {"unit": junk}).status_code
           for junk in ("abc", str(2**64), "-1")]

    text = visible(response.content.decode())
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị này trong phạm vi bạn quản trị." in text
    assert "Tân Lập" not in text and "Tân Biên" not in text
    assert export.status_code == 400
    assert odd == [200, 200, 200]


def test_i10_filters_by_kind_person_and_dates(members_world: MembersWorld) -> None:
    _rating(members_world)
    w = members_world.world
    org_services.unit_rename(actor=w.admin, unit=w.commune_a1, name="Đoàn xã Thái Bình mới",
                             on=dt.date(2020, 1, 1))
    client = login(w.admin)
    today = timezone.localdate().strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")

    by_kind = visible(client.get(reverse("audit:log"),
                                 {"loai": "members.memberrating"}).content.decode())
    by_person = visible(client.get(reverse("audit:log"), {"nguoi": "quantri"}).content.decode())
    today_only = visible(client.get(reverse("audit:log"),
                                    {"tu": today, "den": today}).content.decode())
    from_tomorrow = visible(client.get(reverse("audit:log"), {"tu": tomorrow}).content.decode())

    assert by_kind.count("xếp loại đoàn viên “") == 2
    assert "Đoàn xã Thái Bình mới" not in by_kind
    assert "Quantri đã sửa đơn vị “Đoàn xã Thái Bình mới”" in by_person
    assert "Bithu_tinh" not in by_person
    assert "Đoàn xã Thái Bình mới" in today_only
    assert "Chưa có bản ghi." in from_tomorrow


@pytest.mark.parametrize(("params", "message"), [
    ({"tu": "31/02/2020"}, "Ngày “31/02/2020” không tồn tại: tháng 2/2020 chỉ có 29 ngày."),
    ({"den": "abc"}, "Ngày “abc” không đúng dạng: hãy nhập theo dạng ngày/tháng/năm"),
    ({"tu": "02/01/2020", "den": "01/01/2020"}, "Đến ngày phải sau hoặc bằng từ ngày."),
    ({"loai": "members.nothing"}, "Loại bản ghi không có trong danh sách."),
])
def test_i10_bad_filters_get_a_vietnamese_message(world: World, params: dict[str, str],
                                                   message: str) -> None:
    client = login(world.admin)

    response = client.get(reverse("audit:log"), params)
    export = client.get(reverse("audit:export"), params)

    assert response.status_code == 200
    assert message in visible(response.content.decode())
    assert "đã tạo" not in visible(response.content.decode())
    assert export.status_code == 400
    assert message in export.content.decode()


def test_i10_outsider_reaches_neither_the_log_nor_its_export(world: World) -> None:
    client = login(world.outsider)

    assert client.get(reverse("audit:log")).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 404


def test_i10_related_units_outside_the_scope_are_not_named(world: World) -> None:
    client = login(world.district_a_cadre)
    text = visible(client.get(reverse("audit:log"), {"unit": world.district_a.pk}).content.decode())

    assert "Đơn vị cấp trên: (ngoài phạm vi của bạn)" in text
    assert "Tỉnh đoàn Tây Ninh" not in text


def test_i10_export_holds_the_filtered_log_with_vietnamese_headers(
    members_world: MembersWorld,
) -> None:
    from openpyxl import load_workbook

    _rating(members_world)
    w = members_world.world
    org_services.unit_rename(actor=w.admin, unit=w.commune_b1, name="=HYPERLINK(\"x\")",
                             on=dt.date(2020, 1, 1))
    client = login(w.district_a_cadre)

    xlsx = client.get(reverse("audit:export"), {"loai": "members.memberrating"})
    csv_all = client.get(reverse("audit:export"), {"dinh_dang": "csv"})
    csv_admin = login(w.admin).get(reverse("audit:export"),
                                   {"dinh_dang": "csv", "unit": w.district_b.pk})

    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0] == ("Thời điểm", "Người thực hiện", "Thao tác", "Loại bản ghi", "Bản ghi",
                       "Nội dung thay đổi", "Lý do")
    assert [r[1:5] for r in rows[1:]] == [
        ("bithu_tinh", "Cập nhật", "Xếp loại đoàn viên", "Nguyễn Văn An 2025"),
        ("bithu_tinh", "Tạo mới", "Xếp loại đoàn viên", "Nguyễn Văn An 2025")]
    assert rows[1][5] == ("Mức xếp loại: Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ; "
                          "Giới thiệu đoàn viên ưu tú: Không → Có")
    assert rows[1][6] == "Có thành tích đột xuất"
    body = csv_all.content.decode("utf-8-sig")
    assert "HYPERLINK" not in body  # district B's record is not the district A cadre's
    assert FORBIDDEN.findall(body) == []
    admin_rows = list(csv.reader(io.StringIO(csv_admin.content.decode("utf-8-sig"))))
    assert admin_rows[1][4] == "'=HYPERLINK(\"x\")"  # never a formula


def test_i10_pages_are_keyset_and_bounded_in_queries(
    members_world: MembersWorld, django_assert_max_num_queries: Any,
) -> None:
    w = members_world.world
    RatingScale.objects.create(issuing_unit=w.centre, year=2025, target="member",
                               name="Xếp loại", levels=LEVELS)
    members = [make_member(w.branch_a1, f"Đoàn viên {i}") for i in range(12)]
    with acting(w.branch_secretary):
        meeting = Meeting.objects.create(unit=w.branch_a1, date=dt.date(2025, 6, 1))
        for m in members:
            MemberRating.objects.create(membership=m, year=2025, level="htt")
            Attendance.objects.create(meeting=meeting, membership=m,
                                      status=AttendanceStatus.choices[0][0])
    client = login(w.admin)
    assert AuditRecord.objects.count() > 60

    with django_assert_max_num_queries(16):
        first = client.get(reverse("audit:log"))
    # a scoped reader: two more queries per related model (its records' units), never per row
    district = login(w.district_a_cadre)
    with django_assert_max_num_queries(24):
        scoped = district.get(reverse("audit:log"))
    html = first.content.decode()
    cursor = re.search(r'href="\?truoc=(\d+)"', html)
    assert cursor is not None
    second = client.get(reverse("audit:log"), {"truoc": cursor.group(1)}).content.decode()

    ids = AuditRecord.objects.order_by("-id").values_list("id", flat=True)
    assert html.count('class="audit-entry"') == 50
    assert int(cursor.group(1)) == ids[49]
    assert second.count('class="audit-entry"') == min(50, len(ids) - 50)
    assert FORBIDDEN.findall(visible(html)) == []
    in_district = AuditRecord.objects.filter(unit_id__in=Unit.objects.filter(
        path__startswith=w.district_a.path).values("pk")).count()
    assert scoped.content.decode().count('class="audit-entry"') == min(50, in_district)


def test_i10_unit_panel_uses_the_same_sentences(members_world: MembersWorld) -> None:
    w = members_world.world
    org_services.unit_rename(actor=w.district_a_cadre, unit=w.branch_a1,
                             name="Chi đoàn ấp Bình Phong Mới", on=dt.date(2020, 1, 1))
    _rating(members_world)

    html = login(w.district_a_cadre).get(reverse("org:unit_audit",
                                                 args=[w.branch_a1.pk])).content.decode()
    text = visible(html)

    assert "Canbo_chauthanh đã sửa đơn vị “Chi đoàn ấp Bình Phong Mới”" in text
    assert "Tên đơn vị: Chi đoàn ấp Bình Phong → Chi đoàn ấp Bình Phong Mới" in text
    assert "Mức xếp loại: Hoàn thành tốt nhiệm vụ → Hoàn thành xuất sắc nhiệm vụ" in text
    assert FORBIDDEN.findall(text) == []


def test_i10_the_chain_still_verifies_after_the_log_is_read(members_world: MembersWorld) -> None:
    _rating(members_world)
    before = list(AuditRecord.objects.order_by("id").values_list("id", "hash"))

    login(members_world.world.admin).get(reverse("audit:log"))
    login(members_world.world.admin).get(reverse("audit:export"))

    assert chain.verify().ok
    assert list(AuditRecord.objects.order_by("id").values_list("id", "hash")) == before


def test_i10_every_shown_field_of_an_audited_model_has_a_vietnamese_label() -> None:
    from doanvu.audit.presentation import _hidden_names, _label
    from doanvu.audit.registry import audited_models

    english = [f"{m._meta.label_lower}.{f.name}" for m in audited_models()
               for f in m._meta.concrete_fields
               if f.attname not in _hidden_names(m)
               and _label(f).lower() == f.name.replace("_", " ")]
    unnamed_kinds = [m._meta.label_lower for m in audited_models()
                     if str(m._meta.verbose_name) == m._meta.model_name
                     or re.fullmatch(r"[a-z ]+", str(m._meta.verbose_name))]

    assert english == []
    assert unnamed_kinds == []


def test_i10_member_page_history_reads_as_sentences(members_world: MembersWorld) -> None:
    w = members_world.world
    member = members_world.a1[0]
    with acting(w.branch_secretary, reason="Cấp lại thẻ"):
        member.card_number = "TN-0001"
        member.save()

    html = login(w.branch_secretary).get(reverse("members:member_detail",
                                                 args=[member.pk])).content.decode()
    text = visible(html)

    assert "Bithu_chidoan đã sửa đoàn viên “Nguyễn Văn An (Chi đoàn ấp Bình Phong)”" in text
    assert "Số thẻ đoàn viên: (trống) → TN-0001" in text
    assert "Lý do: Cấp lại thẻ" in text
    assert FORBIDDEN.findall(text) == []


def test_i10_import_records_read_with_their_counts(world: World) -> None:
    chain.append(action="create", model="members.importbatch", object_pk="7:0",
                 object_repr="Nhập đoàn viên từ ds.xlsx, lô 1", unit_id=world.branch_a1.pk,
                 changes={"before": {}, "after": {"persons_added": [11, 12, 13],
                                                  "memberships_added": [21, 22, 23],
                                                  "update_records": [5]}},
                 reason="Nhập đoàn viên từ tệp ds.xlsx (lượt nhập #7)", actor=world.admin)
    chain.append(action="update", model="members.importjob", object_pk="7",
                 object_repr="Nhập đoàn viên từ ds.xlsx", unit_id=world.branch_a1.pk,
                 changes={"before": {"status": "da_tai_len", "file": "imports/2026/ds.xlsx",
                                     "spool": "x.bin"},
                          "after": {"status": "da_het_han", "file": "", "spool": ""}},
                 reason="Hết hạn", actor=None)

    text = visible(login(world.admin).get(reverse("audit:log")).content.decode())

    assert ("Quantri đã tạo lô nhập đoàn viên “Nhập đoàn viên từ ds.xlsx, lô 1”" in text)
    assert "Cá nhân thêm mới: 3 Đoàn viên thêm mới: 3 Hồ sơ được cập nhật: 1" in text
    assert "Hệ thống đã sửa lượt nhập đoàn viên “Nhập đoàn viên từ ds.xlsx”" in text
    assert "Trạng thái: Đã tải lên → Đã hết hạn" in text
    assert "Tệp tải lên: imports/2026/ds.xlsx → (trống)" in text
    assert "spool" not in text
    assert FORBIDDEN.findall(text) == []


def test_i10_internal_codes_are_not_shown_and_a_reason_is_said_once(world: World) -> None:
    chain.append(action="create", model="hub.obligation", object_pk="1",
                 object_repr="Báo cáo kết quả đi cơ sở năm 2026", unit_id=world.branch_a1.pk,
                 changes={"before": {}, "after": {"kind": "fv.annual_report",
                                                  "kind_label": "Báo cáo kết quả đi cơ sở năm"}})
    chain.append(action="create", model="hub.deadlinepolicy", object_pk="1",
                 object_repr="Báo cáo quý", unit_id=world.branch_a1.pk,
                 changes={"before": {}, "after": {"code": "rem.quarterly", "title": "Báo cáo quý"}})
    chain.append(action="create", model="members.transfer", object_pk="1",
                 object_repr="Chuyển sinh hoạt Đoàn: A → B", unit_id=world.branch_a1.pk,
                 changes={"before": {}, "after": {"reason": "Chuyển nơi cư trú"}},
                 reason="Chuyển nơi cư trú")

    text = visible(login(world.admin).get(reverse("audit:log")).content.decode())

    assert "Loại việc: Báo cáo kết quả đi cơ sở năm" in text
    assert "Tên loại việc: Báo cáo quý" in text
    assert "fv." not in text and "rem." not in text
    assert text.count("Chuyển nơi cư trú") == 1
