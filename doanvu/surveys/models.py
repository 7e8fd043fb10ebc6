"""Thematic surveys (khảo sát chuyên đề) and the mid-term review (SUR-1 … SUR-3).

A `Campaign` of a unit (the 2020 mid-term review of Trung ương Đoàn) has `Theme`s, each with a
lead department, the units surveyed and a window. A theme's `Questionnaire` keeps its questions in
numbered `QuestionnaireVersion`s: an answer points at the version it answered, so changing the
questions after answers came in makes a new version and old answers keep theirs.

Sent to units, each unit answers once (`Response`, one per questionnaire and unit), through a hub
obligation owed to the lead department. Sent to members, answers are anonymous unless the
questionnaire is `named`: an `AnonymousAnswer` holds no person, no user and no time; a separate
`Respondent` row records that a person has answered, with nothing that links it to the answer
(docs/architecture.md, Surveys). A named questionnaire keeps one `NamedAnswer` per person (the
org Person, with the branch of their membership and who entered it), audited like any answer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    """Đợt khảo sát: a unit's survey campaign (the 2020 mid-term review)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị tổ chức"))
    name = models.CharField(_("tên đợt khảo sát"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    description = models.TextField(_("mục đích, yêu cầu"), blank=True)
    report = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("báo cáo đánh giá giữa nhiệm kỳ"))
    # SUR-3: the day the Office owes the compiled report to the unit's leadership (for Trung
    # ương Đoàn, the Secretariat); when set, a hub obligation carries it (report_obligation)
    report_due_on = models.DateField(_("hạn nộp báo cáo tổng hợp"), null=True, blank=True)
    report_obligation = models.ForeignKey("hub.Obligation", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("việc nộp báo cáo tổng hợp"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đợt khảo sát")
        ordering = ("-year", "name", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign_detail", args=[self.pk])


class Theme(models.Model):
    """Chuyên đề khảo sát: a title, the lead department that writes the thematic report, the units
    surveyed, the window answers are taken in and the day they are due."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes",
                                 verbose_name=_("đợt khảo sát"))
    number = models.PositiveSmallIntegerField(_("chuyên đề số"))
    title = models.CharField(_("tên chuyên đề"), max_length=500)
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("ban chủ trì"))
    units = models.ManyToManyField("org.Unit", related_name="+", blank=True,
                                   verbose_name=_("đơn vị được khảo sát"))
    opens_on = models.DateField(_("nhận trả lời từ ngày"))
    closes_on = models.DateField(_("nhận trả lời đến ngày"))
    due_on = models.DateField(_("hạn trả lời"))
    inspection_round = models.ForeignKey("inspections.Round", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("kết hợp với đợt kiểm tra"))
    fieldvisit_campaign = models.ForeignKey("fieldvisits.Campaign", on_delete=models.SET_NULL,
                                            null=True, blank=True, related_name="+",
                                            verbose_name=_("kết hợp với đợt đi cơ sở"))
    report = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("báo cáo chuyên đề"))
    # SUR-3: the day the lead department owes its thematic report to the Office; when set, a
    # hub obligation carries it (report_obligation)
    report_due_on = models.DateField(_("hạn nộp báo cáo chuyên đề"), null=True, blank=True)
    report_obligation = models.ForeignKey("hub.Obligation", on_delete=models.SET_NULL,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("việc nộp báo cáo chuyên đề"))

    class Meta:
        verbose_name = _("chuyên đề khảo sát")
        ordering = ("campaign_id", "number", "id")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="sur_theme_number"),
            models.CheckConstraint(condition=models.Q(opens_on__lte=models.F("closes_on")),
                                   name="sur_theme_window"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:theme_detail", args=[self.pk])


class Audience(models.TextChoices):
    UNITS = "units", _("Các đơn vị được khảo sát (mỗi đơn vị một phiếu)")
    MEMBERS = "members", _("Đoàn viên, cán bộ (mỗi người một phiếu)")


class QuestionnaireState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đã gửi")


class Questionnaire(models.Model):
    """Phiếu khảo sát of a theme; its questions live in its versions."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questionnaires",
                              verbose_name=_("chuyên đề"))
    title = models.CharField(_("tên phiếu"), max_length=300)
    intro = models.TextField(_("lời dẫn"), blank=True)
    audience = models.CharField(_("gửi tới"), max_length=10, choices=Audience.choices,
                                default=Audience.UNITS)
    state = models.CharField(_("trạng thái"), max_length=10, choices=QuestionnaireState.choices,
                             default=QuestionnaireState.DRAFT)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    # For members only: False (the default) keeps answers anonymous; True keeps one named
    # answer per person (NamedAnswer).
    named = models.BooleanField(_("ghi tên người trả lời"), default=False)

    class Meta:
        verbose_name = _("phiếu khảo sát")
        ordering = ("theme_id", "id")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:questionnaire_detail", args=[self.pk])

    @property
    def anonymous(self) -> bool:
        return self.audience == Audience.MEMBERS and not self.named

    @property
    def named_members(self) -> bool:
        return self.audience == Audience.MEMBERS and self.named


class QuestionnaireVersion(models.Model):
    """The questions of a questionnaire as they stood: a list of question dicts (rules.Question).
    Never changed once an answer points at it."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="versions", verbose_name=_("phiếu khảo sát"))
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    questions = models.JSONField(_("câu hỏi"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản phiếu khảo sát")
        ordering = ("questionnaire_id", "number")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"],
                                               name="sur_version_number")]

    def __str__(self) -> str:
        return f"v{self.number}"


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("Đang điền")
    SUBMITTED = "submitted", _("Đã nộp")


class Response(models.Model):
    """A unit's answer to a questionnaire (one per unit), saved as a draft as the office fills it
    and submitted once; its obligation in the hub carries the deadline and timeliness."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="responses", verbose_name=_("phiếu khảo sát"))
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                related_name="responses", verbose_name=_("phiên bản"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị trả lời"))
    obligation = models.ForeignKey("hub.Obligation", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("việc phải nộp"))
    answers = models.JSONField(_("câu trả lời"), default=dict, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=ResponseState.choices,
                             default=ResponseState.DRAFT)
    saved_at = models.DateTimeField(_("lưu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    submitted_on = models.DateField(_("ngày nộp"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("người nộp"))
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)

    class Meta:
        verbose_name = _("phiếu trả lời của đơn vị")
        ordering = ("questionnaire_id", "unit__path", "id")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "unit"],
                                               name="sur_response_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} · {self.unit_id}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:response_detail", args=[self.pk])


def response_upload_to(instance: ResponseFile, filename: str) -> str:
    return f"surveys/{instance.response_id}/{filename}"


class ResponseFile(models.Model):
    """A file a unit attached as the answer to a question of kind "file"."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files",
                                 verbose_name=_("phiếu trả lời"))
    code = models.CharField(_("mã câu hỏi"), max_length=20)
    file = models.FileField(_("tệp"), upload_to=response_upload_to, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)

    class Meta:
        verbose_name = _("tệp trả lời khảo sát")
        ordering = ("response_id", "code", "id")

    def __str__(self) -> str:
        return self.original_name


class AnonymousAnswer(models.Model):
    """A member's anonymous answer: a random key, the version, the surveyed unit it counts under
    and the answers. No person, no user, no time — and no audit record (see apps.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="anonymous_answers",
                                      verbose_name=_("phiếu khảo sát"))
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                related_name="anonymous_answers", verbose_name=_("phiên bản"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị được khảo sát"))
    answers = models.JSONField(_("câu trả lời"), default=dict)

    class Meta:
        verbose_name = _("phiếu trả lời ẩn danh")
        ordering = ("id",)  # random: the order says nothing of who answered when

    def __str__(self) -> str:
        return str(self.id)


class Respondent(models.Model):
    """That a person has answered a member survey (one answer per person) — nothing more."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="respondents", verbose_name=_("phiếu khảo sát"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("người đã trả lời"))

    class Meta:
        verbose_name = _("người đã trả lời khảo sát")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "user"],
                                               name="sur_respondent_once")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} · {self.user_id}"


class NamedAnswer(models.Model):
    """A member's named answer (a questionnaire to members with `named` on): one per person
    (database constraint), under the surveyed unit above the branch of the person's membership,
    with who entered it — the member themselves, or their branch's secretary from a paper form
    (`on_paper`). Personal data: readers see the name only if they may read the person."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="named_answers",
                                      verbose_name=_("phiếu khảo sát"))
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                related_name="named_answers", verbose_name=_("phiên bản"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị được khảo sát"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người trả lời"))
    branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("chi đoàn"))
    answers = models.JSONField(_("câu trả lời"), default=dict)
    on_paper = models.BooleanField(_("nhập từ phiếu giấy"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("người nhập"))
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu trả lời ghi tên")
        ordering = ("questionnaire_id", "unit_id", "id")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "person"],
                                               name="sur_named_once_per_person")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} · {self.person_id}"


class PaperTally(models.Model):
    """How many anonymous paper answers a branch's secretary entered for a questionnaire (no
    more than the branch's members): a count, nothing of any answer."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="paper_tallies",
                                      verbose_name=_("phiếu khảo sát"))
    branch = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("chi đoàn"))
    count = models.PositiveIntegerField(_("số phiếu giấy đã nhập"), default=0)

    class Meta:
        verbose_name = _("số phiếu giấy ẩn danh đã nhập")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "branch"],
                                               name="sur_paper_tally_once")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} · {self.branch_id}: {self.count}"
