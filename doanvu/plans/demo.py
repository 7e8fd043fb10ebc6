"""The plans demo (issue 14): seeds 003 and 004 structured beside the documents the documents demo
registers (15-KH/HĐ of Huyện đoàn Dương Minh Châu, 12-KH/TĐTN-VP of Tỉnh đoàn Tây Ninh).

- Seed 003: its basis (Kết luận 08-KL/TWĐTN-BTC, not in the system: a text), purposes and
  requirements, organisation of implementation, the six solutions with tasks taken from their
  bullets (deadlines as the plan writes them: "tháng 7/2020", "thường xuyên", "6 tháng đầu năm
  2020"; the ones the seed leaves open are the demo's), and the communes' implementing plans
  due 31/03/2020 (§IV.2 "Các cơ sở Đoàn trực thuộc: xây dựng kế hoạch tổ chức thực hiện"; the
  date is the demo's): Đoàn xã Suối Đá issued on time, Đoàn xã Phan late, the others none. The
  district was dissolved on 1/7/2025, so its duties and tasks carry no hub obligation.
- Seed 004: its basis (Kế hoạch 352-KH/TĐTN-VP, a text), the three solution groups led by Văn
  phòng, Ban Tổ chức – Kiểm tra and Ban Phong trào with their tasks and deadlines ("tháng
  03/2020", "quý I/2020", "định kỳ" as thường xuyên); progress is the demo's: two tasks are
  left late, so they stand in "Việc của tôi" of those departments.
- PLAN-3: Tây Ninh's lead-time policy from seed 004 (văn bản chỉ đạo ban hành trước ít nhất 01
  tuần, i.e. 7 days, from the plan's date) and three directives of 2020 — in time, an urgent
  one from Trung ương Đoàn (the exception, with its reason), and one issued short. The
  directives themselves are illustrative.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_register_issued
from doanvu.org.models import Department, Unit

from . import services
from .models import Plan

D = dt.date
DMC = "Huyện đoàn Dương Minh Châu"
TAY_NINH = "Tỉnh đoàn Tây Ninh"

DMC_BASIS = ("Thực hiện Kết luận số 08-KL/TWĐTN-BTC ngày 05/03/2019 của Ban Chấp hành Trung ương "
             "Đoàn khóa XI về các giải pháp nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên "
             "địa bàn dân cư giai đoạn 2019-2022.")
DMC_PURPOSES = (
    "Cụ thể hóa các nội dung, giải pháp theo Kết luận của Trung ương Đoàn trong việc thực hiện "
    "các giải pháp nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên địa bàn dân cư.\n"
    "Xác định rõ trách nhiệm của các cấp bộ Đoàn, các đơn vị có liên quan và lộ trình thực hiện "
    "các nội dung, giải pháp sát với yêu cầu thực tiễn.\n"
    "Thực hiện đồng bộ, hiệu quả các giải pháp nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn "
    "trên địa bàn dân cư và khắc phục những hạn chế về công tác tổ chức cơ sở Đoàn trên địa bàn "
    "dân cư đã được chỉ ra trong Kết luận.")
DMC_ORGANISATION = (
    "1. Cấp huyện: xây dựng kế hoạch tổ chức thực hiện hiệu quả, đồng bộ các giải pháp đã được "
    "xác định. UBKT Huyện đoàn định kỳ hàng năm có kiểm tra chuyên đề xây dựng tổ chức cơ sở "
    "Đoàn trên địa bàn dân cư. Định kỳ báo cáo cho Ban Thường vụ Tỉnh đoàn theo quy định.\n"
    "2. Các cơ sở Đoàn trực thuộc: xây dựng kế hoạch tổ chức thực hiện hiệu quả, tăng cường công "
    "tác kiểm tra, giám sát và định kỳ sơ, tổng kết đánh giá kết quả thực hiện.")
S1 = "1. Tổ chức học tập, phổ biến và quán triệt Kết luận số 08-KL/TWĐTN-BTC"
S2 = "2. Nâng cao chất lượng công tác cán bộ Đoàn các tổ chức cơ sở Đoàn trên địa bàn dân cư"
S3 = "3. Phát triển, nâng cao chất lượng đoàn viên"
S4 = ("4. Đổi mới nội dung, phương thức hoạt động, gắn với củng cố tổ chức, bộ máy tổ chức cơ sở "
      "Đoàn trên địa bàn dân cư")
S5 = ("5. Công tác chỉ đạo và tham mưu, phối hợp trong củng cố và nâng cao chất lượng hoạt động "
      "Đoàn trên địa bàn dân cư")
S6 = "6. Kiểm tra, giám sát và sơ, tổng kết"
COMMUNES = "Các cơ sở Đoàn trực thuộc"
# (solution, task, lead is the district itself, partners, deadline, progress)
DMC_TASKS: tuple[tuple[str, str, bool, str, str, int], ...] = (
    (S1, "Tổ chức học tập, quán triệt Nghị quyết, Kết luận trong cán bộ Đoàn chuyên trách cấp "
     "huyện và cán bộ các cơ sở Đoàn.", True, COMMUNES, "tháng 7/2020", 100),
    (S1, "Tiếp tục học tập, phổ biến, quán triệt và triển khai thực hiện các văn bản của Ban chấp "
     "hành Trung ương Đoàn, Ban Thường vụ Tỉnh đoàn về nâng cao chất lượng hoạt động tổ chức cơ "
     "sở Đoàn.", True, COMMUNES, "thường xuyên", 50),
    (S2, "Thường xuyên rà soát, đánh giá tiêu chuẩn, năng lực, việc kiêm nhiệm của cán bộ Đoàn "
     "cấp cơ sở; cử tham gia các lớp đào tạo, tập huấn, bồi dưỡng.", True, "", "thường xuyên",
     50),
    (S2, "Xây dựng, định hướng nội dung bồi dưỡng, tập huấn cho cán bộ chi đoàn trên địa bàn dân "
     "cư hằng năm.", True, "", "năm 2020", 100),
    (S2, "Tổ chức hội thi, liên hoan Bí thư chi đoàn, cán bộ Đoàn cơ sở giỏi.", True, COMMUNES,
     "năm 2021", 100),
    (S3, "Triển khai, hướng dẫn việc thực hiện Chương trình Rèn luyện đoàn viên; kiểm tra, chấn "
     "chỉnh việc đánh giá, phân loại đoàn viên hằng năm.", True, COMMUNES, "thường xuyên", 60),
    (S3, "Triển khai thực hiện chủ trương “1+1” – mỗi đoàn viên giới thiệu ít nhất một thanh "
     "niên tham gia tổ chức Đoàn, Hội.", False, COMMUNES, "thường xuyên", 40),
    (S4, "Rà soát thực trạng Chi đoàn khu, ấp; sắp xếp mô hình tổ chức chi đoàn (chi đoàn liên "
     "ấp, phân đoàn) theo Điều lệ Đoàn.", True, COMMUNES, "quý II/2020", 100),
    (S5, "Định kỳ gặp gỡ Bí thư chi đoàn, đoàn viên thanh niên; giao ban với chi đoàn khu, ấp.",
     False, COMMUNES, "thường xuyên", 50),
    (S6, "Báo cáo sơ kết 6 tháng chất lượng tổ chức cơ sở Đoàn trên địa bàn dân cư.", True, "",
     "6 tháng đầu năm 2020", 100),
    (S6, "Kiểm tra chuyên đề xây dựng tổ chức cơ sở Đoàn trên địa bàn dân cư (UBKT Huyện đoàn).",
     True, COMMUNES, "năm 2020", 100),
    (S6, "Tổng kết thực hiện kế hoạch giai đoạn 2019-2022.", True, COMMUNES, "quý IV/2022", 70),
)
DMC_IMPLEMENTING_DUE = D(2020, 3, 31)
# (commune, number, date): the communes' implementing plans the demo registers
DMC_IMPLEMENTING = (("Đoàn xã Suối Đá", 3, D(2020, 3, 20)), ("Đoàn xã Phan", 2, D(2020, 4, 10)))

TN_BASIS = ("Thực hiện Kế hoạch số 352-KH/TĐTN-VP ngày 09/6/2017 của Ban Thường vụ Tỉnh đoàn "
            "thực hiện Nghị quyết số 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng "
            "khóa XII.")
TN_PURPOSES = (
    "Xác định các giải pháp cụ thể để từng bước khắc phục các hạn chế, khuyết điểm đã được xác "
    "định trong báo cáo kiểm điểm tập thể Ban Thường vụ Tỉnh đoàn năm 2019.\n"
    "Các giải pháp khắc phục đề ra phải phù hợp và sát với các hạn chế, khuyết điểm nhìn nhận "
    "trong năm 2019, có cơ sở để đánh giá đồng thời phải có lộ trình thực hiện, phân công phụ "
    "trách và định kỳ hàng tháng đánh giá việc thực hiện (kết hợp trong đánh giá UV.BTV).\n"
    "Là một trong những cơ sở để đánh giá tập thể, cá nhân hoàn thành nhiệm vụ năm 2020.")
TN_ORGANISATION = (
    "Các đồng chí Thường trực phụ trách các lĩnh vực chỉ đạo các ban, đơn vị trực thuộc liên quan "
    "tham mưu kế hoạch khắc phục khuyết điểm thuộc lĩnh vực phụ trách; thường xuyên kiểm tra và "
    "yêu cầu các ban, bộ phận báo cáo tiến độ thực hiện định kỳ hàng quý, 6 tháng và năm.\n"
    "Giao Văn phòng chủ trì tham mưu nhóm giải pháp 1; Ban Tổ chức - Kiểm tra chủ trì tham mưu "
    "nhóm giải pháp 2; Ban Phong trào chủ trì tham mưu nhóm giải pháp 3. Các ban có báo cáo đánh "
    "giá kết quả thực hiện gửi về Văn phòng trước ngày 01/11 để Văn phòng tổng hợp trình trong "
    "phiên họp Ban Thường vụ định kỳ tháng 12/2020.")
G1 = "1. Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác lãnh đạo, điều hành"
G2 = ("2. Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác tổ chức xây dựng Đoàn")
G3 = ("3. Nhóm giải pháp khắc phục hạn chế, khuyết điểm trong công tác tổ chức các hoạt động "
      "phong trào")
# (group, task, lead department symbol, partners, deadline, progress)
TN_TASKS: tuple[tuple[str, str, str, str, str, int], ...] = (
    (G1, "Duy trì việc đánh giá ủy viên Ban Thường vụ chuyên trách trong các phiên họp Ban Thường "
     "vụ định kỳ hàng tháng theo các tiêu chí cụ thể.", "VP", "", "thường xuyên", 25),
    (G1, "Nội dung các hoạt động cấp tỉnh được thông qua tập thể Thường trực cho ý kiến và các "
     "ban chuyên môn góp ý trước khi ban hành kế hoạch chính thức.", "VP",
     "Các ban chuyên môn", "thường xuyên", 25),
    (G1, "Các văn bản chỉ đạo cơ sở ban hành trước thời điểm các đơn vị triển khai thực hiện ít "
     "nhất 01 tuần (trừ các trường hợp gấp theo sự chỉ đạo của Trung ương Đoàn).", "VP",
     "Các ban chuyên môn", "thường xuyên", 25),
    (G2, "Phối hợp xây dựng phần mềm “Quản lý đoàn viên” mới, trình trong phiên họp Ban Thường "
     "vụ thường kỳ.", "TCKT", "Các đơn vị liên quan", "tháng 03/2020", 100),
    (G2, "Tập huấn 100% cán bộ Tỉnh đoàn, lãnh đạo các huyện, thành đoàn và Đoàn trực thuộc cách "
     "thức cập nhật, quản lý phần mềm để hướng dẫn, triển khai cho cơ sở.", "TCKT", "",
     "tháng 5/2020", 80),
    (G2, "Tổng rà soát, đánh giá lại thực trạng đội ngũ đoàn viên, hội viên, thanh niên, không để "
     "xảy ra tình trạng đoàn viên, hội viên “ảo”.", "TCKT", "", "tháng 04/2020", 100),
    (G2, "Phân công Thường trực, Ủy viên Ban Thường vụ, các ban, văn phòng phụ trách các huyện, "
     "thành đoàn và đoàn trực thuộc; đi cơ sở “1+2” và báo cáo định kỳ hàng quý.", "TCKT", "",
     "thường xuyên", 25),
    (G2, "Đánh giá, sơ kết mô hình “tuyên truyền trên xe buýt” làm cơ sở áp dụng tại một số đơn "
     "vị.", "TCKT", "", "quý I/2020", 100),
    (G2, "Chỉ đạo các cơ sở đoàn chăm lo cho thanh niên công nhân; khảo sát thanh niên công nhân "
     "và chủ nhà trọ; hướng đến thành lập chi hội, chi đoàn khu nhà trọ.", "TCKT",
     "Các ngành liên quan", "thường xuyên", 25),
    (G3, "Vận động nguồn lực bổ sung nguồn vốn “Hỗ trợ thanh niên khởi nghiệp”; ưu tiên các dự "
     "án khởi nghiệp sáng tạo.", "BPT", "Các doanh nghiệp trong và ngoài tỉnh", "thường xuyên",
     25),
    (G3, "Trao đổi với cấp ủy 02 huyện Trảng Bàng và Thành phố về giải pháp hỗ trợ huyện, thành "
     "đoàn thành lập nguồn vốn hỗ trợ thanh niên khởi nghiệp cấp huyện.", "BPT",
     "Thường trực Tỉnh đoàn", "tháng 3/2020", 60),
    (G3, "Phối hợp xây dựng phóng sự, bài viết về các gương thanh niên khởi nghiệp từ nguồn vốn "
     "hỗ trợ của tỉnh, huyện.", "BPT", "Đài Phát thanh và Truyền hình tỉnh", "thường xuyên", 25),
)
# (title, issued, act on, urgent source, urgent reason, short confirmed): illustrative
TN_DIRECTIVES: tuple[tuple[str, dt.date, dt.date, str, str, bool], ...] = (
    ("Hướng dẫn tổ chức Tháng Thanh niên năm 2020", D(2020, 2, 20), D(2020, 3, 1), "", "",
     False),
    ("Triển khai cao điểm tuổi trẻ tham gia phòng, chống dịch COVID-19", D(2020, 3, 27),
     D(2020, 3, 28), "Công văn khẩn của Ban Bí thư Trung ương Đoàn về phòng, chống dịch "
     "COVID-19 (3/2020)", "Trung ương Đoàn yêu cầu các tỉnh, thành đoàn triển khai ngay trong "
     "tuần.", False),
    ("Tổ chức Ngày hội đoàn viên năm 2020", D(2020, 5, 15), D(2020, 5, 18), "", "", True),
)


def _plan_document(unit: Unit, number: int, year: int) -> Document:
    return Document.objects.get(issuing_unit=unit, number=number, year=year,
                                doc_type__code="ke_hoach")


def _dmc(district: Unit) -> Plan:
    document = _plan_document(district, 15, 2020)
    plan = services.plan_save(actor=None, document=document, data=services.PlanInput(
        purposes=DMC_PURPOSES, organisation=DMC_ORGANISATION, basis_texts=[DMC_BASIS],
        implementing_due_on=DMC_IMPLEMENTING_DUE))
    for solution, text, own_lead, partners, deadline, progress in DMC_TASKS:
        task = services.task_create(actor=None, plan=plan, data=services.TaskInput(
            text=text, solution_title=solution, lead_unit=district if own_lead else None,
            partners=partners, deadline=deadline))
        if progress:
            services.task_progress(actor=None, task=task, progress=progress)
    plan_type = DocumentType.objects.get(code="ke_hoach")
    for name, number, on in DMC_IMPLEMENTING:
        commune = Unit.objects.get(name=name)  # moved under the province since 1/7/2025
        doc = document_register_issued(
            actor=None, issuing_unit=commune, doc_type=plan_type, number=number, issued_on=on,
            title=("Thực hiện Kế hoạch nâng cao chất lượng hoạt động tổ chức cơ sở Đoàn trên "
                   "địa bàn dân cư giai đoạn 2019-2022"),
            header_upper="BCH ĐOÀN HUYỆN DƯƠNG MINH CHÂU", header_body=f"BCH {name.upper()}",
            body_code="ĐTN", place="Dương Minh Châu", signer_on_behalf="TM. BAN CHẤP HÀNH",
            signer_title="BÍ THƯ", signer_name="Nguyễn Văn Bình",
            recipients=["Ban Thường vụ Huyện đoàn (b/c);", "Các chi đoàn trực thuộc;",
                        "Lưu VP."])
        services.plan_save(actor=None, document=doc, data=services.PlanInput(
            basis_documents=[document], purposes="Cụ thể hóa kế hoạch của Huyện đoàn tại xã."))
    return plan


def _tay_ninh(province: Unit) -> Plan:
    document = _plan_document(province, 12, 2020)
    plan = services.plan_save(actor=None, document=document, data=services.PlanInput(
        purposes=TN_PURPOSES, organisation=TN_ORGANISATION, basis_texts=[TN_BASIS]))
    departments = {d.short_name: d for d in Department.objects.filter(unit=province)}
    for group, text, lead, partners, deadline, progress in TN_TASKS:
        task = services.task_create(actor=None, plan=plan, data=services.TaskInput(
            text=text, solution_title=group, lead_department=departments[lead],
            partners=partners, deadline=deadline))
        if progress:
            services.task_progress(actor=None, task=task, progress=progress)
        if progress == 100 and lead == "TCKT" and "phần mềm" in text:
            services.evidence_add(actor=None, task=task, name="Tờ trình phần mềm quản lý đoàn viên",
                                  file=ContentFile(b"%PDF-1.4 demo", name="to-trinh.pdf"))
    policy = services.lead_time_policy_create(
        actor=None, issuing_unit=province,
        name="Văn bản chỉ đạo cơ sở ban hành trước ít nhất 01 tuần", lead_days=7,
        valid_from=document.issued_on or D(2020, 2, 14),
        source=f"Kế hoạch số {document.symbol}, mục III.1")
    assert policy.lead_days == 7
    for title, issued, act, source, reason, confirm in TN_DIRECTIVES:
        services.directive_register(actor=None, unit=province, title=title, issued_on=issued,
                                    act_on=act, urgent=bool(reason), urgent_source=source,
                                    urgent_reason=reason, confirm_short=confirm)
    return plan


def load_demo_plans() -> list[Plan]:
    """Seeds 003 and 004 structured (after the documents and targets demos)."""
    if Plan.objects.exists():
        return list(Plan.objects.all())
    return [_dmc(Unit.objects.get(name=DMC)), _tay_ninh(Unit.objects.get(name=TAY_NINH))]
