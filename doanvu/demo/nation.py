"""The synthetic nation: a deterministic, realistic tree of Youth Union units for demos and benches.

Two halves:

* `build_nation(units=…, seed=…)` is pure: a seed in, plain rows out (`NationPlan`), no database.
  Rows refer to each other by their index in the plan's lists, so the same seed and size always
  give the same names and structure whatever ids the database hands out.
* `write_nation(plan, root=…)` inserts a plan in bulk: ids are pre-assigned after the current
  maximum, `path`/`depth`/`name_folded` are computed here, rows go in with COPY on PostgreSQL
  (batched INSERTs elsewhere), one open `UnitVersion` per unit, then the id sequences are reset.

Deliberately not written: `UnitEvent` "founded" rows and audit records. Bulk synthetic data is
not a user change (docs/architecture.md, the audit chain), and no signal fires for raw inserts,
so `audit_verify` keeps passing.

Members come later (`--members N`): add a stage after `_Builder.cadres` that appends PersonRow
(via `NameMaker`) and member rows per chi đoàn, and a matching `_insert` call in `write_nation`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import NOT_PROVIDED, Max
from django.utils import timezone

from doanvu.common.text import fold
from doanvu.org.models import (
    CommitteeSeat,
    Department,
    Person,
    Position,
    Term,
    Unit,
    UnitKind,
    UnitVersion,
)
from doanvu.org.paths import encode_step

# A plan unit whose parent is EXISTING_ROOT hangs under the Trung ương Đoàn already in the database.
EXISTING_ROOT = -1

ROOT_FOUNDED = dt.date(1931, 3, 26)
FOUNDED_CAP = dt.date(2020, 12, 31)  # every generated founding date is on or before this day
TERM_NAME = "2022–2027"
LATEST_START = dt.date(2024, 12, 31)  # generated posts start on or before this day


# ==============================================================================================
# Plain rows
# ==============================================================================================


@dataclass(slots=True)
class UnitRow:
    parent: int | None  # index in NationPlan.units, EXISTING_ROOT, or None for a new root
    name: str
    kind: str  # UnitKind.code
    sector: str
    founded_on: dt.date
    place: str = ""
    short_name: str = ""


@dataclass(slots=True)
class DepartmentRow:
    unit: int
    name: str
    short_name: str
    category: str


@dataclass(slots=True)
class PersonRow:
    full_name: str
    gender: str
    birth_date: dt.date
    phone: str


@dataclass(slots=True)
class PositionRow:
    person: int
    unit: int
    department: int | None
    title: str
    full_time: bool
    start_date: dt.date


@dataclass(slots=True)
class TermRow:
    unit: int
    name: str
    start_date: dt.date


@dataclass(slots=True)
class SeatRow:
    term: int
    committee: str
    person: int
    title: str
    order: int
    start_date: dt.date


@dataclass
class NationPlan:
    seed: int
    units: list[UnitRow] = field(default_factory=list)
    departments: list[DepartmentRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    terms: list[TermRow] = field(default_factory=list)
    seats: list[SeatRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        by_kind: dict[str, int] = {}
        for u in self.units:
            by_kind[u.kind] = by_kind.get(u.kind, 0) + 1
        return {
            "units": len(self.units),
            **{f"units.{k}": v for k, v in sorted(by_kind.items())},
            "departments": len(self.departments),
            "people": len(self.people),
            "positions": len(self.positions),
            "terms": len(self.terms),
            "seats": len(self.seats),
        }


# ==============================================================================================
# Vietnamese names
# ==============================================================================================


def _words(text: str) -> list[str]:
    return text.split()


def _words_list(text: str) -> list[str]:
    return [w.strip() for w in text.split(",")]


# fmt: off
# (place, region, population in millions ≈ 2019, centrally-run city). Regions: N = Red River
# delta, M = northern mountains, C = central coast, T = Central Highlands, S = the South.
PROVINCES: list[tuple[str, str, float, bool]] = [
    ("Hà Nội", "N", 8.05, True), ("Hải Phòng", "N", 2.03, True), ("Hải Dương", "N", 1.89, False),
    ("Hưng Yên", "N", 1.25, False), ("Bắc Ninh", "N", 1.37, False),
    ("Vĩnh Phúc", "N", 1.15, False), ("Hà Nam", "N", 0.85, False), ("Nam Định", "N", 1.78, False),
    ("Thái Bình", "N", 1.86, False), ("Ninh Bình", "N", 0.98, False),
    ("Quảng Ninh", "N", 1.32, False),
    ("Hà Giang", "M", 0.85, False), ("Cao Bằng", "M", 0.53, False), ("Bắc Kạn", "M", 0.31, False),
    ("Tuyên Quang", "M", 0.78, False), ("Lào Cai", "M", 0.73, False), ("Yên Bái", "M", 0.82, False),
    ("Thái Nguyên", "M", 1.29, False), ("Lạng Sơn", "M", 0.78, False),
    ("Bắc Giang", "M", 1.80, False), ("Phú Thọ", "M", 1.46, False), ("Điện Biên", "M", 0.60, False),
    ("Lai Châu", "M", 0.46, False), ("Sơn La", "M", 1.25, False), ("Hòa Bình", "M", 0.85, False),
    ("Thanh Hóa", "C", 3.64, False), ("Nghệ An", "C", 3.33, False), ("Hà Tĩnh", "C", 1.29, False),
    ("Quảng Bình", "C", 0.90, False), ("Quảng Trị", "C", 0.63, False),
    ("Thừa Thiên Huế", "C", 1.13, False), ("Đà Nẵng", "C", 1.13, True),
    ("Quảng Nam", "C", 1.50, False), ("Quảng Ngãi", "C", 1.23, False),
    ("Bình Định", "C", 1.49, False), ("Phú Yên", "C", 0.87, False), ("Khánh Hòa", "C", 1.23, False),
    ("Ninh Thuận", "C", 0.59, False), ("Bình Thuận", "C", 1.23, False),
    ("Kon Tum", "T", 0.54, False), ("Gia Lai", "T", 1.51, False), ("Đắk Lắk", "T", 1.87, False),
    ("Đắk Nông", "T", 0.62, False), ("Lâm Đồng", "T", 1.30, False),
    ("Thành phố Hồ Chí Minh", "S", 8.99, True), ("Bình Phước", "S", 0.99, False),
    ("Tây Ninh", "S", 1.17, False), ("Bình Dương", "S", 2.43, False),
    ("Đồng Nai", "S", 3.10, False), ("Bà Rịa – Vũng Tàu", "S", 1.15, False),
    ("Long An", "S", 1.69, False), ("Tiền Giang", "S", 1.76, False), ("Bến Tre", "S", 1.29, False),
    ("Trà Vinh", "S", 1.01, False), ("Vĩnh Long", "S", 1.02, False),
    ("Đồng Tháp", "S", 1.60, False), ("An Giang", "S", 1.91, False),
    ("Kiên Giang", "S", 1.72, False), ("Cần Thơ", "S", 1.24, True),
    ("Hậu Giang", "S", 0.73, False), ("Sóc Trăng", "S", 1.20, False),
    ("Bạc Liêu", "S", 0.91, False), ("Cà Mau", "S", 1.19, False),
]

# Provincial capitals named otherwise than their province (the province's city union).
CAPITALS = {
    "Bà Rịa – Vũng Tàu": "Vũng Tàu", "Thừa Thiên Huế": "Huế", "Đắk Lắk": "Buôn Ma Thuột",
    "Gia Lai": "Pleiku", "Lâm Đồng": "Đà Lạt", "Khánh Hòa": "Nha Trang", "Bình Định": "Quy Nhơn",
    "Quảng Nam": "Tam Kỳ", "Nghệ An": "Vinh", "Bình Dương": "Thủ Dầu Một", "Đồng Nai": "Biên Hòa",
    "Kiên Giang": "Rạch Giá", "An Giang": "Long Xuyên", "Đồng Tháp": "Cao Lãnh",
    "Bình Thuận": "Phan Thiết", "Ninh Thuận": "Phan Rang – Tháp Chàm", "Phú Yên": "Tuy Hòa",
    "Quảng Bình": "Đồng Hới", "Quảng Trị": "Đông Hà", "Quảng Ninh": "Hạ Long",
    "Phú Thọ": "Việt Trì", "Điện Biên": "Điện Biên Phủ", "Đắk Nông": "Gia Nghĩa",
    "Bình Phước": "Đồng Xoài", "Long An": "Tân An", "Tiền Giang": "Mỹ Tho",
    "Hậu Giang": "Vị Thanh", "Vĩnh Phúc": "Vĩnh Yên", "Hà Nam": "Phủ Lý",
}
# Place names are mostly two Sino-Vietnamese syllables: "Tân Bình", "Phú Hòa", "Long Thạnh".
PLACE_FIRST = _words(
    "Tân Bình An Phú Hòa Long Thạnh Phước Hưng Thành Vĩnh Mỹ Xuân Hiệp Thuận Đông Tây Nam Bắc "
    "Trung Quang Hải Sơn Kim Ngọc Minh Đức Thái Yên Cẩm Lạc Định Hồng Gia Hoàng Phúc Tiên Thiện "
    "Lộc Châu Đại Cát Lâm Hương Tường Nghĩa Khánh Quảng Liên Tam Hà Thượng Hạ Vạn Trường Lương "
    "Bảo Tịnh Diên Cam Hội Nhơn Quới Thới Hựu Song"
)
PLACE_SECOND = _words(
    "Bình An Hòa Phú Lợi Thạnh Hưng Long Thành Đông Tây Nam Bắc Trung Lộc Phước Mỹ Thuận Hiệp "
    "Sơn Hải Xuân Lâm Hà Châu Điền Khánh Định Tiến Thịnh Quang Vinh Hội Lập Phong Nghĩa Đức Tân "
    "Hậu Thới Quới Hanh Trạch Dương Lạc Ninh Yên Cường Thọ Tường Phát Hạnh Nhuận Lực Giang"
)
# District (huyện, quận, thị xã) names by region; more come from the syllables when these run out.
DISTRICT_NAMES: dict[str, list[str]] = {
    "N": _words_list(
        "Thanh Trì, Gia Lâm, Đông Anh, Sóc Sơn, Ba Vì, Thạch Thất, Quốc Oai, Chương Mỹ, "
        "Thanh Oai, Ứng Hòa, Mỹ Đức, Phú Xuyên, Thường Tín, Mê Linh, Đan Phượng, Hoài Đức, "
        "Phúc Thọ, Cẩm Giàng, Kinh Môn, Kim Thành, Nam Sách, Thanh Hà, Tứ Kỳ, Gia Lộc, "
        "Ninh Giang, Thanh Miện, Bình Giang, Kiến Thụy, Thủy Nguyên, An Dương, Tiên Lãng, "
        "Vĩnh Bảo, Văn Lâm, Khoái Châu, Tiên Du, Quế Võ, Yên Lạc, Tam Đảo, Lý Nhân, Hải Hậu, "
        "Giao Thủy, Nghĩa Hưng, Vũ Thư, Kiến Xương, Tiền Hải, Hoa Lư, Kim Sơn, Yên Mô, "
        "Đông Triều, Vân Đồn, Tiên Yên"
    ),
    "M": _words_list(
        "Lục Ngạn, Yên Dũng, Hiệp Hòa, Việt Yên, Lạng Giang, Tân Yên, Sơn Động, Mường Tè, "
        "Sìn Hồ, Mộc Châu, Mai Sơn, Thuận Châu, Bắc Hà, Sa Pa, Văn Chấn, Lục Yên, Hàm Yên, "
        "Chiêm Hóa, Đồng Hỷ, Phú Lương, Đại Từ, Cao Lộc, Văn Lãng, Bảo Lạc, Trùng Khánh, "
        "Đồng Văn, Mèo Vạc, Lâm Thao, Thanh Sơn, Mai Châu, Lạc Sơn, Tủa Chùa, Mường Nhé, "
        "Pác Nặm, Ba Bể, Na Rì, Bảo Yên, Văn Yên, Yên Sơn"
    ),
    "C": _words_list(
        "Quỳnh Lưu, Diễn Châu, Yên Thành, Nghi Lộc, Đô Lương, Thanh Chương, Nam Đàn, "
        "Hoằng Hóa, Quảng Xương, Tĩnh Gia, Thọ Xuân, Triệu Sơn, Nông Cống, Hậu Lộc, Điện Bàn, "
        "Duy Xuyên, Thăng Bình, Núi Thành, Đại Lộc, Hòa Vang, Tuy Phước, An Nhơn, Phù Cát, "
        "Phù Mỹ, Hoài Nhơn, Ninh Hòa, Cam Lâm, Diên Khánh, Can Lộc, Hương Khê, Kỳ Anh, "
        "Bố Trạch, Quảng Trạch, Lệ Thủy, Gio Linh, Hải Lăng, Phong Điền, Phú Vang, Sơn Tịnh, "
        "Bình Sơn, Mộ Đức, Tuy An, Sông Cầu, Ninh Phước, Tuy Phong, Hàm Thuận Bắc, Đức Linh"
    ),
    "T": _words_list(
        "Krông Pắc, Ea H'leo, Cư M'gar, Krông Ana, Chư Sê, Chư Păh, Đức Trọng, Di Linh, "
        "Bảo Lộc, Đắk Hà, Ngọc Hồi, Đắk Tô, Ia Grai, Đak Đoa, Krông Búk, Buôn Đôn, Cư Jút, "
        "Đắk Mil, Lâm Hà, Đơn Dương, Bảo Lâm, Kbang, Mang Yang"
    ),
    "S": _words_list(
        "Châu Thành, Long Hồ, Gò Dầu, Trảng Bàng, Tân Biên, Tân Châu, Hòa Thành, "
        "Dương Minh Châu, Bến Cầu, Cai Lậy, Cái Bè, Chợ Gạo, Gò Công, Mỏ Cày, Ba Tri, "
        "Giồng Trôm, Cầu Ngang, Trà Cú, Tiểu Cần, Vũng Liêm, Trà Ôn, Mang Thít, Cao Lãnh, "
        "Lấp Vò, Tháp Mười, Hồng Ngự, Chợ Mới, Phú Tân, Thoại Sơn, Tri Tôn, Tịnh Biên, Hòn Đất, "
        "Gò Quao, U Minh, Thới Bình, Đầm Dơi, Năm Căn, Hồng Dân, Phước Long, Đức Hòa, Bến Lức, "
        "Cần Giuộc, Cần Đước, Thủ Thừa, Củ Chi, Hóc Môn, Bình Chánh, Nhà Bè, Cần Giờ, Thủ Đức, "
        "Gò Vấp, Tân Bình, Tân Phú, Bình Thạnh, Phú Nhuận, Bình Tân, Thống Nhất, Trảng Bom, "
        "Long Thành, Nhơn Trạch, Xuân Lộc, Định Quán"
    ),
}
# Schools are often named after historical figures.
SCHOOL_NAMES = [
    "Nguyễn Du", "Lê Quý Đôn", "Trần Phú", "Lê Hồng Phong", "Nguyễn Trãi", "Phan Bội Châu",
    "Trần Hưng Đạo", "Quang Trung", "Nguyễn Huệ", "Chu Văn An", "Lý Thường Kiệt", "Hùng Vương",
    "Nguyễn Thị Minh Khai", "Võ Thị Sáu", "Lê Lợi", "Ngô Quyền", "Nguyễn Khuyến", "Phan Châu Trinh",
    "Huỳnh Thúc Kháng", "Trần Quốc Tuấn", "Nguyễn Đình Chiểu", "Lương Thế Vinh", "Trần Đại Nghĩa",
    "Nguyễn Văn Cừ", "Lý Tự Trọng", "Tôn Đức Thắng", "Nguyễn Bỉnh Khiêm", "Phan Đình Phùng",
    "Hoàng Hoa Thám", "Lê Thánh Tông", "Trưng Vương", "Bùi Thị Xuân", "Nguyễn Chí Thanh",
    "Võ Nguyên Giáp", "Nguyễn Hữu Cảnh", "Trần Văn Ơn", "Nguyễn Thái Học", "Phạm Ngũ Lão",
    "Yersin", "Nguyễn Tất Thành", "Kim Đồng", "Hàn Thuyên", "Chu Văn Thịnh", "Mạc Đĩnh Chi",
]
UNIVERSITY_FIELDS = [
    "Kinh tế", "Sư phạm", "Y Dược", "Nông Lâm", "Kỹ thuật Công nghiệp", "Công nghệ Thông tin",
    "Xây dựng", "Thủy lợi", "Giao thông Vận tải", "Văn hóa", "Luật", "Tài chính – Marketing",
]
MAJORS = [
    "Kế toán", "Quản trị kinh doanh", "Công nghệ thông tin", "Sư phạm Toán", "Sư phạm Ngữ văn",
    "Điều dưỡng", "Dược", "Luật", "Kỹ thuật điện", "Cơ khí", "Xây dựng", "Nông học",
    "Thú y", "Ngôn ngữ Anh", "Du lịch", "Tài chính – Ngân hàng", "Marketing", "Công nghệ thực phẩm",
]
INDUSTRIES = [
    "May", "Giày da", "Điện tử", "Cơ khí", "Chế biến Thủy sản", "Thực phẩm", "Chế biến Gỗ",
    "Bao bì", "Xi măng", "Dệt", "Nhựa", "Cao su", "Xây dựng", "Vận tải", "Dược phẩm", "Thép",
    "Nông sản", "Phân bón", "Điện lực", "Cấp nước", "Môi trường Đô thị", "Bia – Nước giải khát",
]
COMPANY_FORMS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Tổng Công ty"]
WORKSHOPS = [
    "Cắt", "Hoàn thiện", "Đóng gói", "Cơ điện", "Lắp ráp", "Kho vận", "Chế biến", "Đúc",
    "Sơn", "Kiểm phẩm", "Bảo trì", "Nguyên liệu",
]
OFFICES = [
    "Phòng Kỹ thuật", "Phòng Kinh doanh", "Phòng Hành chính – Nhân sự", "Phòng Kế toán",
    "Khối văn phòng", "Phòng Kế hoạch", "Phòng Quản lý chất lượng",
]
REGIONAL_BODIES = ["Bệnh viện Đa khoa", "Trung tâm Y tế", "Chi cục Thuế", "Chi cục Hải quan",
                   "Ban Quản lý rừng phòng hộ", "Kho bạc Nhà nước", "Trường Cao đẳng nghề"]
DISTRICT_AGENCIES = [
    "cơ quan Ủy ban nhân dân", "cơ quan Khối Đảng – Đoàn thể", "Trung tâm Y tế",
    "Chi cục Thuế", "Kho bạc Nhà nước", "Ngân hàng Chính sách xã hội", "Bảo hiểm xã hội",
    "Viện Kiểm sát nhân dân", "Tòa án nhân dân", "Chi cục Thi hành án dân sự",
    "Trung tâm Văn hóa – Thể thao", "Phòng Giáo dục và Đào tạo", "Bưu điện",
    "Phòng Tài chính – Kế hoạch", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Văn hóa – Thông tin",
    "Phòng Nông nghiệp và Môi trường", "Trung tâm Dịch vụ nông nghiệp", "Hạt Kiểm lâm",
    "Ban Quản lý dự án đầu tư xây dựng", "Chi nhánh Văn phòng Đăng ký đất đai",
    "Đội Quản lý thị trường",
]
PROVINCE_AGENCIES = [
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp",
    "Sở Công Thương", "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài nguyên và Môi trường", "Sở Giao thông vận tải",
    "Sở Lao động – Thương binh và Xã hội", "Văn phòng Ủy ban nhân dân", "Văn phòng Tỉnh ủy",
    "Ban Quản lý các Khu công nghiệp", "Đài Phát thanh và Truyền hình", "Báo", "Thanh tra",
    "Kho bạc Nhà nước", "Cục Thuế", "Cục Hải quan", "Bảo hiểm xã hội", "Trường Chính trị",
    "Bệnh viện Đa khoa", "Bệnh viện Sản – Nhi", "Bệnh viện Y học cổ truyền", "Bệnh viện Phổi",
    "Trung tâm Kiểm soát bệnh tật", "Viện Kiểm sát nhân dân", "Tòa án nhân dân",
]
AGENCY_BRANCHES = [
    "Văn phòng", "Phòng Tổ chức – Cán bộ", "Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ",
    "Phòng Thanh tra", "Phòng Tổng hợp", "Khoa Nội", "Khoa Ngoại", "Khoa Nhi", "Khoa Cấp cứu",
    "Khoa Xét nghiệm", "Phòng Điều dưỡng", "Trung tâm Dịch vụ",
]
POLICE_UNITS = [
    "Phòng Cảnh sát giao thông", "Phòng Cảnh sát cơ động", "Phòng Cảnh sát hình sự",
    "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Phòng An ninh kinh tế",
    "Phòng Tham mưu", "Phòng Hậu cần", "Trại tạm giam",
]
POLICE_TEAMS = [
    "Đội Tham mưu", "Đội Cảnh sát giao thông", "Đội Cảnh sát hình sự", "Đội Cảnh sát kinh tế",
    "Đội An ninh", "Đội Cảnh sát quản lý hành chính", "Đội Cảnh sát phòng cháy, chữa cháy",
    "Đội Hậu cần", "Trạm Cảnh sát giao thông",
]
ARMY_UNITS = ["Trung đoàn", "Tiểu đoàn", "Ban Chỉ huy Quân sự"]
CENTRAL_POLICE = [
    "Cục Cảnh sát giao thông", "Cục Cảnh sát hình sự", "Bộ Tư lệnh Cảnh sát cơ động",
    "Học viện An ninh nhân dân", "Học viện Cảnh sát nhân dân",
    "Trường Đại học Cảnh sát nhân dân", "Trường Đại học An ninh nhân dân",
    "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", "Văn phòng Bộ Công an",
    "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Bệnh viện 19-8",
    "Cục Cảnh sát quản lý hành chính về trật tự xã hội", "Cục Hậu cần",
]
CENTRAL_BODIES = ["Cục", "Vụ", "Viện", "Trung tâm"]
CENTRAL_FIELDS = _words_list(
    "Kế hoạch – Tài chính, Tổ chức cán bộ, Pháp chế, Hợp tác quốc tế, Khoa học và Công nghệ, "
    "Thông tin và Truyền thông, Quản lý chất lượng, Thống kê, Đào tạo, Chiến lược và Chính sách, "
    "Dữ liệu, Thi đua – Khen thưởng, Chuyển đổi số, Kiểm định, Môi trường, Quy hoạch"
)
CENTRAL_AGENCIES = [
    "Văn phòng Bộ", "Vụ Tổ chức cán bộ", "Vụ Kế hoạch – Tài chính", "Vụ Pháp chế",
    "Cục Quản lý Khám, chữa bệnh", "Cục Quản lý Dược", "Bệnh viện Bạch Mai", "Bệnh viện Chợ Rẫy",
    "Bệnh viện Trung ương Huế", "Bệnh viện K", "Bệnh viện Nhi Trung ương", "Tổng cục Thống kê",
    "Tổng cục Hải quan", "Cục Thuế", "Kho bạc Nhà nước", "Viện Chiến lược và Chính sách",
    "Trung tâm Thông tin", "Trường Đại học Y Hà Nội", "Trường Đại học Kinh tế Quốc dân",
    "Trường Đại học Sư phạm Hà Nội", "Học viện Tài chính", "Học viện Ngoại giao",
    "Nhà xuất bản Giáo dục Việt Nam", "Cục Xuất nhập khẩu", "Cục Đường bộ Việt Nam",
]
# Đoàn trực thuộc Trung ương Đoàn, with their sector and level-2 đoàn trực thuộc.
TW_UNITS: list[tuple[str, str, list[str]]] = [
    ("Đoàn Khối các cơ quan Trung ương", "co_quan", [
        "Đoàn Thanh niên Bộ Y tế", "Đoàn Thanh niên Bộ Tài chính",
        "Đoàn Thanh niên Bộ Giáo dục và Đào tạo", "Đoàn Thanh niên Bộ Công Thương",
        "Đoàn Thanh niên Bộ Tư pháp", "Đoàn Thanh niên Bộ Ngoại giao",
        "Đoàn Thanh niên Bộ Nông nghiệp và Môi trường", "Đoàn Thanh niên Bộ Xây dựng",
        "Đoàn Thanh niên Văn phòng Chính phủ", "Đoàn Thanh niên Ngân hàng Nhà nước Việt Nam",
    ]),
    ("Đoàn Khối Doanh nghiệp Trung ương", "cong_nhan", [
        "Đoàn Thanh niên Tập đoàn Bưu chính Viễn thông Việt Nam",
        "Đoàn Thanh niên Tập đoàn Than – Khoáng sản Việt Nam",
        "Đoàn Thanh niên Tập đoàn Hóa chất Việt Nam",
        "Đoàn Thanh niên Tổng công ty Đường sắt Việt Nam",
        "Đoàn Thanh niên Tập đoàn Công nghiệp Cao su Việt Nam",
        "Đoàn Thanh niên Ngân hàng TMCP Ngoại thương Việt Nam",
    ]),
    ("Đoàn Thanh niên Bộ Công an", "luc_luong_vu_trang", []),
    ("Đoàn Thanh niên Tập đoàn Điện lực Việt Nam", "cong_nhan", []),
    ("Đoàn Thanh niên Tập đoàn Dầu khí Quốc gia Việt Nam", "cong_nhan", []),
    ("Đoàn Thanh niên Tổng công ty Hàng không Việt Nam", "cong_nhan", []),
]

# Departments of agencies: (name, short name, category). "{area}": "tỉnh Tây Ninh" and the like.
ROOT_DEPARTMENTS = [
    ("Văn phòng", "VP", "van_phong"), ("Ban Tổ chức", "BTC", "ban"),
    ("Ủy ban Kiểm tra", "UBKT", "kiem_tra"), ("Ban Tuyên giáo", "BTG", "ban"),
    ("Ban Thanh niên Công nhân và Đô thị", "BCNĐT", "ban"),
    ("Ban Thanh niên Nông thôn", "BNT", "ban"), ("Ban Thanh niên Trường học", "BTH", "ban"),
    ("Ban Công tác Thiếu nhi", "BTN", "ban"), ("Ban Quốc tế", "BQT", "ban"),
    ("Báo Tiền Phong", "BTP", "su_nghiep"), ("Báo Thanh Niên", "BTNi", "su_nghiep"),
    ("Nhà xuất bản Thanh Niên", "NXBTN", "su_nghiep"),
    ("Trung tâm Tình nguyện Quốc gia", "TTTN", "su_nghiep"),
]
PROVINCE_DEPARTMENTS = [
    ("Văn phòng", "VP", "van_phong"), ("Ban Tổ chức – Kiểm tra", "TCKT", "ban"),
    ("Ban Tuyên giáo", "TG", "ban"), ("Ban Phong trào", "PT", "ban"),
    ("Ban Thanh niên Trường học", "TNTH", "ban"), ("Ủy ban Kiểm tra", "UBKT", "kiem_tra"),
    ("Nhà Thiếu nhi {area}", "NTN", "su_nghiep"),
]
DISTRICT_DEPARTMENTS = [
    ("Văn phòng", "VP", "van_phong"), ("Ban Tổ chức – Kiểm tra", "TCKT", "ban"),
    ("Ban Phong trào", "PT", "ban"),
]
# Agency levels: departments, number of deputies, titles, months of the 2022 congress.
AGENCY_LEVELS: dict[str, tuple[list[tuple[str, str, str]], tuple[int, int], str, str,
                               tuple[int, int]]] = {
    "root": (ROOT_DEPARTMENTS, (4, 4), "Bí thư thứ nhất", "Bí thư", (12, 12)),
    "tinh": (PROVINCE_DEPARTMENTS, (2, 3), "Bí thư", "Phó Bí thư", (7, 10)),
    "huyen": (DISTRICT_DEPARTMENTS, (1, 2), "Bí thư", "Phó Bí thư", (4, 6)),
    "tw": (DISTRICT_DEPARTMENTS, (2, 3), "Bí thư", "Phó Bí thư", (5, 8)),
    "ttt": (DISTRICT_DEPARTMENTS, (1, 2), "Bí thư", "Phó Bí thư", (5, 8)),
}
HEAD_TITLES = {
    "van_phong": "Chánh Văn phòng", "ban": "Trưởng ban", "kiem_tra": "Chủ nhiệm Ủy ban Kiểm tra",
    "su_nghiep": "Giám đốc",
}

FAMILY_NAMES = [  # (họ, weight in ‰ roughly as in the population)
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21),
    ("Phan", 45), ("Vũ", 22), ("Võ", 17), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đào", 4), ("Đoàn", 4), ("Trịnh", 4), ("Trương", 4),
    ("Lâm", 3), ("Phùng", 2), ("Mai", 3), ("Tô", 2), ("Hà", 3), ("Tạ", 2), ("Lương", 3),
    ("Cao", 3), ("Châu", 2), ("Quách", 1), ("Kiều", 1), ("Thái", 2), ("La", 1), ("Lưu", 2),
    ("Triệu", 1), ("Chu", 2), ("Đinh", 4), ("Hứa", 1), ("Khúc", 1), ("Văn", 1), ("Tống", 1),
]
MOUNTAIN_FAMILY_NAMES = ["Lò", "Lường", "Quàng", "Cầm", "Hà", "Sầm", "Vi", "Nông", "Giàng",
                         "Sùng", "Vàng", "Mùa", "Thào", "Hoàng", "Lục", "Triệu"]
KHMER_FAMILY_NAMES = ["Thạch", "Danh", "Sơn", "Kim", "Lâm", "Châu", "Lý"]
MALE_MIDDLE = _words(
    "Văn Hữu Đức Minh Quốc Thành Công Quang Xuân Ngọc Anh Tuấn Hoàng Gia Thanh Trọng Duy Đình "
    "Mạnh Tiến Việt Hải Bảo Nhật Trung Phúc Huy Khánh Tấn"
)
FEMALE_MIDDLE = _words(
    "Thị Ngọc Thu Thanh Minh Kim Phương Hồng Thùy Thảo Mai Bích Diệu Khánh Hoài Quỳnh Bảo Như "
    "Tuyết Hải Mỹ Lan Cẩm Ánh Yến"
)
MALE_GIVEN = _words(
    "Anh Bảo Bình Cường Dũng Dương Đạt Đức Hải Hào Hiếu Hoàng Hùng Huy Khang Khánh Khoa Kiên "
    "Long Lâm Lộc Minh Nam Nghĩa Nhân Phát Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Thiện "
    "Thịnh Tiến Toàn Trí Trung Tuấn Tùng Việt Vinh Vũ Hưng Hậu Tín Thông Nhật Duy Hiển Luân Sang"
)
FEMALE_GIVEN = _words(
    "Anh Chi Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hồng Huyền Hương Lan Linh Loan Ly Mai My "
    "Nga Ngân Ngọc Nhung Nhi Oanh Phương Quyên Quỳnh Tâm Thảo Thơ Thủy Trang Trâm Tú Uyên Vân "
    "Vy Xuân Yến Diễm Hậu Thư Tiên Trinh Hân Thắm"
)
PHONE_PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "33", "34",
                  "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83",
                  "84", "85", "56", "58", "59"]
KHMER_PROVINCES = {"Sóc Trăng", "Trà Vinh", "Kiên Giang", "An Giang", "Bạc Liêu"}

RURAL_HAMLET = {"N": ["thôn", "xóm"], "M": ["bản", "thôn"], "C": ["thôn"],
                "T": ["thôn", "buôn", "làng"], "S": ["ấp"]}
URBAN_HAMLET = {"N": ["tổ dân phố"], "M": ["tổ dân phố"], "C": ["tổ dân phố", "khu phố"],
                "T": ["tổ dân phố"], "S": ["khu phố"]}
# fmt: on


class NameMaker:
    """Vietnamese personal names: họ + đệm (+ đệm) + tên, by gender and region."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._families = [f for f, _ in FAMILY_NAMES]
        self._family_cum = list(itertools.accumulate(w for _, w in FAMILY_NAMES))

    def family(self, region: str = "", province: str = "") -> str:
        r = self.rng
        if region == "M" and r.random() < 0.3:
            return r.choice(MOUNTAIN_FAMILY_NAMES)
        if province in KHMER_PROVINCES and r.random() < 0.15:
            return r.choice(KHMER_FAMILY_NAMES)
        return r.choices(self._families, cum_weights=self._family_cum)[0]

    def person(self, *, born: tuple[int, int], region: str = "", province: str = "") -> PersonRow:
        r = self.rng
        gender = "nam" if r.random() < 0.52 else "nu"
        if gender == "nam":
            middle, given = r.choice(MALE_MIDDLE), r.choice(MALE_GIVEN)
            if r.random() < 0.12:
                middle += " " + r.choice(MALE_MIDDLE[1:])
        else:
            middle, given = r.choice(FEMALE_MIDDLE), r.choice(FEMALE_GIVEN)
            if middle == "Thị" and r.random() < 0.25:
                middle += " " + r.choice(FEMALE_MIDDLE[1:])
        if middle.endswith(given):
            given = r.choice(MALE_GIVEN if gender == "nam" else FEMALE_GIVEN)
        full_name = f"{self.family(region, province)} {middle} {given}"
        birth = dt.date(r.randint(*born), r.randint(1, 12), r.randint(1, 28))
        phone = "0" + r.choice(PHONE_PREFIXES) + f"{r.randrange(10_000_000):07d}"
        return PersonRow(full_name, gender, birth, phone)


