"""SUR-3: the thematic report a theme's lead department drafts from the tabulation, and the
mid-term review report the Office compiles from the thematic reports — both drafts of numbered
documents (documents app: the number comes when the document is issued)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from doanvu.accounts.scope import Scope
from doanvu.common.dates import format_date
from doanvu.common.typing import Actor
from doanvu.documents import markup
from doanvu.documents.models import Document, DocumentType
from doanvu.documents.services import document_create
from doanvu.org.models import Department, DepartmentCategory

from . import permissions, rules, selectors
from .models import Audience, Campaign, Theme
from .rules import SurveyError
from .tabulate import QuestionTable


def _figures(t: QuestionTable) -> list[str]:
    q = t.question
    lines = [_("{q}: {n} phiếu trả lời.").format(q=q.label, n=t.answered)]
    if t.options:
        lines += [_("- {o}: {c} phiếu ({p}%).").format(o=o.option, c=o.count, p=o.percent)
                  for o in t.options]
    elif t.mean is not None:
        lines.append(_("- Trung bình {m}, thấp nhất {lo}, cao nhất {hi}.").format(
            m=t.mean, lo=t.minimum, hi=t.maximum))
    elif q.kind == rules.TABLE:
        for r, row in enumerate(q.rows):
            cells = ", ".join(f"{col}: {t.cell(r, c)}" for c, col in enumerate(q.cols))
            lines.append(f"- {row}: {cells}.")
    elif t.texts:
        lines += [f"- {unit}: {text}" for unit, text in t.texts[:20]]
    return lines


def _doc_type() -> DocumentType:
    found = DocumentType.objects.filter(code="bao_cao").first()
    if found is None:
        raise SurveyError(_("Chưa có loại văn bản Báo cáo trong danh mục."))
    return found


def theme_body(theme: Theme) -> str:
    """The thematic report's text: how many units answered (on time, late, missing) and each
    question's figures, from the tabulation of the theme's unit questionnaires."""
    out = [_("I. TÌNH HÌNH KHẢO SÁT")]
    out.append(_("Chuyên đề “{title}” được khảo sát tại {n} đơn vị từ {a} đến {b}.").format(
        title=theme.title, n=theme.units.count(), a=format_date(theme.opens_on),
        b=format_date(theme.closes_on)))
    out.append(_("II. KẾT QUẢ KHẢO SÁT"))
    for q in theme.questionnaires.filter(audience=Audience.UNITS).order_by("pk"):
        rows = selectors.collection(questionnaire=q, day=theme.closes_on)
        c = selectors.collection_counts(rows)
        out.append(_("{title}: {a} đơn vị nộp đúng hạn, {b} nộp muộn, {m} chưa nộp.").format(
            title=q.title, a=c["on_time"], b=c["late"], m=c["missing"] + c["pending"]))
        for t in selectors.tabulation(questionnaire=q).tables:
            out += _figures(t)
    out.append(_("III. ĐÁNH GIÁ, ĐỀ XUẤT"))
    out.append(_("(Ban chủ trì bổ sung đánh giá và đề xuất.)"))
    return "\n".join(out)


@transaction.atomic
def theme_report_draft(*, scope: Scope, actor: Actor | None, theme: Theme) -> Document:
    """The lead department's thematic report, drafted from the tabulation (once)."""
    if not permissions.can_lead(scope, theme):
        raise SurveyError(_("Chỉ {dept} mới lập được báo cáo chuyên đề này.").format(
            dept=theme.lead_department.name))
    if theme.report_id is not None:
        raise SurveyError(_("Chuyên đề đã có báo cáo."))
    doc = document_create(
        actor=actor, issuing_unit=theme.campaign.unit, doc_type=_doc_type(),
        department=theme.lead_department,
        title=_("Kết quả khảo sát chuyên đề {n}: {title}").format(
            n=theme.number, title=theme.title)[:500],
        body=markup.parse_body(theme_body(theme)))
    theme.report = doc
    theme.save(update_fields=["report"])
    return doc


def office_of(campaign: Campaign) -> Department | None:
    return (Department.objects.filter(unit=campaign.unit, category=DepartmentCategory.OFFICE)
            .order_by("pk").first())


@transaction.atomic
def review_report_draft(*, scope: Scope, actor: Actor | None, campaign: Campaign) -> Document:
    """The Office's mid-term review report (báo cáo đánh giá giữa nhiệm kỳ), compiled from the
    thematic reports: each theme with its lead, collection and report (once)."""
    office = office_of(campaign)
    if office is None:
        raise SurveyError(_("{unit} chưa có Văn phòng để tổng hợp báo cáo.").format(
            unit=campaign.unit.name))
    if not scope.can(permissions.WRITE, campaign.unit, department_id=office.pk):
        raise SurveyError(_("Chỉ {dept} mới tổng hợp được báo cáo này.").format(
            dept=office.name))
    if campaign.report_id is not None:
        raise SurveyError(_("Đợt khảo sát đã có báo cáo tổng hợp."))
    out = [_("I. KẾT QUẢ CÁC CHUYÊN ĐỀ")]
    for theme in campaign.themes.select_related("lead_department", "report").order_by("number"):
        out.append(_("{n}. Chuyên đề {n}: {title}").format(n=theme.number, title=theme.title))
        out.append(_("Ban chủ trì: {dept}; {k} đơn vị được khảo sát.").format(
            dept=theme.lead_department.name, k=theme.units.count()))
        if theme.report is not None:
            out.append(_("Báo cáo chuyên đề: {symbol} “{title}”.").format(
                symbol=theme.report.symbol or _("(dự thảo)"), title=theme.report.title))
        else:
            out.append(_("Chưa có báo cáo chuyên đề."))
    out.append(_("II. ĐÁNH GIÁ CHUNG VÀ PHƯƠNG HƯỚNG NỬA CUỐI NHIỆM KỲ"))
    out.append(_("(Văn phòng bổ sung đánh giá chung.)"))
    doc = document_create(
        actor=actor, issuing_unit=campaign.unit, doc_type=_doc_type(), department=office,
        title=_("Báo cáo đánh giá giữa nhiệm kỳ: {name}").format(name=campaign.name)[:500],
        body=markup.parse_body("\n".join(out)))
    campaign.report = doc
    campaign.save(update_fields=["report"])
    return doc
