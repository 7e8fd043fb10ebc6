"""The five seed plans as issued documents of their real issuers (issue 3, DOC-1…DOC-3).

Their bodies are in `seed_texts/seed_00N_body.txt`, in the markup of `markup.py`, copied from
the project's seed documents (nothing reads the seeds at run time). Obvious typing slips were
corrected ("ngày 15 tây đầu mỗi quý" → "ngày 15 tháng đầu mỗi quý", a duplicated "1. 1.", seed
003's second "III." → "IV.", "cấp tinh" → "cấp tỉnh"); the wording is otherwise the seeds'.

What the seeds give and what is assigned here:

- seed 000, Ban Bí thư Trung ương Đoàn, KH 2020 — the seed shows neither number, date nor
  signer ("(Đã ký)"); number 41-KH/TWĐTN-BKT (the plan was drafted by Ban Kiểm tra: "Lưu BKT,
  VP"), date 14/02/2020 (the plan itself says it was prepared in February 2020) and the signer
  Nguyễn Anh Tuấn, Bí thư Thường trực, are assigned for the demo.
- seed 001, Thành đoàn TP. Hồ Chí Minh, KH 2020 — signer from the seed (Phan Thị Thanh Phương,
  BÍ THƯ); number 215-KH/TĐTN-VP and date 26/10/2020 (before the 04/11/2020 deadlines it sets)
  are assigned.
- seed 002, Tỉnh đoàn Tây Ninh — number 45-KH/TĐTN-TCKT and date 18/4/2018 are the seed's;
  the seed gives the signer's name (Trần Lê Duy) but omits the title line: PHÓ BÍ THƯ is
  assigned, as he is Phó Bí thư in the demo's standing committee.
- seed 003, Huyện đoàn Dương Minh Châu — the seed gives only "PHÓ BÍ THƯ" and one recipient
  line; number 15-KH/HĐ, date 02/3/2020 (the plan schedules study in 7/2020 and names "Thị
  đoàn", which exist from 01/02/2020; the inter-hamlet branch it prompts is founded 26/3/2020),
  the signer's name (Võ Minh Tâm, illustrative) and the customary recipients above "BCH các
  cơ sở Đoàn trực thuộc" are assigned.
- seed 004, Tỉnh đoàn Tây Ninh, KH 2020 — signer from the seed (Hoàng Thị Thanh Thúy, BÍ THƯ);
  number 12-KH/TĐTN-VP and date 14/02/2020 (measures due from 3/2020) are assigned.

Units are looked up by name in the demo tree (doanvu/demo/demo_data.py).

Recipients: the line of each plan that names the lower units ("Các tỉnh, thành đoàn, đoàn trực
thuộc", "BCH các cơ sở Đoàn trực thuộc") is a group of the issuer's sub-units, so those units
receive the plan as an incoming document (văn bản đến) — expanded as the tree stood on the
plan's date; the plan still prints that line in its place. Every other line stays free text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.resources import files

from doanvu.common.typing import Actor
from doanvu.org.models import Department, Unit

from . import markup, services
from .addressing import Address
from .models import Document, DocumentType, RecipientGroup

D = dt.date


@dataclass(frozen=True)
class SeedDocument:
    seed: str  # "000" … "004"
    unit: str  # issuing unit's name in the demo tree
    department: str  # department short name ("" = none)
    doc_type: str  # DocumentType code
    number: int
    issued_on: dt.date
    header_upper: str
    header_body: str
    body_code: str
    place: str
    title: str
    legal_bases: tuple[str, ...]
    closing: tuple[str, ...]
    recipients: tuple[str, ...]
    signer_on_behalf: str
    signer_title: str
    signer_name: str
    # the recipients line that is a group of the issuer's sub-units, and which group
    to_units: str = ""
    to_group: str = RecipientGroup.ALL

    def body_text(self) -> str:
        return (files("doanvu.documents.seed_texts") / f"seed_{self.seed}_body.txt").read_text(
            encoding="utf-8")


SEEDS: tuple[SeedDocument, ...] = (
    SeedDocument(
        seed="000", unit="Trung ương Đoàn", department="BKT", doc_type="ke_hoach", number=41,
        issued_on=D(2020, 2, 14), header_upper="BAN CHẤP HÀNH TRUNG ƯƠNG",
        header_body="BAN BÍ THƯ", body_code="TWĐTN", place="Hà Nội",
        title=("Kiểm tra, đi cơ sở của Ban Bí thư Trung ương Đoàn năm 2020 và khảo sát, đánh "
               "giá giữa nhiệm kỳ triển khai thực hiện Nghị quyết Đại hội Đoàn toàn quốc lần "
               "thứ XI (2017 - 2022)"),
        legal_bases=(
            "Căn cứ Quy chế làm việc của Ban Chấp hành Trung ương Đoàn TNCS Hồ Chí Minh khóa XI;",
            "Thực hiện Chương trình công tác đoàn và phong trào thanh thiếu nhi năm 2020;",
            "Căn cứ Kế hoạch số 217-KH/TWĐTN-VP ngày 31/7/2019 về đánh giá giữa nhiệm kỳ triển "
            "khai thực hiện Nghị quyết Đại hội Đoàn toàn quốc lần thứ XI (2017 - 2022) của Ban "
            "Chấp hành Trung ương Đoàn,",
        ),
        closing=(),
        recipients=(
            "Đ/c Trần Quốc Vượng, UV BCT, Thường trực BBT TW Đảng (để báo cáo);",
            "Đ/c Trương Thị Mai, UV BCT, Bí thư TW Đảng, Trưởng ban Dân vận TW (để báo cáo);",
            "Đ/c Trần Cẩm Tú, Bí thư TW Đảng, Chủ nhiệm UBKT TW (để báo cáo);",
            "Các ban: Tuyên giáo, Dân vận, Tổ chức, UBKT, VP Trung ương Đảng (để báo cáo);",
            "Các đ/c UV BCH TW Đoàn;",
            "Các ban, đơn vị khối phong trào TW Đoàn;",
            "Các tỉnh, thành đoàn, đoàn trực thuộc;",
            "Lưu BKT, VP.",
        ),
        signer_on_behalf="TM. BAN BÍ THƯ TRUNG ƯƠNG ĐOÀN", signer_title="BÍ THƯ THƯỜNG TRỰC",
        signer_name="Nguyễn Anh Tuấn", to_units="Các tỉnh, thành đoàn, đoàn trực thuộc;",
    ),
    SeedDocument(
        seed="001", unit="Thành đoàn TP. Hồ Chí Minh", department="VP", doc_type="ke_hoach",
        number=215, issued_on=D(2020, 10, 26),
        header_upper="BAN CHẤP HÀNH TP. HỒ CHÍ MINH", header_body="", body_code="TĐTN",
        place="TP. Hồ Chí Minh",
        title=("Kiểm tra, đánh giá, phân loại và xếp hạng thi đua công tác Đoàn và phong trào "
               "thanh thiếu nhi thành phố năm 2020"),
        legal_bases=(),
        closing=(
            "Ban Thường vụ Thành đoàn đề nghị các Ban - Văn phòng, các đơn vị sự nghiệp và các "
            "cơ sở Đoàn khu vực Quận - Huyện, Công nhân lao động, Lực lượng vũ trang trực thuộc "
            "Thành đoàn thực hiện tốt nội dung kế hoạch.",
        ),
        recipients=(
            "Trung ương Đoàn: Ban TNTH, VP, Phòng Công tác phía Nam;",
            "Ban Dân vận Thành ủy;",
            "Thành đoàn: Thường trực, các Ban - VP;",
            "Các ĐVSN trực thuộc Thành đoàn;",
            "Cấp ủy các cơ sở Đoàn khu vực Quận - Huyện, CNLĐ, LLVT;",
            "Các cơ sở Đoàn khu vực Quận - Huyện, CNLĐ, LLVT;",
            "Lưu (VT-LT).",
        ),
        signer_on_behalf="TM. BAN THƯỜNG VỤ THÀNH ĐOÀN", signer_title="BÍ THƯ",
        signer_name="Phan Thị Thanh Phương",
        to_units="Các cơ sở Đoàn khu vực Quận - Huyện, CNLĐ, LLVT;",
    ),
    SeedDocument(
        seed="002", unit="Tỉnh đoàn Tây Ninh", department="TCKT", doc_type="ke_hoach", number=45,
        issued_on=D(2018, 4, 18), header_upper="BCH ĐOÀN TỈNH TÂY NINH", header_body="",
        body_code="TĐTN", place="Tây Ninh",
        title=("Đi công tác cơ sở của cán bộ đoàn cấp tỉnh và cấp huyện, thành phố "
               "(giai đoạn 2018 – 2022)"),
        legal_bases=(
            "Căn cứ Hướng dẫn số 03-HD/TWĐTN-BTC, ngày 21/3/2018 của Ban Bí thư Trung ương Đoàn "
            "TNCS Hồ Chí Minh về chế độ đi công tác cơ sở của cán bộ đoàn cấp trung ương và cấp "
            "tỉnh;",
            "Thực hiện Nghị quyết Đại hội đại biểu Đoàn TNCS Hồ Chí Minh tỉnh Tây Ninh lần thứ "
            "XIII, nhiệm kỳ 2017-2022; Chương trình hành động thực hiện Nghị quyết Đại hội Đại "
            "biểu Đoàn TNCS Hồ Chí Minh tỉnh Tây Ninh lần thứ XIII.",
        ),
        closing=(
            "Trên đây là Kế hoạch của Ban Thường vụ Tỉnh đoàn về đi công tác cơ sở của cán bộ "
            "đoàn cấp tỉnh và cấp huyện, thành phố, giai đoạn 2018 – 2022. Đề nghị các ban, văn "
            "phòng Tỉnh đoàn, Ban Thường vụ các huyện, thành đoàn nghiêm túc triển khai thực "
            "hiện.",
        ),
        recipients=(
            "Ban Bí thư TW Đoàn;",
            "Đ/c Bùi Quang Huy – BT.BCHTWĐ;",
            "Ban TNTHTWĐ, BTCTWĐ;",
            "Thường trực Tỉnh ủy;",
            "Đ/c Nguyễn Minh Triều – Trưởng BDVTU;",
            "BDV; BTC; UBKT TU;",
            "CBCC Tỉnh đoàn;",
            "Huyện, thành đoàn và đoàn trực thuộc;",
            "Lưu VP, Ban TCKT.",
        ),
        signer_on_behalf="TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", signer_title="PHÓ BÍ THƯ",
        signer_name="Trần Lê Duy", to_units="Huyện, thành đoàn và đoàn trực thuộc;",
    ),
    SeedDocument(
        seed="003", unit="Huyện đoàn Dương Minh Châu", department="", doc_type="ke_hoach",
        number=15, issued_on=D(2020, 3, 2), header_upper="BCH ĐOÀN TỈNH TÂY NINH",
        header_body="BCH HUYỆN ĐOÀN DƯƠNG MINH CHÂU", body_code="HĐ",
        place="Dương Minh Châu",
        title=("Nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn dân cư "
               "giai đoạn 2019-2022"),
        legal_bases=(
            "Thực hiện Kết luận số 08-KL/TWĐTN-BTC ngày 05/3/2019 của Ban Chấp hành Trung ương "
            "Đoàn khóa XI về các giải pháp nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn "
            "trên địa bàn dân cư giai đoạn 2019-2022.",
        ),
        closing=(
            "Trên đây là kế hoạch nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn "
            "dân cư giai đoạn 2019-2022./.",
        ),
        recipients=(
            "Ban Thường vụ Tỉnh đoàn (b/c);",
            "Thường trực Huyện ủy (b/c);",
            "BCH các cơ sở Đoàn trực thuộc;",
            "Lưu VP.",
        ),
        signer_on_behalf="TM. BAN THƯỜNG VỤ HUYỆN ĐOÀN", signer_title="PHÓ BÍ THƯ",
        signer_name="Võ Minh Tâm", to_units="BCH các cơ sở Đoàn trực thuộc;",
        to_group=RecipientGroup.GRASSROOTS,
    ),
    SeedDocument(
        seed="004", unit="Tỉnh đoàn Tây Ninh", department="VP", doc_type="ke_hoach", number=12,
        issued_on=D(2020, 2, 14), header_upper="BCH ĐOÀN TỈNH TÂY NINH", header_body="",
        body_code="TĐTN", place="Tây Ninh",
        title=("Tiếp tục khắc phục khuyết điểm của tập thể Ban Thường vụ Tỉnh đoàn theo Nghị "
               "quyết Trung ương 4 (XII) năm 2020"),
        legal_bases=(
            "Thực hiện Kế hoạch số 352-KH/TĐTN-VP ngày 09/6/2017 của Ban Thường vụ Tỉnh đoàn "
            "thực hiện Nghị quyết số 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng "
            "khóa XII về “Tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái "
            "về tư tưởng chính trị, đạo đức, lối sống, những biểu hiện “tự diễn biến”, “tự "
            "chuyển hóa” trong nội bộ”.",
        ),
        closing=(
            "Trên đây là Kế hoạch khắc phục khuyết điểm, hạn chế của tập thể Ban Thường vụ Tỉnh "
            "đoàn năm 2020.",
        ),
        recipients=(
            "BBT TW Đoàn;",
            "Đ/c Bùi Quang Huy – Bí thư TW Đoàn;",
            "VP I, II TWĐ;",
            "Ban TNTH TWĐ;",
            "BTG, UBKT TWĐ;",
            "Thường trực Tỉnh ủy;",
            "Đ/c Nguyễn Văn Hợp – Trưởng BTV TU, Chủ tịch UBMTTQVN tỉnh;",
            "Các cơ quan tham mưu Tỉnh ủy;",
            "UV.BCH TĐ;",
            "Các Ban, đơn vị TTTĐ;",
            "Các huyện, thành Đoàn và Đoàn trực thuộc;",
            "Lưu VT.",
        ),
        signer_on_behalf="TM. BAN THƯỜNG VỤ TỈNH ĐOÀN", signer_title="BÍ THƯ",
        signer_name="Hoàng Thị Thanh Thúy", to_units="Các huyện, thành Đoàn và Đoàn trực thuộc;",
    ),
)


def seed(code: str) -> SeedDocument:
    return next(s for s in SEEDS if s.seed == code)


def load_seed_documents(*, actor: Actor | None = None) -> list[Document]:
    """Register the five seed plans as issued documents; skip any already there."""
    types = {t.code: t for t in DocumentType.objects.all()}
    made: list[Document] = []
    for s in SEEDS:
        unit = Unit.objects.get(name=s.unit)
        doc_type = types[s.doc_type]
        existing = Document.objects.filter(issuing_unit=unit, doc_type=doc_type,
                                           year=s.issued_on.year, number=s.number).first()
        if existing is not None:
            made.append(existing)
            continue
        department = (Department.objects.get(unit=unit, short_name=s.department)
                      if s.department else None)
        assert not s.to_units or s.to_units in s.recipients, s.seed
        addresses = ([Address(unit=unit, group=s.to_group, label=s.to_units)]
                     if s.to_units else [])
        made.append(services.document_register_issued(
            actor=actor, issuing_unit=unit, doc_type=doc_type, number=s.number,
            issued_on=s.issued_on, title=s.title, department=department,
            header_upper=s.header_upper, header_body=s.header_body, body_code=s.body_code,
            place=s.place, legal_bases=s.legal_bases, body=markup.parse_body(s.body_text()),
            closing=s.closing, recipients=[r for r in s.recipients if r != s.to_units],
            addresses=addresses, signer_on_behalf=s.signer_on_behalf,
            signer_title=s.signer_title, signer_name=s.signer_name,
        ))
    return made