# ==============================================================================================
# The pure generator
# ==============================================================================================


@dataclass
class _Container:
    """An upper unit that receives grassroots units, with what it takes to name them."""

    unit: int
    budget: int
    mix: list[str]  # grassroots types, drawn with `mix_cum`
    mix_cum: list[float]
    region: str
    province: str  # the province's place name ("Tây Ninh")
    area: str  # "huyện Châu Thành", "tỉnh Tây Ninh", … for names like "Công an huyện Châu Thành"
    urban: float  # share of wards among communes
    sector: str = ""
    used: set[str] = field(default_factory=set)


def _mix(**weights: float) -> tuple[list[str], list[float]]:
    names = list(weights)
    return names, list(itertools.accumulate(weights[n] for n in names))


MIX_DISTRICT = _mix(commune=55, school=20, enterprise=15, agency=7, armed=3)
MIX_PROVINCE_FLAT = _mix(commune=56, school=18, enterprise=11, agency=10, armed=5)
MIX_PROVINCE_DIRECT = _mix(college=45, province_agency=35, enterprise=20)
# Đoàn trực thuộc receive one kind of grassroots each.
MIX_TW = {
    "co_quan": _mix(central_agency=1),
    "cong_nhan": _mix(enterprise=1),
    "luc_luong_vu_trang": _mix(police=1),
}


