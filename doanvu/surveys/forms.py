"""Forms of survey pages; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doanvu.common.forms import FilePickerInput, VNDateField, VNForm
from doanvu.fieldvisits.models import Campaign as FieldVisitCampaign
from doanvu.inspections.models import Round
from doanvu.org.models import Cluster, Department, Unit

from . import rules
from .models import Audience, Campaign


class CampaignForm(VNForm):
    name = forms.CharField(label=_("Tên đợt khảo sát"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=1900, max_value=2200,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    description = forms.CharField(label=_("Mục đích, yêu cầu"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    report_due_on = VNDateField(
        label=_("Hạn nộp báo cáo tổng hợp"), required=False,
        help_text=_("Ngày Văn phòng phải nộp báo cáo tổng hợp (đánh giá giữa nhiệm kỳ) cho "
                    "lãnh đạo đơn vị; để trống nếu chưa định."))


class _UnitChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ThemeForm(VNForm):
    number = forms.IntegerField(label=_("Chuyên đề số"), min_value=1, max_value=99,
                                required=False,
                                help_text=_("Để trống: số tiếp theo của đợt khảo sát."))
    title = forms.CharField(label=_("Tên chuyên đề"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    lead_department = forms.ModelChoiceField(label=_("Ban chủ trì"),
                                             queryset=Department.objects.none())
    units = _UnitChoice(label=_("Đơn vị được khảo sát"), queryset=Unit.objects.none(),
                        required=False, widget=forms.CheckboxSelectMultiple)
    cluster = forms.ModelChoiceField(label=_("Hoặc thêm cả một cụm"), required=False,
                                     queryset=Cluster.objects.none(),
                                     help_text=_("Các đơn vị của cụm được thêm vào danh sách."))
    opens_on = VNDateField(label=_("Nhận trả lời từ ngày"))
    closes_on = VNDateField(label=_("Nhận trả lời đến ngày"))
    due_on = VNDateField(label=_("Hạn trả lời"),
                         help_text=_("Trả lời sau hạn (trong thời gian nhận) được tính là muộn."))
    report_due_on = VNDateField(
        label=_("Hạn nộp báo cáo chuyên đề"), required=False,
        help_text=_("Ngày ban chủ trì phải nộp báo cáo chuyên đề cho Văn phòng; không sớm hơn "
                    "ngày kết thúc nhận trả lời."))
    inspection_round = forms.ModelChoiceField(label=_("Kết hợp với đợt kiểm tra"),
                                              required=False, queryset=Round.objects.none())
    fieldvisit_campaign = forms.ModelChoiceField(label=_("Kết hợp với đợt đi cơ sở"),
                                                 required=False,
                                                 queryset=FieldVisitCampaign.objects.none())

    def __init__(self, *args: Any, campaign: Campaign, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["lead_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            unit=campaign.unit).order_by("name")
        f["units"].queryset = units  # type: ignore[attr-defined]
        f["cluster"].queryset = Cluster.objects.filter(  # type: ignore[attr-defined]
            owner=campaign.unit).order_by("name")
        f["inspection_round"].queryset = Round.objects.filter(  # type: ignore[attr-defined]
            plan__issuing_unit=campaign.unit).order_by("-window_start")
        f["fieldvisit_campaign"].queryset = FieldVisitCampaign.objects.filter(  # type: ignore[attr-defined]
            unit=campaign.unit).order_by("-start_date")


class QuestionnaireForm(VNForm):
    title = forms.CharField(label=_("Tên phiếu"), max_length=300)
    intro = forms.CharField(label=_("Lời dẫn"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("Gửi tới"), choices=Audience.choices,
                                 widget=forms.RadioSelect)
    named = forms.BooleanField(
        label=_("Ghi tên người trả lời"), required=False,
        help_text=_("Chỉ cho phiếu gửi đoàn viên. Không đánh dấu: phiếu ẩn danh, không ai biết "
                    "ai trả lời gì."))


class PaperPersonForm(VNForm):
    """The member whose paper answer a branch secretary enters (a named questionnaire)."""

    person = forms.ChoiceField(label=_("Đoàn viên"))

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *((str(pk), name) for pk, name in members)]


def _lines(value: str) -> list[str]:
    return [s.strip() for s in (value or "").splitlines() if s.strip()]


class QuestionForm(VNForm):
    kind = forms.ChoiceField(label=_("Loại câu hỏi"), choices=list(rules.KINDS.items()))
    text = forms.CharField(label=_("Nội dung câu hỏi"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Bắt buộc trả lời"), required=False)
    section = forms.CharField(label=_("Thuộc phần"), max_length=200, required=False,
                              help_text=_("Các câu liền nhau cùng tên phần được gộp một phần."))
    options = forms.CharField(label=_("Các lựa chọn (chọn một, chọn nhiều)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Mỗi dòng một lựa chọn."))
    minimum = forms.CharField(label=_("Nhỏ nhất (số, thang điểm)"), required=False,
                              max_length=20)
    maximum = forms.CharField(label=_("Lớn nhất (số, thang điểm)"), required=False,
                              max_length=20)
    rows = forms.CharField(label=_("Các dòng (bảng số liệu)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Mỗi dòng một chỉ tiêu."))
    cols = forms.CharField(label=_("Các cột (bảng số liệu)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Mỗi dòng một cột, ví dụ: Năm 2018, Năm 2019."))
    condition_code = forms.ChoiceField(label=_("Chỉ hỏi khi câu"), required=False, choices=())
    condition_value = forms.CharField(label=_("có câu trả lời là"), required=False,
                                      max_length=300)

    def __init__(self, *args: Any, questions: list[rules.Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition_code"].choices = [  # type: ignore[attr-defined]
            ("", _("(luôn hỏi)")),
            *[(q.code, q.label) for q in questions if q.kind in rules.CHOICE_KINDS]]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"kind": d["kind"], "text": d["text"], "required": d["required"],
                "section": d["section"], "options": _lines(d["options"]),
                "minimum": d["minimum"], "maximum": d["maximum"], "rows": _lines(d["rows"]),
                "cols": _lines(d["cols"]), "condition_code": d["condition_code"],
                "condition_value": d["condition_value"]}


class RemoveQuestionForm(VNForm):
    code = forms.CharField(max_length=20, widget=forms.HiddenInput)


class ReopenForm(VNForm):
    reason = forms.CharField(label=_("Lý do mở lại"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(VNForm):
    """The fields of one version's questions (all optional here: rules.check_answers decides).
    A table question has one field per cell, named "<code>__<row>__<col>"."""

    def __init__(self, *args: Any, questions: list[rules.Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.question_errors: dict[str, str] = {}
        for q in questions:
            attrs = {"aria-describedby": f"q-{q.code}-text"}
            if q.kind == rules.SINGLE:
                self.fields[q.code] = forms.ChoiceField(
                    label=q.text, required=False, choices=[(o, o) for o in q.options],
                    widget=forms.RadioSelect)
            elif q.kind == rules.MULTIPLE:
                self.fields[q.code] = forms.MultipleChoiceField(
                    label=q.text, required=False, choices=[(o, o) for o in q.options],
                    widget=forms.CheckboxSelectMultiple)
            elif q.kind == rules.SCALE:
                lo, hi = int(q.min or 0), int(q.max or 0)
                self.fields[q.code] = forms.ChoiceField(
                    label=q.text, required=False,
                    choices=[(str(p), str(p)) for p in range(lo, hi + 1)],
                    widget=forms.RadioSelect(attrs={"class": "scale"}))
            elif q.kind == rules.NUMBER:
                self.fields[q.code] = forms.CharField(
                    label=q.text, required=False, max_length=30,
                    widget=forms.TextInput(attrs={**attrs, "inputmode": "decimal"}))
            elif q.kind == rules.SHORT:
                self.fields[q.code] = forms.CharField(label=q.text, required=False,
                                                      widget=forms.TextInput(attrs=attrs))
            elif q.kind == rules.LONG:
                self.fields[q.code] = forms.CharField(
                    label=q.text, required=False,
                    widget=forms.Textarea(attrs={**attrs, "rows": 4}))
            elif q.kind == rules.TABLE:
                for r, row in enumerate(q.rows):
                    for c, col in enumerate(q.cols):
                        self.fields[f"{q.code}__{r}__{c}"] = forms.CharField(
                            label=f"{row} – {col}", required=False, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                          "class": "cell",
                                                          "aria-label": f"{row} – {col}"}))
            elif q.kind == rules.FILE:
                self.fields[q.code] = forms.FileField(label=q.text, required=False,
                                                      widget=FilePickerInput)

    @staticmethod
    def initial_from(questions: list[rules.Question], answers: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in questions:
            value = answers.get(q.code)
            if value is None:
                continue
            if q.kind == rules.TABLE and isinstance(value, dict):
                for key, cell in value.items():
                    r, _sep, c = key.partition("|")
                    out[f"{q.code}__{r}__{c}"] = cell
            elif q.kind != rules.FILE:
                out[q.code] = value
        return out

    def raw_answers(self) -> dict[str, Any]:
        """The answers as rules.check_answers reads them (only what was typed)."""
        d = self.cleaned_data
        raw: dict[str, Any] = {}
        for q in self.questions:
            if q.kind == rules.TABLE:
                raw[q.code] = {f"{r}|{c}": d.get(f"{q.code}__{r}__{c}") or ""
                               for r in range(len(q.rows)) for c in range(len(q.cols))}
            elif q.kind != rules.FILE:
                raw[q.code] = d.get(q.code)
        return raw

    def uploads(self) -> dict[str, Any]:
        return {q.code: self.cleaned_data[q.code] for q in self.questions
                if q.kind == rules.FILE and self.cleaned_data.get(q.code)}

    def blocks(self) -> list[dict[str, Any]]:
        """The questions in order with their bound fields (a table's as rows of cells) and the
        section title where a new section starts, for the template."""
        out: list[dict[str, Any]] = []
        section = None
        for q in self.questions:
            block: dict[str, Any] = {"q": q, "new_section": q.section != section and q.section,
                                     "error": self.question_errors.get(q.code, "")}
            section = q.section
            if q.kind == rules.TABLE:
                block["table"] = [(row, [self[f"{q.code}__{r}__{c}"]
                                         for c in range(len(q.cols))])
                                  for r, row in enumerate(q.rows)]
            else:
                block["field"] = self[q.code]
            out.append(block)
        return out
