"""Member lists: the filters of the list page (X-2) and the .xlsx export of any filtered list.

`filter_members` takes the query parameters of the list (`don_vi`, `q`, `trang_thai`, `tuoi`,
`gioi_tinh`) so the list view, the export and the bench use one and the same query; pages of
a list come from `core.selectors.member_rows` (keyset, with the search's time bound).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doanvu.accounts.scope import READ, Scope
from doanvu.common.dates import format_date, today
from doanvu.common.spreadsheet import XLSX, XlsxWriter
from doanvu.org.models import EducationLevel, Gender, TheoryLevel, Unit

from ..core.selectors import member_filter, with_person_access
from ..models import Membership, MemberStatus

# The same headers the importer recognises, so an export can be edited and imported back.
HEADERS = [
    gettext_lazy("Họ và tên"),
    gettext_lazy("Ngày sinh"),
    gettext_lazy("Giới tính"),
    gettext_lazy("Số CCCD"),
    gettext_lazy("Ngày vào Đoàn"),
    gettext_lazy("Số thẻ đoàn viên"),
    gettext_lazy("Điện thoại"),
    gettext_lazy("Quê quán"),
    gettext_lazy("Dân tộc"),
    gettext_lazy("Tôn giáo"),
    gettext_lazy("Trình độ học vấn"),
    gettext_lazy("Lý luận chính trị"),
    gettext_lazy("Chi đoàn"),
    gettext_lazy("Tình trạng"),
]
EXCEL_MAX_ROWS = 1_048_575


@dataclass(frozen=True)
class MemberFilters:
    unit: Unit | None = None
    values: dict[str, str] = field(default_factory=dict)  # q, trang_thai, tuoi, gioi_tinh

    @property
    def q(self) -> str:
        return self.values.get("q", "")


def parse_filters(params: Mapping[str, str], *, scope: Scope) -> MemberFilters:
    """The list page's filters (MemberFilterForm: junk dropped); a unit out of scope is None."""
    from ..core.forms import MemberFilterForm

    unit = None
    raw_unit = str(params.get("don_vi", "")).strip()
    if raw_unit.isdigit() and len(raw_unit) < 19:
        unit = Unit.objects.select_related("kind").filter(pk=int(raw_unit)).first()
        if unit is not None and not scope.can(READ, unit):
            unit = None
    return MemberFilters(unit=unit, values=MemberFilterForm(params).values())


def filter_members(*, scope: Scope, filters: MemberFilters,
                   day: dt.date | None = None) -> QuerySet[Membership]:
    """The list page's filtered members (selectors.member_filter), the whole list, for exports,
    each with `person_visible` (person-level scope)."""
    return with_person_access(
        member_filter(scope=scope, unit=filters.unit, filters=filters.values, day=day),
        scope=scope)


def _rows(qs: QuerySet[Membership]) -> Iterator[list[object]]:
    genders = {k: str(v) for k, v in Gender.choices}
    education = {k: str(v) for k, v in EducationLevel.choices}
    theory = {k: str(v) for k, v in TheoryLevel.choices}
    statuses = {k: str(v) for k, v in MemberStatus.choices}
    values = qs.values_list(  # type: ignore[misc]  # person_visible: with_person_access
        "person__full_name", "person__birth_date", "person__gender", "person__cccd",
        "joined_union_on", "card_number", "person__phone", "person__hometown",
        "person__ethnicity", "person__religion", "person__education_level",
        "person__political_theory", "branch__name", "status", "person_visible",
    )
    for (name, birth, gender, cccd, joined, card, phone, hometown, ethnicity, religion, edu,
         pol, branch, status, visible) in values.iterator(chunk_size=2000):
        if not visible:  # an earlier unit's row: what later units recorded is not its to see
            gender = cccd = phone = hometown = ethnicity = religion = edu = pol = ""
        yield [name, format_date(birth), genders.get(gender, ""), cccd or "",
               format_date(joined), card, phone, hometown, ethnicity, religion,
               education.get(edu, ""), theory.get(pol, ""), branch, statuses.get(status, "")]