class _Builder:
    def __init__(self, *, units: int, seed: int, create_root: bool, root_founded: dt.date) -> None:
        self.target = max(1, units)
        self.rng = random.Random(seed)
        self.plan = NationPlan(seed=seed)
        self.names = NameMaker(self.rng)
        self.create_root = create_root
        self.root_founded = root_founded
        self._cap = FOUNDED_CAP.toordinal()
        # For the cadres stage: (unit index, level, region, province place, area wording).
        self.agency_units: list[tuple[int, str, str, str, str]] = []
        self.grassroots_units: list[tuple[int, bool, str, str]] = []

    # -- helpers ----------------------------------------------------------------------------------
    def _founded(self, parent: int | None, lo: dt.date, hi: dt.date) -> dt.date:
        floor = self._founded_of(parent)
        d = self.rng.randint(lo.toordinal(), hi.toordinal())
        return dt.date.fromordinal(max(floor.toordinal(), min(d, self._cap)))

    def _founded_after_parent(self, parent: int, years: int) -> dt.date:
        floor = self._founded_of(parent).toordinal()
        d = min(floor + self.rng.randint(0, 365 * years), self._cap)
        return dt.date.fromordinal(max(d, floor))

    def _founded_of(self, parent: int | None) -> dt.date:
        if parent is None:
            return dt.date.min
        if parent == EXISTING_ROOT:
            return self.root_founded
        return self.plan.units[parent].founded_on

    def unit(
        self,
        parent: int | None,
        name: str,
        kind: str,
        sector: str,
        founded: dt.date,
        place: str = "",
        short_name: str = "",
    ) -> int:
        self.plan.units.append(UnitRow(parent, name, kind, sector, founded, place, short_name))
        return len(self.plan.units) - 1

    def place_name(self) -> str:
        return f"{self.rng.choice(PLACE_FIRST)} {self.rng.choice(PLACE_SECOND)}"

    def unique(self, used: set[str], make: Callable[[], str]) -> str:
        """A name not yet used in `used` (a container's children), numbered after a few tries."""
        name = make()
        for _ in range(6):
            if name not in used:
                break
            name = make()
        base, n = name, 2
        while name in used:
            name, n = f"{base} {n}", n + 1
        used.add(name)
        return name

    def split(self, total: int, weights: Sequence[float]) -> list[int]:
        """Split `total` into integer parts proportional to `weights`, summing exactly."""
        if not weights:
            return []
        s = sum(weights) or 1.0
        parts = [int(total * w / s) for w in weights]
        rest = total - sum(parts)
        order = sorted(range(len(weights)), key=lambda i: -weights[i])
        for i in range(rest):
            parts[order[i % len(order)]] += 1
        return parts

    # -- the tree ---------------------------------------------------------------------------------
    def build(self) -> NationPlan:
        r = self.rng
        remaining = self.target
        if self.create_root:
            top: int = self.unit(
                None,
                "Trung ương Đoàn",
                "trung_uong",
                "tong_hop",
                ROOT_FOUNDED,
                place="Hà Nội",
                short_name="TWĐ",
            )
            self.agency_units.append((top, "root", "N", "Hà Nội", "Trung ương"))
            remaining -= 1
        else:
            top = EXISTING_ROOT
        if remaining <= 0:
            return self.plan

        n_prov = max(1, min(len(PROVINCES), self.target // 300))
        provinces = (
            PROVINCES
            if n_prov == len(PROVINCES)
            else [PROVINCES[i] for i in sorted(r.sample(range(len(PROVINCES)), n_prov))]
        )
        n_tw = 6 if self.target >= 20_000 else 2 if self.target >= 1_500 else 0
        tw_budget = int(remaining * 0.04) if n_tw else 0
        weights = [pop * r.uniform(0.85, 1.15) for _, _, pop, _ in provinces]
        budgets = self.split(remaining - tw_budget, weights)
        tw_budgets = self.split(tw_budget, [r.uniform(0.6, 1.4) for _ in range(n_tw)])

        for (name, sector, level2), budget in zip(TW_UNITS[:n_tw], tw_budgets, strict=True):
            self.tw_unit(top, name, sector, level2, budget)
        for prov, budget in zip(provinces, budgets, strict=True):
            self.province(top, prov, budget)
        self.cadres()
        return self.plan

    def tw_unit(self, top: int, name: str, sector: str, level2: list[str], budget: int) -> None:
        r = self.rng
        idx = self.unit(
            top,
            name,
            "truc_thuoc_tw",
            sector,
            self._founded(top, dt.date(1990, 1, 1), dt.date(2000, 12, 31)),
            "Hà Nội",
        )
        self.agency_units.append((idx, "tw", "N", "Hà Nội", "Trung ương"))
        rest = budget - 1
        n2 = min(len(level2), max(0, rest // 400))
        subs = [idx]
        for sub_name in level2[:n2]:
            sub = self.unit(
                idx,
                sub_name,
                "truc_thuoc_tinh",
                sector,
                self._founded_after_parent(idx, 5),
                "Hà Nội",
            )
            self.agency_units.append((sub, "ttt", "N", "Hà Nội", "Trung ương"))
            subs.append(sub)
        rest -= n2
        mix, cum = MIX_TW[sector]
        for unit, part in zip(
            subs, self.split(max(0, rest), [r.uniform(0.5, 1.5) for _ in subs]), strict=True
        ):
            self.fill(_Container(unit, part, mix, cum, "N", "Hà Nội", "Trung ương", 0.8, sector))

    def province(self, top: int, prov: tuple[str, str, float, bool], budget: int) -> None:
        r = self.rng
        place, region, _pop, is_city = prov
        word = "thành phố" if is_city else "tỉnh"
        area = place if place.startswith("Thành phố") else f"{word} {place}"
        name = f"Thành đoàn {place}" if is_city else f"Tỉnh đoàn {place}"
        idx = self.unit(
            top,
            name,
            "tinh",
            "tong_hop",
            self._founded(top, dt.date(1990, 1, 1), dt.date(1997, 12, 31)),
            place,
        )
        self.agency_units.append((idx, "tinh", region, place, area))
        rest = budget - 1
        # Some provinces are shown after the 1/7/2025 reform: communes directly under them.
        has_districts = rest >= 40 and r.random() < 0.65
        n_ttt = (
            r.randint(4, 5)
            if rest >= 2500
            else r.randint(2, 3)
            if rest >= 600
            else 1
            if rest >= 150
            else 0
        )
        # Eight to fourteen districts (more in the big cities), none under ~60 units.
        want = r.randint(18, 30) if rest > 8000 else r.randint(8, 14)
        n_d = max(1, min(want, round(rest * 0.8 / 60))) if has_districts else 0
        rest = max(0, rest - n_ttt - n_d)

        containers: list[_Container] = []
        ttt_specs = [
            (f"Đoàn Khối các cơ quan {word}", "co_quan", "province_agency"),
            (f"Đoàn Khối Doanh nghiệp {word}", "cong_nhan", "enterprise"),
            (f"Đoàn Thanh niên Công an {area}", "luc_luong_vu_trang", "police"),
            (f"Đoàn Thanh niên Bộ Chỉ huy Quân sự {area}", "luc_luong_vu_trang", "army"),
            (f"Đoàn Thanh niên Bộ đội Biên phòng {area}", "luc_luong_vu_trang", "border"),
        ]
        for ttt_name, sector, grassroots_kind in ttt_specs[:n_ttt]:
            u = self.unit(
                idx, ttt_name, "truc_thuoc_tinh", sector, self._founded_after_parent(idx, 6), place
            )
            self.agency_units.append((u, "ttt", region, place, area))
            mix, cum = _mix(**{grassroots_kind: 1})
            containers.append(_Container(u, 0, mix, cum, region, place, area, 0.5, sector))
        ttt_share = 0.12 if n_ttt else 0.0

        pool = DISTRICT_NAMES[region]
        district_names = r.sample(pool, min(n_d, len(pool)))
        used_d: set[str] = set()
        districts: list[_Container] = []
        for i in range(n_d):
            base = district_names[i] if i < len(district_names) else self.place_name()
            if is_city and r.random() < 0.5:
                prefix, d_area, urban = "Quận đoàn", f"quận {base}", 0.95
            elif i == 0 and not is_city:
                base = CAPITALS.get(place, place)
                prefix, d_area, urban = "Thành đoàn", f"thành phố {base}", 0.75
            elif r.random() < 0.12:
                prefix, d_area, urban = "Thị đoàn", f"thị xã {base}", 0.6
            else:
                prefix, d_area, urban = "Huyện đoàn", f"huyện {base}", 0.07
            d_name = self.unique(used_d, lambda p=prefix, b=base: f"{p} {b}")  # type: ignore[misc]
            u = self.unit(
                idx, d_name, "huyen", "tong_hop", self._founded_after_parent(idx, 4), base
            )
            self.agency_units.append((u, "huyen", region, place, d_area))
            mix, cum = MIX_DISTRICT
            districts.append(_Container(u, 0, mix, cum, region, place, d_area, urban))

        if has_districts:
            mix, cum = MIX_PROVINCE_DIRECT
            direct = _Container(idx, 0, mix, cum, region, place, area, 0.5)
            shares = [0.80, ttt_share, 1 - 0.80 - ttt_share]
        else:
            mix, cum = MIX_PROVINCE_FLAT
            direct = _Container(idx, 0, mix, cum, region, place, area, 0.6 if is_city else 0.2)
            shares = [0.0, ttt_share, 1 - ttt_share]
        to_districts, to_ttt, to_direct = self.split(rest, shares)
        for c, part in zip(
            districts,
            self.split(to_districts, [r.uniform(0.5, 1.5) for _ in districts]),
            strict=True,
        ):
            c.budget = part
        for c, part in zip(
            containers, self.split(to_ttt, [r.uniform(0.6, 1.4) for _ in containers]), strict=True
        ):
            c.budget = part
        direct.budget = to_direct
        for c in [direct, *containers, *districts]:
            self.fill(c)

    # -- grassroots -------------------------------------------------------------------------------
    def fill(self, c: _Container) -> None:
        used = 0
        while used < c.budget:
            kind = self.rng.choices(c.mix, cum_weights=c.mix_cum)[0]
            used += getattr(self, f"gr_{kind}")(c, c.budget - used)

    def grassroots(
        self,
        c: _Container,
        *,
        cap: int,
        name: str,
        kind: str,
        sector: str,
        branches: list[str],
        place: str = "",
        phan_chance: float = 0.015,
        lo: int = 1995,
        hi: int = 2015,
    ) -> int:
        """Emit one grassroots unit and its branches (and a few phân đoàn), at most `cap` units."""
        r = self.rng
        place = place or c.province
        founded = self._founded(c.unit, dt.date(lo, 1, 1), dt.date(hi, 12, 31))
        g = self.unit(c.unit, name, kind, sector, founded, place)
        used = 1
        if kind == "co_so":
            self.grassroots_units.append((g, sector.startswith("dan_cu"), c.region, c.province))
        else:  # chi đoàn cơ sở: no chi đoàn below, sometimes phân đoàn
            n = r.randint(2, 4) if r.random() < 0.3 else 0
            for i in range(1, min(n, cap - used) + 1):
                self.unit(
                    g,
                    f"Phân đoàn {i}",
                    "phan_doan",
                    sector,
                    self._founded_after_parent(g, 3),
                    place,
                )
                used += 1
            return used
        for b_name in branches:
            if used >= cap:
                break
            b = self.unit(g, b_name, "chi_doan", sector, self._founded_after_parent(g, 5), place)
            used += 1
            if r.random() < phan_chance:
                for i in range(1, min(r.randint(2, 4), cap - used) + 1):
                    self.unit(
                        b,
                        f"Phân đoàn {i}",
                        "phan_doan",
                        sector,
                        self._founded_after_parent(b, 3),
                        place,
                    )
                    used += 1
        return used

    def gr_commune(self, c: _Container, cap: int) -> int:
        r = self.rng
        place = self.place_name()
        if r.random() < c.urban:
            if c.urban > 0.9 and r.random() < 0.2:
                place = str(r.randint(1, 20))  # numbered wards, as in the big cities
            label = f"phường {place}"
            words, sector, n = URBAN_HAMLET[c.region], "dan_cu_do_thi", r.randint(3, 12)
        elif r.random() < 0.08:
            label = f"thị trấn {place}"
            words, sector, n = URBAN_HAMLET[c.region], "dan_cu_do_thi", r.randint(4, 10)
        else:
            label = f"xã {place}"
            words, sector, n = RURAL_HAMLET[c.region], "dan_cu_nong_thon", r.randint(4, 14)
        name = self.unique(c.used, lambda: f"Đoàn {label}")
        word = r.choice(words)
        if sector == "dan_cu_do_thi" or r.random() < 0.4:
            branches = [f"Chi đoàn {word} {i}" for i in range(1, n + 1)]
        else:
            seen: set[str] = set()
            branches = [f"Chi đoàn {word} {self.unique(seen, self.place_name)}" for _ in range(n)]
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector=sector,
            branches=branches,
            place=place if not place.isdigit() else "",
        )

    def gr_school(self, c: _Container, cap: int) -> int:
        r = self.rng
        area = c.area.split(" ", 1)[-1] if c.area.startswith("huyện") else c.area
        centre = f"Đoàn Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {area}"
        if r.random() < 0.85 or centre in c.used:
            name = self.unique(
                c.used,
                lambda: (
                    "Đoàn trường THPT "
                    + (r.choice(SCHOOL_NAMES) if r.random() < 0.6 else self.place_name())
                ),
            )
            per_grade = r.randint(3, 10)
            branches = [
                f"Chi đoàn lớp {g}A{i}" for g in (10, 11, 12) for i in range(1, per_grade + 1)
            ]
            branches.append("Chi đoàn giáo viên")
        else:  # one continuing-education centre per district
            name = self.unique(c.used, lambda: centre)
            branches = [
                f"Chi đoàn lớp {g}A{i}" for g in (10, 11, 12) for i in range(1, r.randint(1, 3) + 1)
            ]
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="truong_hoc",
            branches=branches,
            phan_chance=0.0,
            lo=1998,
        )

    def gr_college(self, c: _Container, cap: int) -> int:
        r = self.rng
        roll = r.random()
        if roll < 0.35:
            name = self.unique(
                c.used, lambda: f"Đoàn trường Đại học {r.choice(UNIVERSITY_FIELDS)} {c.province}"
            )
            n, course = r.randint(20, 60), r.randint(44, 49)
        elif roll < 0.75:
            name = self.unique(
                c.used, lambda: f"Đoàn trường Cao đẳng {r.choice(UNIVERSITY_FIELDS)} {c.province}"
            )
            n, course = r.randint(10, 30), r.randint(45, 49)
        else:
            return self.gr_school(c, cap)
        branches = []
        seen: set[str] = set()
        for _ in range(n):
            branches.append(
                self.unique(
                    seen,
                    lambda k=course: (  # type: ignore[misc]
                        f"Chi đoàn lớp {r.choice(MAJORS)} K{k + r.randint(0, 3)}{r.choice('ABCD')}"
                    ),
                )
            )
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="truong_hoc",
            branches=branches,
            phan_chance=0.0,
            lo=2000,
        )

    def _company(self) -> tuple[str, str]:
        r = self.rng
        industry = r.choice(INDUSTRIES)
        return industry, f"{r.choice(COMPANY_FORMS)} {industry} {self.place_name()}"

    def gr_enterprise(self, c: _Container, cap: int) -> int:
        r = self.rng
        industry, company = self._company()
        if r.random() < 0.3:
            name = self.unique(c.used, lambda: f"Chi đoàn {self._company()[1]}")
            return self.grassroots(
                c,
                cap=cap,
                name=name,
                kind="chi_doan_co_so",
                sector="cong_nhan",
                branches=[],
                lo=2000,
                hi=2018,
            )
        name = self.unique(c.used, lambda: f"Đoàn Thanh niên {company}")
        n = r.randint(2, 10)
        seen: set[str] = set()
        branches = []
        for i in range(n):
            if i < n - 1 and r.random() < 0.75:
                ws = f"{industry} {r.randint(1, 9)}" if r.random() < 0.4 else r.choice(WORKSHOPS)
                branches.append(self.unique(seen, lambda w=ws: f"Chi đoàn phân xưởng {w}"))  # type: ignore[misc]
            else:
                branches.append(self.unique(seen, lambda: f"Chi đoàn {r.choice(OFFICES)}"))
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="cong_nhan",
            branches=branches,
            phan_chance=0.06,
            lo=2000,
            hi=2018,
        )

    def gr_agency(self, c: _Container, cap: int) -> int:
        """A district agency: a chi đoàn cơ sở such as "Chi đoàn Trung tâm Y tế huyện X"."""
        name = self.unique(
            c.used, lambda: f"Chi đoàn {self.rng.choice(DISTRICT_AGENCIES)} {c.area}"
        )
        return self.grassroots(
            c, cap=cap, name=name, kind="chi_doan_co_so", sector="co_quan", branches=[]
        )

    def gr_province_agency(self, c: _Container, cap: int) -> int:
        r = self.rng
        word = "thành phố" if c.area.startswith(("thành phố", "Thành phố")) else "tỉnh"
        if r.random() < 0.35:
            name = self.unique(c.used, lambda: f"Chi đoàn {r.choice(PROVINCE_AGENCIES)} {word}")
            return self.grassroots(
                c, cap=cap, name=name, kind="chi_doan_co_so", sector="co_quan", branches=[]
            )
        name = self.unique(
            c.used,
            lambda: (
                "Đoàn cơ sở "
                + (
                    f"{r.choice(PROVINCE_AGENCIES)} {word}"
                    if r.random() < 0.7
                    else f"{r.choice(REGIONAL_BODIES)} khu vực {self.place_name()}"
                )
            ),
        )
        n = r.randint(2, 10)
        seen: set[str] = set()
        branches = [
            self.unique(seen, lambda: f"Chi đoàn {r.choice(AGENCY_BRANCHES)}") for _ in range(n)
        ]
        return self.grassroots(
            c, cap=cap, name=name, kind="co_so", sector="co_quan", branches=branches
        )

    def gr_armed(self, c: _Container, cap: int) -> int:
        """Armed forces at district level: "Chi đoàn Công an huyện X", "Chi đoàn Ban CHQS …"."""
        r = self.rng
        name = self.unique(
            c.used,
            lambda: (
                f"Chi đoàn {r.choice(['Công an', 'Ban Chỉ huy Quân sự'])} {c.area}"
                if r.random() < 0.6
                else f"Chi đoàn {r.choice(['Đồn Công an', 'Trạm Cảnh sát giao thông'])} "
                f"{self.place_name()}"
            ),
        )
        return self.grassroots(
            c, cap=cap, name=name, kind="chi_doan_co_so", sector="luc_luong_vu_trang", branches=[]
        )

    def gr_central_agency(self, c: _Container, cap: int) -> int:
        r = self.rng
        name = self.unique(
            c.used,
            lambda: (
                "Đoàn cơ sở "
                + (
                    r.choice(CENTRAL_AGENCIES)
                    if r.random() < 0.4
                    else f"{r.choice(CENTRAL_BODIES)} {r.choice(CENTRAL_FIELDS)}"
                )
            ),
        )
        seen: set[str] = set()
        branches = [
            self.unique(seen, lambda: f"Chi đoàn {r.choice(AGENCY_BRANCHES)}")
            for _ in range(r.randint(2, 10))
        ]
        return self.grassroots(
            c, cap=cap, name=name, kind="co_so", sector="co_quan", branches=branches
        )

    def gr_police(self, c: _Container, cap: int) -> int:
        r = self.rng
        if c.area == "Trung ương":
            name = self.unique(
                c.used,
                lambda: (
                    "Đoàn cơ sở "
                    + (
                        r.choice(CENTRAL_POLICE)
                        if r.random() < 0.4
                        else f"{r.choice(['Trung đoàn', 'Tiểu đoàn'])} Cảnh sát cơ động "
                        f"số {r.randint(1, 40)}"
                    )
                ),
            )
        elif r.random() < 0.3:
            name = self.unique(c.used, lambda: f"Đoàn cơ sở {r.choice(POLICE_UNITS)}")
        else:
            level = r.choice(["huyện", "xã", "phường"])
            name = self.unique(c.used, lambda: f"Đoàn cơ sở Công an {level} {self.place_name()}")
        seen: set[str] = set()
        branches = [
            self.unique(seen, lambda: f"Chi đoàn {r.choice(POLICE_TEAMS)}")
            for _ in range(r.randint(2, 9))
        ]
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="luc_luong_vu_trang",
            branches=branches,
            phan_chance=0.0,
        )

    def gr_army(self, c: _Container, cap: int) -> int:
        r = self.rng
        unit = r.choice(ARMY_UNITS)
        if unit == "Ban Chỉ huy Quân sự":
            label = f"{unit} {r.choice(['huyện', 'thị xã', 'khu vực'])} {self.place_name()}"
        else:
            label = f"{unit} {r.randint(1, 999)}"
        name = self.unique(c.used, lambda: f"Đoàn cơ sở {label}")
        n = r.randint(3, 10)
        branches = [f"Chi đoàn Đại đội {i}" for i in range(1, n)] + ["Chi đoàn Cơ quan"]
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="luc_luong_vu_trang",
            branches=branches,
            phan_chance=0.05,
        )

    def gr_border(self, c: _Container, cap: int) -> int:
        r = self.rng
        post = self.place_name()
        name = self.unique(c.used, lambda: f"Đoàn cơ sở Đồn Biên phòng {post}")
        n = r.randint(2, 6)
        branches = [f"Chi đoàn Đội {i}" for i in range(1, n + 1)]
        branches.append(f"Chi đoàn Trạm Kiểm soát Biên phòng {post}")
        return self.grassroots(
            c,
            cap=cap,
            name=name,
            kind="co_so",
            sector="luc_luong_vu_trang",
            branches=branches,
            phan_chance=0.05,
        )

    # -- agencies and cadres ----------------------------------------------------------------------
    def person(self, level: str, region: str, province: str) -> int:
        born = {
            "root": (1982, 1990),
            "tinh": (1982, 1992),
            "tw": (1982, 1992),
            "huyen": (1985, 1996),
            "ttt": (1985, 1996),
        }.get(level, (1990, 2002))
        self.plan.people.append(self.names.person(born=born, region=region, province=province))
        return len(self.plan.people) - 1

    def cadres(self) -> None:
        """Departments, positions, a term with its standing committee, for agencies; a Bí thư
        and Phó Bí thư for each đoàn cơ sở. Units at branch level get nobody here."""
        r = self.rng
        plan = self.plan
        for idx, level, region, province, area in self.agency_units:
            specs, deputies_range, chief, deputy_title, months = AGENCY_LEVELS[level]
            deputies = r.randint(*deputies_range)
            founded = plan.units[idx].founded_on
            congress = dt.date(2022, r.randint(*months), r.randint(1, 28))
            start = max(congress, founded)
            heads: list[tuple[int, str]] = []
            for d_name, short, category in specs:
                plan.departments.append(
                    DepartmentRow(idx, d_name.format(area=area), short, category)
                )
                dep = len(plan.departments) - 1
                if category == "su_nghiep" and level != "tinh":
                    continue
                p = self.person(level, region, province)
                title = HEAD_TITLES[category]
                later = min(start.toordinal() + r.randint(0, 700), LATEST_START.toordinal())
                d_start = dt.date.fromordinal(max(founded.toordinal(), later))
                plan.positions.append(PositionRow(p, idx, dep, title, True, d_start))
                if category != "su_nghiep":
                    heads.append((p, "Ủy viên"))
            standing = [(self.person(level, region, province), chief)]
            standing += [
                (self.person(level, region, province), deputy_title) for _ in range(deputies)
            ]
            for p, title in standing:
                plan.positions.append(PositionRow(p, idx, None, title, True, start))
            if level in ("tinh", "huyen"):
                plan.terms.append(TermRow(idx, TERM_NAME, start))
                term = len(plan.terms) - 1
                for order, (p, title) in enumerate(standing, start=1):
                    plan.seats.append(SeatRow(term, "thuong_truc", p, title, order, start))
                for order, (p, title) in enumerate([*standing, *heads], start=1):
                    plan.seats.append(SeatRow(term, "btv", p, title, order, start))

        for idx, residential, region, province in self.grassroots_units:
            founded = plan.units[idx].founded_on
            congress = dt.date(2022, r.randint(1, 4), r.randint(1, 28))
            start = max(congress, founded)
            p = self.person("co_so", region, province)
            plan.positions.append(PositionRow(p, idx, None, "Bí thư", residential, start))
            for _ in range(r.randint(1, 2)):
                p = self.person("co_so", region, province)
                plan.positions.append(PositionRow(p, idx, None, "Phó Bí thư", False, start))


