"""The demo data as plain constants: names, dates and who holds which post.

Sources: the seed documents of the project (Trung ương Đoàn's 2020 inspection plan, Thành đoàn
TP. Hồ Chí Minh's 2020 ranking plan, Tỉnh đoàn Tây Ninh's plans of 2018 and 2020, Huyện đoàn
Dương Minh Châu's 2019–2022 plan), copied here so that nothing reads them at run time.

What is real and what is invented:
- the names of the units (63 provinces before 1/7/2025, the directly affiliated unions, the
  districts of TP. Hồ Chí Minh and Tây Ninh, the communes of Dương Minh Châu) are real;
- persons named in the seeds are real (Lê Quốc Phong, Bùi Quang Huy, Phan Thị Thanh Phương,
  Hoàng Thị Thanh Thúy, Trần Lê Duy), as are the other Bí thư Trung ương Đoàn khóa XI;
  every other person, every hamlet/quarter branch name, decision number and founding date is
  illustrative: plausible, not authoritative.
- the 1/7/2025 reform (merger of Long An into Tây Ninh, end of the district tier) is applied
  to Tây Ninh and Long An only; TP. Hồ Chí Minh and the other provinces keep the shape they had
  before the reform, so the demo shows both shapes of the tree side by side.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

D = dt.date

PASSWORD = "doanvu2026"
REASON = "Nạp dữ liệu mẫu"
GRANT_START = D(2017, 1, 1)

# -- kinds, sectors, department categories (codes of org.UnitKind / Sector / DepartmentCategory)
TRUNG_UONG, TINH, TRUC_THUOC_TW, HUYEN, TRUC_THUOC_TINH, CO_SO, CHI_DOAN = (
    "trung_uong", "tinh", "truc_thuoc_tw", "huyen", "truc_thuoc_tinh", "co_so", "chi_doan",
)
RURAL, URBAN, WORKERS, ARMED, AGENCY = (
    "dan_cu_nong_thon", "dan_cu_do_thi", "cong_nhan", "luc_luong_vu_trang", "co_quan",
)
OFFICE, DEPARTMENT, INSPECTION, AFFILIATED = "van_phong", "ban", "kiem_tra", "su_nghiep"


class Dept(NamedTuple):
    short: str
    name: str
    category: str


class Province(NamedTuple):
    place: str
    name: str
    founded: dt.date
    region: str


class Sub(NamedTuple):
    """A unit below a province: name, kind, sector, founding date."""

    name: str
    kind: str
    sector: str
    founded: dt.date


class Commune(NamedTuple):
    name: str
    sector: str
    branches: tuple[str, ...] = ()


class District(NamedTuple):
    name: str
    founded: dt.date
    communes: tuple[Commune, ...] = ()


class Seat(NamedTuple):
    """A person in a term: committees among "thuong_truc", "btv", "bch"."""

    full_name: str
    gender: str
    title: str
    committees: tuple[str, ...]
    order: int


class Post(NamedTuple):
    """A Position: person, department short name ("" = the unit itself), title."""

    full_name: str
    gender: str
    department: str
    title: str


class DemoLogin(NamedTuple):
    username: str
    full_name: str
    role: str  # accounts.RoleType code
    unit: str  # unit name as created (before any reform)
    department: str = ""  # department short name, for department-reach roles
    superuser: bool = False


# -- Trung ương Đoàn (seed 000) ---------------------------------------------------------------
CENTRE = "Trung ương Đoàn"
CENTRE_SHORT = "TWĐTN"
CENTRE_PLACE = "Hà Nội"
CENTRE_FOUNDED = D(1931, 3, 26)

CENTRE_DEPARTMENTS = (
    Dept("VP", "Văn phòng", OFFICE),
    Dept("BKT", "Ban Kiểm tra", INSPECTION),
    Dept("BTC", "Ban Tổ chức", DEPARTMENT),
    Dept("BTG", "Ban Tuyên giáo", DEPARTMENT),
    Dept("TNCN&ĐT", "Ban Thanh niên công nhân và đô thị", DEPARTMENT),
    Dept("TNNT", "Ban Thanh niên nông thôn", DEPARTMENT),
    Dept("TNTH", "Ban Thanh niên trường học", DEPARTMENT),
    Dept("CTTN", "Ban Công tác thiếu nhi", DEPARTMENT),
)

# Founding dates of provincial unions follow the (re)establishment of the province; the dates
# are indicative only.
_D76 = D(1976, 7, 2)
_D78 = D(1978, 12, 29)
_D89 = D(1989, 7, 1)
_D91A = D(1991, 8, 12)
_D91B = D(1991, 10, 1)
_D92A = D(1992, 4, 1)
_D92B = D(1992, 5, 1)
_D97 = D(1997, 1, 1)
_D04 = D(2004, 1, 1)

# Region keys, used for the activity clusters.
R_TDMNPB, R_DBSH, R_BTB, R_DHNTB, R_TN, R_DNB, R_DBSCL = (
    "tdmnpb", "dbsh", "btb", "dhntb", "taynguyen", "dnb", "dbscl",
)

PROVINCES = (
    # Trung du và miền núi phía Bắc (14)
    Province("Hà Giang", "Tỉnh đoàn Hà Giang", _D91B, R_TDMNPB),
    Province("Cao Bằng", "Tỉnh đoàn Cao Bằng", _D78, R_TDMNPB),
    Province("Bắc Kạn", "Tỉnh đoàn Bắc Kạn", _D97, R_TDMNPB),
    Province("Tuyên Quang", "Tỉnh đoàn Tuyên Quang", _D91B, R_TDMNPB),
    Province("Lào Cai", "Tỉnh đoàn Lào Cai", _D91B, R_TDMNPB),
    Province("Điện Biên", "Tỉnh đoàn Điện Biên", _D04, R_TDMNPB),
    Province("Lai Châu", "Tỉnh đoàn Lai Châu", _D04, R_TDMNPB),
    Province("Sơn La", "Tỉnh đoàn Sơn La", _D76, R_TDMNPB),
    Province("Yên Bái", "Tỉnh đoàn Yên Bái", _D91B, R_TDMNPB),
    Province("Hòa Bình", "Tỉnh đoàn Hòa Bình", _D91B, R_TDMNPB),
    Province("Thái Nguyên", "Tỉnh đoàn Thái Nguyên", _D97, R_TDMNPB),
    Province("Lạng Sơn", "Tỉnh đoàn Lạng Sơn", _D78, R_TDMNPB),
    Province("Bắc Giang", "Tỉnh đoàn Bắc Giang", _D97, R_TDMNPB),
    Province("Phú Thọ", "Tỉnh đoàn Phú Thọ", _D97, R_TDMNPB),
    # Đồng bằng sông Hồng (11)
    Province("Hà Nội", "Thành đoàn Hà Nội", _D76, R_DBSH),
    Province("Vĩnh Phúc", "Tỉnh đoàn Vĩnh Phúc", _D97, R_DBSH),
    Province("Bắc Ninh", "Tỉnh đoàn Bắc Ninh", _D97, R_DBSH),
    Province("Quảng Ninh", "Tỉnh đoàn Quảng Ninh", _D76, R_DBSH),
    Province("Hải Dương", "Tỉnh đoàn Hải Dương", _D97, R_DBSH),
    Province("Hải Phòng", "Thành đoàn Hải Phòng", _D76, R_DBSH),
    Province("Hưng Yên", "Tỉnh đoàn Hưng Yên", _D97, R_DBSH),
    Province("Thái Bình", "Tỉnh đoàn Thái Bình", _D76, R_DBSH),
    Province("Hà Nam", "Tỉnh đoàn Hà Nam", _D97, R_DBSH),
    Province("Nam Định", "Tỉnh đoàn Nam Định", _D97, R_DBSH),
    Province("Ninh Bình", "Tỉnh đoàn Ninh Bình", _D92A, R_DBSH),
    # Bắc Trung Bộ (6)
    Province("Thanh Hóa", "Tỉnh đoàn Thanh Hóa", _D76, R_BTB),
    Province("Nghệ An", "Tỉnh đoàn Nghệ An", _D91A, R_BTB),
    Province("Hà Tĩnh", "Tỉnh đoàn Hà Tĩnh", _D91A, R_BTB),
    Province("Quảng Bình", "Tỉnh đoàn Quảng Bình", _D89, R_BTB),
    Province("Quảng Trị", "Tỉnh đoàn Quảng Trị", _D89, R_BTB),
    Province("Thừa Thiên Huế", "Tỉnh đoàn Thừa Thiên Huế", _D89, R_BTB),
    # Duyên hải Nam Trung Bộ (8)
    Province("Đà Nẵng", "Thành đoàn Đà Nẵng", _D97, R_DHNTB),
    Province("Quảng Nam", "Tỉnh đoàn Quảng Nam", _D97, R_DHNTB),
    Province("Quảng Ngãi", "Tỉnh đoàn Quảng Ngãi", _D89, R_DHNTB),
    Province("Bình Định", "Tỉnh đoàn Bình Định", _D89, R_DHNTB),
    Province("Phú Yên", "Tỉnh đoàn Phú Yên", _D89, R_DHNTB),
    Province("Khánh Hòa", "Tỉnh đoàn Khánh Hòa", _D89, R_DHNTB),
    Province("Ninh Thuận", "Tỉnh đoàn Ninh Thuận", _D92A, R_DHNTB),
    Province("Bình Thuận", "Tỉnh đoàn Bình Thuận", _D92A, R_DHNTB),
    # Tây Nguyên (5)
    Province("Kon Tum", "Tỉnh đoàn Kon Tum", _D91A, R_TN),
    Province("Gia Lai", "Tỉnh đoàn Gia Lai", _D91A, R_TN),
    Province("Đắk Lắk", "Tỉnh đoàn Đắk Lắk", _D04, R_TN),
    Province("Đắk Nông", "Tỉnh đoàn Đắk Nông", _D04, R_TN),
    Province("Lâm Đồng", "Tỉnh đoàn Lâm Đồng", _D76, R_TN),
    # Đông Nam Bộ (6)
    Province("Bình Phước", "Tỉnh đoàn Bình Phước", _D97, R_DNB),
    Province("Tây Ninh", "Tỉnh đoàn Tây Ninh", _D76, R_DNB),
    Province("Bình Dương", "Tỉnh đoàn Bình Dương", _D97, R_DNB),
    Province("Đồng Nai", "Tỉnh đoàn Đồng Nai", _D76, R_DNB),
    Province("Bà Rịa – Vũng Tàu", "Tỉnh đoàn Bà Rịa – Vũng Tàu", _D91A, R_DNB),
    Province("TP. Hồ Chí Minh", "Thành đoàn TP. Hồ Chí Minh", _D76, R_DNB),
    # Đồng bằng sông Cửu Long (13)
    Province("Long An", "Tỉnh đoàn Long An", _D76, R_DBSCL),
    Province("Tiền Giang", "Tỉnh đoàn Tiền Giang", _D76, R_DBSCL),
    Province("Bến Tre", "Tỉnh đoàn Bến Tre", _D76, R_DBSCL),
    Province("Trà Vinh", "Tỉnh đoàn Trà Vinh", _D92B, R_DBSCL),
    Province("Vĩnh Long", "Tỉnh đoàn Vĩnh Long", _D92B, R_DBSCL),
    Province("Đồng Tháp", "Tỉnh đoàn Đồng Tháp", _D76, R_DBSCL),
    Province("An Giang", "Tỉnh đoàn An Giang", _D76, R_DBSCL),
    Province("Kiên Giang", "Tỉnh đoàn Kiên Giang", _D76, R_DBSCL),
    Province("Cần Thơ", "Thành đoàn Cần Thơ", _D04, R_DBSCL),
    Province("Hậu Giang", "Tỉnh đoàn Hậu Giang", _D04, R_DBSCL),
    Province("Sóc Trăng", "Tỉnh đoàn Sóc Trăng", _D92A, R_DBSCL),
    Province("Bạc Liêu", "Tỉnh đoàn Bạc Liêu", _D97, R_DBSCL),
    Province("Cà Mau", "Tỉnh đoàn Cà Mau", _D97, R_DBSCL),
)
PROVINCE_SHORT = "TĐTN"

# Đoàn trực thuộc Trung ương (seed 000).
CENTRE_AFFILIATED = (
    Sub("Ban Thanh niên Quân đội", TRUC_THUOC_TW, ARMED, D(1976, 7, 2)),
    Sub("Đoàn Thanh niên Bộ Công an", TRUC_THUOC_TW, ARMED, D(1976, 7, 2)),
    Sub("Đoàn Khối các cơ quan Trung ương", TRUC_THUOC_TW, AGENCY, D(2008, 1, 1)),
    Sub("Đoàn Khối Doanh nghiệp Trung ương", TRUC_THUOC_TW, WORKERS, D(2008, 1, 1)),
)

# Cụm hoạt động of Trung ương Đoàn: name, region key (or "truc_thuoc"), standing department.
AFFILIATED_REGION = "truc_thuoc"
CENTRE_CLUSTERS = (
    ("Cụm Trung du miền núi phía Bắc", R_TDMNPB, "TNNT"),
    ("Cụm Đồng bằng sông Hồng", R_DBSH, "TNTH"),
    ("Cụm Bắc Trung Bộ", R_BTB, "BTG"),
    ("Cụm Duyên hải Nam Trung Bộ", R_DHNTB, "CTTN"),
    ("Cụm Tây Nguyên", R_TN, "BKT"),
    ("Cụm Đông Nam Bộ", R_DNB, "TNCN&ĐT"),
    ("Cụm Đồng bằng sông Cửu Long", R_DBSCL, "BTC"),
    ("Cụm các đoàn trực thuộc", AFFILIATED_REGION, "VP"),
)
CLUSTERS_FROM = D(2017, 12, 14)

# Khóa XI (2017–2022). At the centre the Ban Bí thư plays the part of the BTV; the demo seats
# the Bí thư in the standing committee too, as the seeds address them ("Bí thư TW Đoàn").
CENTRE_TERM = ("2017–2022", D(2017, 12, 14), D(2022, 12, 14))
CENTRE_SEATS = (
    Seat("Lê Quốc Phong", "nam", "Bí thư thứ nhất", ("thuong_truc", "btv", "bch"), 1),
    Seat("Nguyễn Anh Tuấn", "nam", "Bí thư Thường trực", ("thuong_truc", "btv", "bch"), 2),
    Seat("Bùi Quang Huy", "nam", "Bí thư", ("thuong_truc", "btv", "bch"), 3),
    Seat("Nguyễn Phi Long", "nam", "Bí thư", ("thuong_truc", "btv", "bch"), 4),
    Seat("Nguyễn Ngọc Lương", "nam", "Bí thư", ("thuong_truc", "btv", "bch"), 5),
    Seat("Nguyễn Minh Triết", "nam", "Bí thư", ("thuong_truc", "btv", "bch"), 6),
)
CENTRE_POSTS = (
    Post("Vương Đình Khải", "nam", "BKT", "Trưởng ban"),
    Post("Lê Thị Hồng Nhung", "nu", "BKT", "Chuyên viên"),
    Post("Phùng Văn Thắng", "nam", "VP", "Chánh Văn phòng"),
)

# -- Thành đoàn TP. Hồ Chí Minh (seed 001) -----------------------------------------------------
HCM = "Thành đoàn TP. Hồ Chí Minh"
HCM_DEPARTMENTS = (
    Dept("VP", "Văn phòng", OFFICE),
    Dept("BTC", "Ban Tổ chức", DEPARTMENT),
    Dept("BKT", "Ban Kiểm tra", INSPECTION),
    Dept("BTG", "Ban Tuyên giáo", DEPARTMENT),
    Dept("TNTH", "Ban Thanh niên Trường học", DEPARTMENT),
    Dept("BTN", "Ban Thiếu nhi", DEPARTMENT),
    Dept("CNLĐ", "Ban Công nhân lao động", DEPARTMENT),
    Dept("ĐKTH", "Ban Đoàn kết tập hợp thanh niên", DEPARTMENT),
    Dept("NTN", "Nhà Thiếu nhi Thành phố", AFFILIATED),
    Dept("TĐLTT", "Trường Đoàn Lý Tự Trọng", AFFILIATED),
    Dept("HLHTN", "Ban Thư ký Hội Liên hiệp Thanh niên Việt Nam Thành phố", AFFILIATED),
    Dept("NVHTN", "Nhà Văn hóa Thanh niên Thành phố", AFFILIATED),
)

_Q97 = D(1997, 4, 1)
_Q04 = D(2004, 1, 1)
HCM_DISTRICTS = (
    District("Quận đoàn 1", _D76, (
        Commune("Đoàn phường Bến Nghé", URBAN, ("Chi đoàn khu phố 1", "Chi đoàn khu phố 2")),
        Commune("Đoàn phường Bến Thành", URBAN, ("Chi đoàn khu phố 3",)),
        Commune("Đoàn phường Tân Định", URBAN, ("Chi đoàn khu phố 5",)),
        Commune("Đoàn phường Đa Kao", URBAN),
        Commune("Đoàn phường Phạm Ngũ Lão", URBAN),
    )),
    District("Quận đoàn 2", _Q97),
    District("Quận đoàn 3", _D76),
    District("Quận đoàn 4", _D76),
    District("Quận đoàn 5", _D76),
    District("Quận đoàn 6", _D76),
    District("Quận đoàn 7", _Q97),
    District("Quận đoàn 8", _D76),
    District("Quận đoàn 9", _Q97),
    District("Quận đoàn 10", _D76),
    District("Quận đoàn 11", _D76),
    District("Quận đoàn 12", _Q97),
    District("Quận đoàn Bình Thạnh", _D76),
    District("Quận đoàn Gò Vấp", _D76, (
        Commune("Đoàn phường 5", URBAN),
        Commune("Đoàn phường 10", URBAN),
    )),
    District("Quận đoàn Phú Nhuận", _D76),
    District("Quận đoàn Tân Bình", _D76),
    District("Quận đoàn Tân Phú", _Q04),
    District("Quận đoàn Bình Tân", _Q04),
    District("Quận đoàn Thủ Đức", _Q97),
    District("Huyện đoàn Củ Chi", _D76, (
        Commune("Đoàn thị trấn Củ Chi", URBAN),
        Commune("Đoàn xã Tân Thông Hội", RURAL, ("Chi đoàn ấp Chợ", "Chi đoàn ấp Bàu Sim")),
        Commune("Đoàn xã Phú Hòa Đông", RURAL),
    )),
    District("Huyện đoàn Hóc Môn", _D76),
    District("Huyện đoàn Bình Chánh", _D76),
    District("Huyện đoàn Nhà Bè", _D76),
    District("Huyện đoàn Cần Giờ", _D76),
)
# Thành phố Thủ Đức (1/1/2021): Quận 2, Quận 9 and quận Thủ Đức merged into a new union.
THU_DUC = "Thành đoàn Thủ Đức"
THU_DUC_DATE = D(2021, 1, 1)
THU_DUC_SOURCES = ("Quận đoàn 2", "Quận đoàn 9", "Quận đoàn Thủ Đức")
THU_DUC_NOTE = ("Thành lập thành phố Thủ Đức trên cơ sở Quận 2, Quận 9 và quận Thủ Đức "
                "(Nghị quyết số 1111/NQ-UBTVQH14).")

# Grassroots unions directly under the city, by sector (khu vực Công nhân lao động, LLVT).
HCM_WORKERS = (
    Sub("Đoàn Tổng Công ty Điện lực TP. Hồ Chí Minh", TRUC_THUOC_TINH, WORKERS, D(2010, 3, 26)),
    Sub("Đoàn Tổng Công ty Cấp nước Sài Gòn", TRUC_THUOC_TINH, WORKERS, D(2006, 3, 26)),
    Sub("Đoàn Tổng Công ty Công nghiệp Sài Gòn", TRUC_THUOC_TINH, WORKERS, D(2006, 3, 26)),
    Sub("Đoàn Khu Chế xuất và Công nghiệp Thành phố", TRUC_THUOC_TINH, WORKERS, D(1998, 3, 26)),
    Sub("Đoàn cơ sở Tổng Công ty Du lịch Sài Gòn", CO_SO, WORKERS, D(1999, 3, 26)),
    Sub("Đoàn cơ sở Tổng Công ty Thương mại Sài Gòn", CO_SO, WORKERS, D(2006, 3, 26)),
)
HCM_ARMED = (
    Sub("Đoàn Thanh niên Công an Thành phố", TRUC_THUOC_TINH, ARMED, _D76),
    Sub("Đoàn cơ sở Bộ Tư lệnh Thành phố", CO_SO, ARMED, _D76),
    Sub("Đoàn cơ sở Bộ đội Biên phòng Thành phố", CO_SO, ARMED, _D76),
)
# Khu vực xếp hạng (ORG-2): name, members ("districts" / "workers" / "armed"), standing dept.
HCM_DISTRICT_GROUP = "Khu vực Quận – Huyện"
HCM_SECTOR_GROUPS = (
    (HCM_DISTRICT_GROUP, "districts", "BTC"),
    ("Khu vực Công nhân lao động", "workers", "CNLĐ"),
    ("Khu vực Lực lượng vũ trang", "armed", "ĐKTH"),
)
HCM_TERM = ("2017–2022", D(2017, 10, 20), D(2022, 10, 20))
HCM_SEATS = (
    Seat("Phan Thị Thanh Phương", "nu", "Bí thư", ("thuong_truc", "btv", "bch"), 1),
    Seat("Lâm Đình Khoa", "nam", "Phó Bí thư Thường trực", ("thuong_truc", "btv", "bch"), 2),
    Seat("Vũ Thị Quỳnh Như", "nu", "Phó Bí thư", ("thuong_truc", "btv", "bch"), 3),
    Seat("Nguyễn Hữu Lộc", "nam", "Ủy viên Ban Thường vụ", ("btv", "bch"), 10),
    Seat("Tô Thị Kim Yến", "nu", "Ủy viên Ban Thường vụ", ("btv", "bch"), 11),
    Seat("Hồ Minh Trí", "nam", "Ủy viên Ban Thường vụ", ("btv", "bch"), 12),
    Seat("Trần Quốc Bảo", "nam", "Ủy viên Ban Chấp hành", ("bch",), 20),
)
HCM_POSTS = (
    Post("Phan Thị Thanh Phương", "nu", "", "Bí thư Thành đoàn"),
    Post("Lâm Đình Khoa", "nam", "", "Phó Bí thư Thường trực Thành đoàn"),
    Post("Vũ Thị Quỳnh Như", "nu", "", "Phó Bí thư Thành đoàn"),
    Post("Nguyễn Hữu Lộc", "nam", "BTC", "Trưởng ban"),
    Post("Tô Thị Kim Yến", "nu", "VP", "Chánh Văn phòng"),
    Post("Hồ Minh Trí", "nam", "BKT", "Trưởng ban"),
    Post("Nguyễn Thị Thu Hà", "nu", "VP", "Chuyên viên"),
    Post("Võ Hoàng Nam", "nam", "BKT", "Chuyên viên"),
)
# Posts in a district union: district name, post.
HCM_DISTRICT_POSTS = (
    ("Quận đoàn 1", Post("Trần Quốc Bảo", "nam", "", "Bí thư Quận đoàn")),
)

# -- Tỉnh đoàn Tây Ninh (seeds 002, 003, 004) ---------------------------------------------------
TAY_NINH = "Tỉnh đoàn Tây Ninh"
TAY_NINH_DEPARTMENTS = (
    Dept("VP", "Văn phòng", OFFICE),
    Dept("TCKT", "Ban Tổ chức – Kiểm tra", DEPARTMENT),
    Dept("BPT", "Ban Phong trào", DEPARTMENT),
    Dept("BTG", "Ban Tuyên giáo", DEPARTMENT),
    Dept("BTN", "Ban Thiếu nhi", DEPARTMENT),
    Dept("UBKT", "Ủy ban Kiểm tra", INSPECTION),
)
_COMMUNE_FOUNDED = D(1990, 3, 26)
DMC = "Huyện đoàn Dương Minh Châu"
TAY_NINH_DISTRICTS = (
    District("Thành đoàn Tây Ninh", _D76, (
        Commune("Đoàn phường 1", URBAN),
        Commune("Đoàn phường Ninh Sơn", URBAN),
        Commune("Đoàn xã Thạnh Tân", RURAL),
    )),
    District("Huyện đoàn Hòa Thành", _D76, (
        Commune("Đoàn xã Trường Tây", RURAL),
        Commune("Đoàn xã Trường Hòa", RURAL),
        Commune("Đoàn xã Trường Đông", RURAL),
    )),
    District("Huyện đoàn Trảng Bàng", _D76, (
        Commune("Đoàn xã Phước Chỉ", RURAL),
        Commune("Đoàn xã Hưng Thuận", RURAL),
        Commune("Đoàn xã Đôn Thuận", RURAL),
    )),
    District("Huyện đoàn Gò Dầu", _D76, (
        Commune("Đoàn thị trấn Gò Dầu", URBAN),
        Commune("Đoàn xã Thanh Phước", RURAL),
        Commune("Đoàn xã Bàu Đồn", RURAL),
    )),
    District("Huyện đoàn Bến Cầu", _D76, (
        Commune("Đoàn thị trấn Bến Cầu", URBAN),
        Commune("Đoàn xã Long Thuận", RURAL),
        Commune("Đoàn xã Tiên Thuận", RURAL),
    )),
    District("Huyện đoàn Châu Thành", _D76, (
        Commune("Đoàn thị trấn Châu Thành", URBAN),
        Commune("Đoàn xã Hảo Đước", RURAL),
        Commune("Đoàn xã Thái Bình", RURAL),
    )),
    District("Huyện đoàn Tân Biên", _D76, (
        Commune("Đoàn thị trấn Tân Biên", URBAN),
        Commune("Đoàn xã Tân Lập", RURAL),
    )),
    District("Huyện đoàn Tân Châu", _D76, (
        Commune("Đoàn thị trấn Tân Châu", URBAN),
        Commune("Đoàn xã Suối Ngô", RURAL),
        Commune("Đoàn xã Tân Hưng", RURAL),
    )),
    District(DMC, _D76, (
        Commune("Đoàn xã Suối Đá", RURAL,
                ("Chi đoàn ấp Suối Đá", "Chi đoàn ấp Khởi Trung", "Chi đoàn ấp Khởi Hà")),
        Commune("Đoàn xã Phan", RURAL,
                ("Chi đoàn ấp Phước Hội", "Chi đoàn ấp Phước Lợi", "Chi đoàn ấp Phước Tân")),
        Commune("Đoàn xã Phước Ninh", RURAL,
                ("Chi đoàn ấp Phước Lễ", "Chi đoàn ấp Phước Hiệp", "Chi đoàn ấp Phước Hòa")),
        Commune("Đoàn xã Phước Minh", RURAL, ("Chi đoàn ấp Phước Long", "Chi đoàn ấp Phước Bình")),
        Commune("Đoàn xã Bàu Năng", RURAL,
                ("Chi đoàn ấp Ninh Bình", "Chi đoàn ấp Ninh Hiệp", "Chi đoàn ấp Ninh Thọ")),
        Commune("Đoàn xã Chà Là", RURAL, ("Chi đoàn ấp Thuận An", "Chi đoàn ấp Thuận Bình")),
        Commune("Đoàn xã Cầu Khởi", RURAL, ("Chi đoàn ấp Khởi An", "Chi đoàn ấp Khởi Thạnh")),
        Commune("Đoàn xã Lộc Ninh", RURAL, ("Chi đoàn ấp Lộc Trung", "Chi đoàn ấp Lộc Thuận")),
        Commune("Đoàn xã Truông Mít", RURAL,
                ("Chi đoàn ấp Thuận Hòa", "Chi đoàn ấp Thuận Phước")),
        Commune("Đoàn xã Bến Củi", RURAL, ("Chi đoàn ấp Bến Củi", "Chi đoàn ấp Bà Nhã")),
        Commune("Đoàn thị trấn Dương Minh Châu", URBAN,
                ("Chi đoàn khu phố 1", "Chi đoàn khu phố 2", "Chi đoàn khu phố 3",
                 "Chi đoàn khu phố 4")),
    )),
)
COMMUNE_FOUNDED = _COMMUNE_FOUNDED
BRANCH_FOUNDED = D(2000, 3, 26)

# Đoàn trực thuộc Tỉnh đoàn.
TAY_NINH_AFFILIATED = (
    Sub("Đoàn Khối các cơ quan tỉnh", TRUC_THUOC_TINH, AGENCY, D(2008, 1, 1)),
    Sub("Đoàn Khối Doanh nghiệp tỉnh", TRUC_THUOC_TINH, WORKERS, D(2008, 1, 1)),
    Sub("Đoàn Thanh niên Công an tỉnh", TRUC_THUOC_TINH, ARMED, _D76),
    Sub("Đoàn cơ sở Bộ Chỉ huy Quân sự tỉnh", CO_SO, ARMED, _D76),
    Sub("Đoàn cơ sở Bộ Chỉ huy Bộ đội Biên phòng tỉnh", CO_SO, ARMED, _D76),
)

# Hòa Thành and Trảng Bàng became towns (thị xã) on 1/2/2020.
TOWN_RENAMES = (
    ("Huyện đoàn Hòa Thành", "Thị đoàn Hòa Thành"),
    ("Huyện đoàn Trảng Bàng", "Thị đoàn Trảng Bàng"),
)
TOWN_DATE = D(2020, 2, 1)

# Seed 003: small hamlet branches merged into an inter-hamlet branch.
INTER_HAMLET = "Chi đoàn liên ấp Phước Hội – Phước Lợi"
INTER_HAMLET_COMMUNE = "Đoàn xã Phan"
INTER_HAMLET_SOURCES = ("Chi đoàn ấp Phước Hội", "Chi đoàn ấp Phước Lợi")
INTER_HAMLET_DATE = D(2020, 3, 26)
INTER_HAMLET_NOTE = ("Thành lập chi đoàn liên ấp theo Kế hoạch nâng cao chất lượng hoạt động tổ "
                     "chức cơ sở Đoàn trên địa bàn dân cư giai đoạn 2019-2022 của Huyện đoàn.")

# Đại hội XIII, nhiệm kỳ 2017–2022.
TAY_NINH_TERM = ("2017–2022", D(2017, 9, 15), D(2022, 9, 15))
TAY_NINH_SEATS = (
    Seat("Hoàng Thị Thanh Thúy", "nu", "Bí thư", ("thuong_truc", "btv", "bch"), 1),
    Seat("Trần Lê Duy", "nam", "Phó Bí thư", ("thuong_truc", "btv", "bch"), 2),
    Seat("Lâm Quốc Thái", "nam", "Phó Bí thư", ("thuong_truc", "btv", "bch"), 3),
    Seat("Lê Thị Ngọc Hân", "nu", "Ủy viên Ban Thường vụ", ("btv", "bch"), 10),
    Seat("Phạm Minh Khôi", "nam", "Ủy viên Ban Thường vụ", ("btv", "bch"), 11),
    Seat("Đặng Thị Thu Trang", "nu", "Ủy viên Ban Thường vụ", ("btv", "bch"), 12),
    Seat("Huỳnh Văn Lợi", "nam", "Ủy viên Ban Thường vụ", ("btv", "bch"), 13),
    Seat("Ngô Thị Mỹ Linh", "nu", "Ủy viên Ban Thường vụ", ("btv", "bch"), 14),
    Seat("Trương Công Bằng", "nam", "Ủy viên Ban Thường vụ", ("btv", "bch"), 15),
    Seat("Nguyễn Hoàng Phúc", "nam", "Ủy viên Ban Chấp hành", ("bch",), 20),
    Seat("Trần Thị Diễm My", "nu", "Ủy viên Ban Chấp hành", ("bch",), 21),
    Seat("Lý Văn Sang", "nam", "Ủy viên Ban Chấp hành", ("bch",), 22),
    Seat("Đỗ Thị Kim Loan", "nu", "Ủy viên Ban Chấp hành", ("bch",), 23),
    Seat("Cao Văn Khánh", "nam", "Ủy viên Ban Chấp hành", ("bch",), 24),
)
TAY_NINH_POSTS = (
    Post("Hoàng Thị Thanh Thúy", "nu", "", "Bí thư Tỉnh đoàn"),
    Post("Trần Lê Duy", "nam", "", "Phó Bí thư Tỉnh đoàn"),
    Post("Lâm Quốc Thái", "nam", "", "Phó Bí thư Tỉnh đoàn, Chủ tịch Hội LHTN Việt Nam tỉnh"),
    Post("Lê Thị Ngọc Hân", "nu", "VP", "Chánh Văn phòng"),
    Post("Đỗ Thị Kim Loan", "nu", "VP", "Phó Chánh Văn phòng"),
    Post("Tạ Thị Hồng Nhung", "nu", "VP", "Kế toán"),
    Post("Phạm Minh Khôi", "nam", "TCKT", "Trưởng ban"),
    Post("Bùi Thị Thanh Tuyền", "nu", "TCKT", "Chuyên viên"),
    Post("Huỳnh Văn Lợi", "nam", "BPT", "Trưởng ban"),
    Post("Mai Văn Hiếu", "nam", "BPT", "Chuyên viên"),
    Post("Đặng Thị Thu Trang", "nu", "BTG", "Trưởng ban"),
    Post("Ngô Thị Mỹ Linh", "nu", "BTN", "Trưởng ban"),
    Post("Trương Công Bằng", "nam", "UBKT", "Chủ nhiệm Ủy ban Kiểm tra"),
)
TAY_NINH_POSTS_FROM = D(2017, 9, 15)
# Posts in lower units (ended by the reform where the unit is dissolved): unit, post.
TAY_NINH_LOWER_POSTS = (
    ("Thành đoàn Tây Ninh", Post("Nguyễn Hoàng Phúc", "nam", "", "Bí thư Thành đoàn")),
    (DMC, Post("Trần Thị Diễm My", "nu", "", "Bí thư Huyện đoàn")),
    ("Huyện đoàn Gò Dầu", Post("Lý Văn Sang", "nam", "", "Bí thư Huyện đoàn")),
    ("Đoàn Khối các cơ quan tỉnh", Post("Cao Văn Khánh", "nam", "", "Bí thư Đoàn Khối")),
    ("Đoàn xã Suối Đá", Post("Nguyễn Thanh Tài", "nam", "", "Bí thư Đoàn xã")),
    ("Chi đoàn ấp Khởi Trung", Post("Lê Thị Bích Ngọc", "nu", "", "Bí thư chi đoàn")),
)

# The last day of the district tier in Tây Ninh and Long An (posts, supervision end then).
DISTRICTS_LAST_DAY = D(2025, 6, 30)

# Phân công phụ trách (seed 004 §III.2): district, supervising person, department, field.
SUPERVISION_FROM = D(2018, 1, 1)
SUPERVISION_TO = DISTRICTS_LAST_DAY
TAY_NINH_SUPERVISION = (
    ("Thành đoàn Tây Ninh", "Hoàng Thị Thanh Thúy", "VP", "Công tác văn phòng, tổng hợp"),
    ("Huyện đoàn Hòa Thành", "Trần Lê Duy", "TCKT", "Công tác tổ chức xây dựng Đoàn"),
    ("Huyện đoàn Trảng Bàng", "Lâm Quốc Thái", "BPT", "Hỗ trợ thanh niên khởi nghiệp"),
    ("Huyện đoàn Gò Dầu", "Phạm Minh Khôi", "TCKT", "Công tác tổ chức xây dựng Đoàn"),
    ("Huyện đoàn Bến Cầu", "Đặng Thị Thu Trang", "BTG", "Công tác tuyên truyền, giáo dục"),
    ("Huyện đoàn Châu Thành", "Huỳnh Văn Lợi", "BPT", "Phong trào thanh niên"),
    ("Huyện đoàn Tân Biên", "Ngô Thị Mỹ Linh", "BTN", "Công tác thiếu nhi"),
    ("Huyện đoàn Tân Châu", "Lê Thị Ngọc Hân", "VP", "Công tác văn phòng, tổng hợp"),
    (DMC, "Trương Công Bằng", "UBKT", "Công tác kiểm tra, giám sát"),
)
# After the reform the province supervises some communes directly.
POST_REFORM_SUPERVISION = (
    ("Đoàn xã Suối Đá", "Trương Công Bằng", "TCKT", "Toàn diện"),
    ("Đoàn xã Truông Mít", "Phạm Minh Khôi", "TCKT", "Toàn diện"),
    ("Đoàn xã Dương Minh Châu", "Trần Lê Duy", "BPT", "Toàn diện"),
)

# -- Tỉnh đoàn Long An (merged into Tây Ninh on 1/7/2025) ---------------------------------------
LONG_AN = "Tỉnh đoàn Long An"
LONG_AN_DEPARTMENTS = (
    Dept("VP", "Văn phòng", OFFICE),
    Dept("TCKT", "Ban Tổ chức – Kiểm tra", DEPARTMENT),
    Dept("BPT", "Ban Phong trào", DEPARTMENT),
    Dept("UBKT", "Ủy ban Kiểm tra", INSPECTION),
)
LONG_AN_DISTRICTS = (
    District("Huyện đoàn Đức Hòa", _D76, (
        Commune("Đoàn thị trấn Hậu Nghĩa", URBAN, ("Chi đoàn khu phố 1",)),
        Commune("Đoàn xã Đức Hòa Hạ", RURAL, ("Chi đoàn ấp Bình Tiền 1",)),
    )),
    District("Huyện đoàn Bến Lức", _D76, (
        Commune("Đoàn thị trấn Bến Lức", URBAN, ("Chi đoàn khu phố 2",)),
        Commune("Đoàn xã Lương Hòa", RURAL, ("Chi đoàn ấp 3",)),
    )),
)

# -- the 1/7/2025 reform (Tây Ninh and Long An only) -------------------------------------------
REFORM_DATE = D(2025, 7, 1)
REFORM_PROVINCE_NOTE = ("Hợp nhất tỉnh Long An và tỉnh Tây Ninh thành tỉnh Tây Ninh "
                        "(Nghị quyết số 202/2025/QH15).")
REFORM_MOVE_NOTE = "Không tổ chức cấp huyện: Đoàn cơ sở trực thuộc Tỉnh đoàn từ 01/7/2025."
REFORM_DISSOLVE_NOTE = "Kết thúc hoạt động của Đoàn cấp huyện từ 01/7/2025."
# Commune merges: (sources, target). The target keeps its name.
REFORM_COMMUNE_MERGES = (
    (("Đoàn xã Phan",), "Đoàn xã Suối Đá"),
    (("Đoàn xã Bến Củi",), "Đoàn xã Truông Mít"),
    (("Đoàn xã Lương Hòa",), "Đoàn thị trấn Bến Lức"),
)
# Every "Đoàn thị trấn X" under the province becomes "Đoàn xã X" (no more thị trấn).
TOWNSHIP_PREFIX = "Đoàn thị trấn "
COMMUNE_PREFIX = "Đoàn xã "

# -- demo logins ------------------------------------------------------------------------------
DEMO_LOGINS = (
    DemoLogin("quantri", "Đinh Quang Vinh", "quan_tri_he_thong", CENTRE, superuser=True),
    DemoLogin("tw_bankiemtra", "Lê Thị Hồng Nhung", "can_bo_ban", CENTRE, "BKT"),
    DemoLogin("hcm_bithu", "Phan Thị Thanh Phương", "bi_thu", HCM),
    DemoLogin("hcm_vanphong", "Nguyễn Thị Thu Hà", "van_phong", HCM),
    DemoLogin("hcm_quan1", "Trần Quốc Bảo", "quan_tri_don_vi", "Quận đoàn 1"),
    # scores the Ban Tổ chức's criteria of the 2020 emulation sheets (EMU-2, issue 12)
    DemoLogin("hcm_bantochuc", "Nguyễn Hữu Lộc", "can_bo_cham_diem", HCM, "BTC"),
    DemoLogin("tn_bithu", "Hoàng Thị Thanh Thúy", "bi_thu", TAY_NINH),
    DemoLogin("tn_tckt", "Phạm Minh Khôi", "ban_tckt", TAY_NINH, "TCKT"),
    # a chuyên viên of Ban Phong trào who logs and reports field visits (issue 13)
    DemoLogin("tn_chuyenvien", "Mai Văn Hiếu", "can_bo_ban", TAY_NINH, "BPT"),
    DemoLogin("tn_xa_suoida", "Nguyễn Thanh Tài", "quan_tri_don_vi", "Đoàn xã Suối Đá"),
    DemoLogin("tn_chidoan", "Lê Thị Bích Ngọc", "bi_thu_chi_doan", "Chi đoàn ấp Khởi Trung"),
    DemoLogin("kiemtra_doan", "Võ Hoàng Nam", "thanh_vien_doan_kiem_tra", "Quận đoàn Gò Vấp"),
)
INSPECTION_GRANT_START = D(2020, 11, 1)