def export_members_xlsx(qs: QuerySet[Membership], *, title: str) -> tuple[str, str, object]:
    """(filename, content type, an open temporary file) — written row by row (write_only), so
    memory stays flat for a province; CCCD and dates are text cells, as units keep them."""
    from openpyxl.styles import Font

    wb = XlsxWriter()
    ws = wb.sheet(_("Đoàn viên"))
    ws.append([title])
    ws.append([str(h) for h in HEADERS], font=Font(bold=True))
    for i, row in enumerate(_rows(qs)):
        if i >= EXCEL_MAX_ROWS - 2:
            break
        ws.append(row)
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    wb.save(out)
    out.seek(0)
    return (f"doan-vien-{today():%Y%m%d}.xlsx", XLSX, out)


def template_example(*, day: dt.date, branch_name: str) -> dict[str, str]:
    """One member as the template's example row: young enough to be a member for years to come
    (20 today, admitted at 17), a CCCD that agrees with the birth year and gender, and every
    other column filled the way the importer reads it. `branch_name` is empty when the upload
    goes to a branch itself."""
    from doanvu.common.cccd import century_digit

    year = day.year - 20
    birth = dt.date(year, 3, 15)
    cccd = f"001{century_digit(gender=Gender.MALE.value, birth_year=year)}{year % 100:02d}012345"
    return {
        "full_name": _("Nguyễn Văn A"),
        "birth_date": format_date(birth),
        "gender": str(Gender.MALE.label),
        "cccd": cccd,
        "joined_union_on": format_date(dt.date(year + 17, 3, 26)),
        "card_number": "0123456",
        "phone": "0912345678",
        "email": "nguyenvana@example.com",
        "hometown": _("Hà Nội"),
        "address": _("Số 1 phố Tràng Tiền, quận Hoàn Kiếm, Hà Nội"),
        "ethnicity": _("Kinh"),
        "religion": _("Không"),
        "education_level": str(EducationLevel.THPT.label),
        "political_theory": str(TheoryLevel.SO_CAP.label),
        "occupation": _("Công nhân"),
        "branch": branch_name,
    }


def import_template_xlsx(*, day: dt.date, branch_name: str) -> tuple[str, str, bytes]:
    """The import's template (filename, content type, bytes): the headers the importer maps by
    itself, one example row that imports cleanly, and a second sheet saying what each column
    takes. The importer reads the first sheet only."""
    from openpyxl.styles import Font

    from .services import COLUMNS, header_key, template_headers

    headers = template_headers()
    keys = [header_key(h) or "" for h in headers]
    example = template_example(day=day, branch_name=branch_name)
    wb = XlsxWriter()
    ws = wb.sheet(_("Danh sách đoàn viên"))
    ws.append(headers, font=Font(bold=True))
    ws.append([example.get(k, "") for k in keys])
    ws.column_widths([max(14, len(h) + 4) for h in headers])
    ws.freeze("A2")
    guide = wb.sheet(_("Hướng dẫn"))
    guide.append([_("Mẫu danh sách đoàn viên để nhập vào Đoàn Vụ")], font=Font(bold=True))
    guide.append([_("Dòng 2 của trang đầu là ví dụ: hãy thay bằng đoàn viên của đơn vị. Ngày "
                    "ghi ngày/tháng/năm; số CCCD đủ 12 chữ số; để trống ô không biết.")])
    guide.append([])
    guide.append([_("Cột"), _("Bắt buộc"), _("Ví dụ")], font=Font(bold=True))
    by_key = {c.key: c for c in COLUMNS}
    for h, k in zip(headers, keys, strict=True):
        column = by_key[k]
        required = (_("có") if column.required
                    else _("có, trừ khi nhập thẳng vào một chi đoàn") if k == "branch" else "")
        guide.append([h, required, example.get(k, "")])
    guide.column_widths([24, 10, 48])
    return ("mau-nhap-doan-vien.xlsx", XLSX, wb.to_bytes())


def filters_title(filters: MemberFilters) -> str:
    parts = [_("Danh sách đoàn viên")]
    if filters.unit is not None:
        parts.append(_("thuộc {name}").format(name=filters.unit.name))
    if filters.q:
        parts.append(_("khớp “{q}”").format(q=filters.q))
    parts.append(_("(xuất ngày {format_date})").format(format_date=format_date(today())))
    return " ".join(parts)