def build_nation(
    *, units: int, seed: int, create_root: bool = True, root_founded: dt.date | None = None
) -> NationPlan:
    """The plan of a nation of about `units` units; the same arguments give the same plan."""
    return _Builder(
        units=units, seed=seed, create_root=create_root, root_founded=root_founded or ROOT_FOUNDED
    ).build()


# ==============================================================================================
# Writing
# ==============================================================================================


def existing_root() -> Unit | None:
    return (
        Unit.objects.filter(parent__isnull=True, kind__code="trung_uong", dissolved_on__isnull=True)
        .order_by("pk")
        .first()
    )


_TABLES = (Unit, UnitVersion, Department, Person, Position, Term, CommitteeSeat)


def _next_id_after(model: type[models.Model]) -> int:
    """The highest id ever handed out for `model` (a deleted row's id is never reused)."""
    table = model._meta.db_table
    top = model._default_manager.aggregate(m=Max("pk"))["m"] or 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            seq = cur.fetchone()[0]
            if seq:
                cur.execute(f"SELECT last_value, is_called FROM {seq}")
                last, called = cur.fetchone()
                top = max(top, last if called else last - 1)
        elif connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
            if cur.fetchone():
                cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cur.fetchone()
                if row:
                    top = max(top, int(row[0]))
    return int(top)


def _reset_sequence(model: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    table = model._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), "
            f"MAX(id) IS NOT NULL) FROM {connection.ops.quote_name(table)}",
            [table],
        )


def _insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert plain tuples (values for `columns`, by attname) into `model`'s table, fast.

    Every other concrete field gets its default (auto_now fields: now), so a column added
    later with a default does not break the generator. COPY on PostgreSQL, INSERT batches
    elsewhere.
    """
    now = timezone.now()
    given = list(columns)
    extra_cols: list[str] = []
    extra_vals: list[object] = []
    for f in model._meta.concrete_fields:
        if f.attname in given or f.primary_key or f.db_default is not NOT_PROVIDED:
            continue  # (a database default fills its column by itself)
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            value: object = now
        else:
            value = f.get_default()
        extra_cols.append(f.column)
        extra_vals.append(f.get_db_prep_save(value, connection))
    col_names = [str(model._meta.get_field(a).column) for a in given]  # type: ignore[union-attr]
    qn = connection.ops.quote_name
    cols_sql = ", ".join(qn(c) for c in [*col_names, *extra_cols])
    table = qn(model._meta.db_table)
    tail = tuple(extra_vals)
    count = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.copy(f"COPY {table} ({cols_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * (len(col_names) + len(extra_cols)))
        sql = f"INSERT INTO {table} ({cols_sql}) VALUES ({placeholders})"
        batch: list[tuple] = []
        for row in rows:
            batch.append(row + tail)
            if len(batch) >= 5000:
                cur.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
    return count


@dataclass
class WriteResult:
    counts: dict[str, int]
    first_unit_id: int
    root_id: int


def write_nation(
    plan: NationPlan, *, root: Unit | None, log: Callable[[str], None] = lambda _msg: None
) -> WriteResult:
    """Insert `plan` in one transaction. `root`: the existing Trung ương Đoàn the plan hangs
    under (the plan then has no root of its own)."""
    kinds = dict(UnitKind.objects.values_list("code", "id"))
    missing = sorted({u.kind for u in plan.units} - set(kinds))
    if missing:
        raise ValueError(f"Thiếu loại đơn vị: {', '.join(missing)} (chưa chạy migrate?)")
    counts: dict[str, int] = {}
    t = time.perf_counter()

    def step(label: str, n: int) -> None:
        nonlocal t
        now = time.perf_counter()
        counts[label] = n
        log(f"  {label}: {n:,} dòng".replace(",", ".") + f" ({now - t:.1f} s)")
        t = now

    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _TABLES)
            with connection.cursor() as cur:  # nobody else takes ids while we pre-assign them
                cur.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        base = _next_id_after(Unit)
        n = len(plan.units)
        ids = range(base + 1, base + n + 1)
        paths: list[str] = [""] * n
        depths: list[int] = [0] * n
        parent_ids: list[int | None] = [None] * n
        folded_cache: dict[str, str] = {}
        for i, u in enumerate(plan.units):
            if u.parent is None:
                parent_path, parent_depth, pid = "", 0, None
            elif u.parent == EXISTING_ROOT:
                if root is None:
                    raise ValueError("Kế hoạch cần một Trung ương Đoàn có sẵn.")
                parent_path, parent_depth, pid = root.path, root.depth, root.pk
            else:
                parent_path, parent_depth, pid = paths[u.parent], depths[u.parent], ids[u.parent]
            paths[i] = parent_path + encode_step(ids[i])
            depths[i] = parent_depth + 1
            parent_ids[i] = pid

        def folded(name: str) -> str:
            f = folded_cache.get(name)
            if f is None:
                f = folded_cache[name] = fold(name)
            return f

        unit_rows = (
            (
                ids[i],
                u.name,
                u.short_name,
                folded(u.name),
                kinds[u.kind],
                u.sector,
                u.place,
                parent_ids[i],
                paths[i],
                depths[i],
                u.founded_on,
            )
            for i, u in enumerate(plan.units)
        )
        step(
            "org_unit",
            _insert(
                Unit,
                [
                    "id",
                    "name",
                    "short_name",
                    "name_folded",
                    "kind_id",
                    "sector",
                    "place",
                    "parent_id",
                    "path",
                    "depth",
                    "founded_on",
                ],
                unit_rows,
            ),
        )
        version_rows = (
            (
                ids[i],
                u.founded_on,
                None,
                u.name,
                folded(u.name),
                kinds[u.kind],
                u.sector,
                parent_ids[i],
                paths[i],
                depths[i],
            )
            for i, u in enumerate(plan.units)
        )
        step(
            "org_unitversion",
            _insert(
                UnitVersion,
                [
                    "unit_id",
                    "valid_from",
                    "valid_to",
                    "name",
                    "name_folded",
                    "kind_id",
                    "sector",
                    "parent_id",
                    "path",
                    "depth",
                ],
                version_rows,
            ),
        )

        dep_base = _next_id_after(Department)
        founded = [u.founded_on for u in plan.units]
        step(
            "org_department",
            _insert(
                Department,
                ["id", "unit_id", "name", "short_name", "category", "valid_from"],
                (
                    (
                        dep_base + j + 1,
                        ids[d.unit],
                        d.name,
                        d.short_name,
                        d.category,
                        founded[d.unit],
                    )
                    for j, d in enumerate(plan.departments)
                ),
            ),
        )

        person_base = _next_id_after(Person)
        step(
            "org_person",
            _insert(
                Person,
                ["id", "full_name", "name_folded", "gender", "birth_date", "phone"],
                (
                    (
                        person_base + j + 1,
                        p.full_name,
                        fold(p.full_name),
                        p.gender,
                        p.birth_date,
                        p.phone,
                    )
                    for j, p in enumerate(plan.people)
                ),
            ),
        )

        step(
            "org_position",
            _insert(
                Position,
                ["person_id", "unit_id", "department_id", "title", "full_time", "start_date"],
                (
                    (
                        person_base + p.person + 1,
                        ids[p.unit],
                        None if p.department is None else dep_base + p.department + 1,
                        p.title,
                        p.full_time,
                        p.start_date,
                    )
                    for p in plan.positions
                ),
            ),
        )

        term_base = _next_id_after(Term)
        step(
            "org_term",
            _insert(
                Term,
                ["id", "unit_id", "name", "start_date"],
                (
                    (term_base + j + 1, ids[tm.unit], tm.name, tm.start_date)
                    for j, tm in enumerate(plan.terms)
                ),
            ),
        )
        step(
            "org_committeeseat",
            _insert(
                CommitteeSeat,
                ["term_id", "committee", "person_id", "title", "order", "start_date"],
                (
                    (
                        term_base + s.term + 1,
                        s.committee,
                        person_base + s.person + 1,
                        s.title,
                        s.order,
                        s.start_date,
                    )
                    for s in plan.seats
                ),
            ),
        )

        for model in _TABLES:
            _reset_sequence(model)
        log("  ghi xong; kiểm tra khóa ngoại và xác nhận giao dịch…")
    log(f"  xác nhận giao dịch ({time.perf_counter() - t:.1f} s)")
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cur:
            for model in _TABLES:
                cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        log(f"  ANALYZE ({time.perf_counter() - t:.1f} s)")
    root_id = root.pk if root is not None else base + 1
    return WriteResult(counts=counts, first_unit_id=base + 1, root_id=root_id)


# ==============================================================================================
# Members (`generate_nation --members N`)
# ==============================================================================================

MEMBER_BORN = (1994, 2010)
MEMBER_CHUNK = 100_000
EDUCATION_MIX = _mix(thcs=8, thpt=45, trung_cap=8, cao_dang=10, dai_hoc=27, thac_si=2)


@dataclass
class MembersResult:
    members: int
    seconds: float
    branches: int


def _branch_places() -> tuple[list[tuple[int, str, str, str]], dict[str, str]]:
    """(branch id, path, province place, region) of every live branch, in id order."""
    from doanvu.members.core.rules import PROVINCE_CODES

    code_of = {name: code for code, name in PROVINCE_CODES.items()}
    regions = {name: region for name, region, _pop, _city in PROVINCES}
    provinces = dict(
        Unit.objects.filter(kind__code="tinh").values_list("path", "place")
    )
    out: list[tuple[int, str, str, str]] = []
    rows = (
        Unit.objects.filter(kind__is_branch=True, dissolved_on__isnull=True)
        .order_by("id")
        .values_list("id", "path")
    )
    for bid, path in rows.iterator(chunk_size=20_000):
        place = provinces.get(path[: 2 * len(encode_step(1))], "")
        out.append((bid, path, place, regions.get(place, "")))
    return out, code_of


def _indexes_off(tables: Sequence[str]) -> list[str]:
    """Drop every index and unique/foreign-key constraint but the primary keys of `tables`
    (PostgreSQL); return the statements that put them back. Building an index once over
    millions of rows is many times faster than maintaining it row by row."""
    restore_first: list[str] = []
    restore_fk: list[str] = []
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            for name, kind, definition in cur.fetchall():
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                stmt = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                (restore_fk if kind == "f" else restore_first).append(stmt)
            cur.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            for name, definition in cur.fetchall():
                cur.execute(f"DROP INDEX {name}")
                restore_first.append(definition)
    return restore_first + restore_fk


def write_members(
    *, members: int, seed: int, log: Callable[[str], None] = lambda _msg: None
) -> MembersResult:
    """Add `members` members to the branches in the database, deterministically for a seed.

    Realistic names, birth dates 1994–2010, CCCDs with the province code of their province,
    the century/gender digit and the year digits, join dates at 16–20; branches weighted.
    COPY in chunks on PostgreSQL (indexes rebuilt once at the end for large N)."""
    from doanvu.members import tally
    from doanvu.members.models import Membership

    start = time.perf_counter()
    rng = random.Random(seed * 7919 + 13)
    names = NameMaker(rng)
    branches, code_of = _branch_places()
    if not branches:
        raise ValueError("Chưa có chi đoàn nào: hãy sinh cây tổ chức trước (--units).")
    weights = [rng.uniform(0.2, 1.8) for _ in branches]
    total_w = sum(weights)
    counts = [int(members * w / total_w) for w in weights]
    for i in range(members - sum(counts)):
        counts[i % len(counts)] += 1
    all_codes = sorted(code_of.values())
    person_base = _next_id_after(Person)
    serials: dict[str, int] = {}
    today_ord = dt.date(2025, 12, 31).toordinal()
    folded_cache: dict[str, str] = {}
    pg = connection.vendor == "postgresql"
    tables = [Person._meta.db_table, Membership._meta.db_table]
    restore: list[str] = []
    person_cols = ["id", "full_name", "name_folded", "gender", "birth_date", "phone", "cccd",
                   "ethnicity", "hometown", "hometown_folded", "education_level"]
    member_cols = ["person_id", "branch_id", "unit_path", "name_folded", "birth_date", "gender",
                   "joined_union_on", "card_number", "status", "is_current", "started_on",
                   "ended_on"]
    education, education_cum = EDUCATION_MIX
    lo_born = dt.date(MEMBER_BORN[0], 1, 1).toordinal()
    hi_born = dt.date(MEMBER_BORN[1], 12, 31).toordinal()
    with transaction.atomic():
        # the maintained counts (members.tally): no trigger per COPY chunk, one recount at the end
        tally.suspend_triggers()
        if pg:
            with connection.cursor() as cur:
                cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
                cur.execute(
                    f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE"
                )
            if members >= 200_000:
                restore = _indexes_off(tables)
                log(f"  tạm bỏ {len(restore)} chỉ mục/ràng buộc để ghi nhanh")
        pid = person_base
        people_rows: list[tuple[object, ...]] = []
        member_rows: list[tuple[object, ...]] = []
        written = 0

        def flush() -> None:
            nonlocal people_rows, member_rows, written
            _insert(Person, person_cols, people_rows)
            _insert(Membership, member_cols, member_rows)
            written += len(member_rows)
            people_rows, member_rows = [], []
            log(f"  {written:,} đoàn viên ({time.perf_counter() - start:.0f} s)".replace(",", "."))

        for (bid, path, place, region), n in zip(branches, counts, strict=True):
            code = code_of.get(place) or all_codes[bid % len(all_codes)]
            for _ in range(n):
                pid += 1
                p = names.person(born=MEMBER_BORN, region=region, province=place)
                born = dt.date.fromordinal(rng.randint(lo_born, hi_born))
                digit = (born.year - 1900) // 100 * 2 + (p.gender == "nu")
                key = f"{code}{digit}{born.year % 100:02d}"
                serial = serials.get(key)
                if serial is None:
                    serial = rng.randrange(0, 200_000)
                serials[key] = serial + 1
                folded = folded_cache.get(p.full_name)
                if folded is None:
                    folded = folded_cache[p.full_name] = fold(p.full_name)
                joined = dt.date.fromordinal(
                    min(born.toordinal() + 365 * 16 + rng.randint(0, 365 * 4), today_ord)
                )
                roll = rng.random()
                status, current, ended = "dang_sinh_hoat", True, None
                if roll < 0.02:
                    status, current = "da_chuyen_di", False
                    ended = dt.date.fromordinal(joined.toordinal() + rng.randint(200, 1500))
                elif roll < 0.03:
                    status, current = "xoa_ten", False
                    ended = dt.date.fromordinal(joined.toordinal() + rng.randint(200, 1500))
                edu = rng.choices(education, cum_weights=education_cum)[0]
                people_rows.append((pid, p.full_name, folded, p.gender, born, p.phone,
                                    f"{key}{serial:06d}", "Kinh", place, fold(place) if place
                                    else "", edu))
                member_rows.append((pid, bid, path, folded, born, p.gender, joined,
                                    f"{pid:010d}", status, current, joined, ended))
                if len(member_rows) >= MEMBER_CHUNK:
                    flush()
        if member_rows:
            flush()
        for model in (Person, Membership):
            _reset_sequence(model)
        if restore:
            t = time.perf_counter()
            with connection.cursor() as cur:
                for stmt in restore:
                    cur.execute(stmt)
            log(f"  dựng lại chỉ mục và ràng buộc ({time.perf_counter() - t:.0f} s)")
        t = time.perf_counter()
        tally.recount()
        tally.resume_triggers()
        log(f"  đếm lại số đoàn viên theo đơn vị ({time.perf_counter() - t:.0f} s)")
    if pg:
        # VACUUM too where it can run (not inside a transaction): it marks the new pages
        # all-visible, as a settled table's are, so the name search's walks are index-only.
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cur:
            for table in [*tables, tally.TABLE]:
                cur.execute(f"{analyze} {table}")
    return MembersResult(members=written, seconds=time.perf_counter() - start,
                         branches=len(branches))
