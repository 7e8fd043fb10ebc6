"""Official documents (văn bản) of the Union and the register that numbers them (DOC-1…DOC-3).

A document belongs to the unit that issues it. Its content is data: header lines, legal bases,
body sections, recipients and the signature block; `rendering` turns the same content into DOCX
and PDF. Outgoing documents are numbered per issuing unit, year and type (DOC-2), through a
counter row that `services.document_issue` locks, so two cadres issuing at once never share a
number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DocumentType(models.Model):
    """Thể loại văn bản, as reference data: Kế hoạch (KH), Thông báo (TB)… (DOC-1)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=60)
    abbreviation = models.CharField(_("viết tắt"), max_length=10, unique=True,
                                    help_text=_("dùng trong số, ký hiệu văn bản, ví dụ KH"))
    heading = models.CharField(
        _("tên loại in trên văn bản"), max_length=60, blank=True,
        help_text=_("ví dụ KẾ HOẠCH; để trống với công văn (trích yếu in dưới số: V/v …)"),
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")

    def __str__(self) -> str:
        return self.name

    @property
    def is_letter(self) -> bool:
        """Công văn: no centred type heading; the subject goes under the number as "V/v …"."""
        return not self.heading


class DocumentStatus(models.TextChoices):
    DRAFT = "nhap", _("Nháp")
    ISSUED = "da_ban_hanh", _("Đã ban hành")


class Document(models.Model):
    """One outgoing document of a unit: a draft until issued, then numbered and frozen."""

    issuing_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="documents",
        verbose_name=_("đơn vị ban hành"),
    )
    department = models.ForeignKey(
        "org.Department", null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents", verbose_name=_("ban tham mưu"),
        help_text=_("ký hiệu của ban đứng sau tên cơ quan trong số văn bản, ví dụ TCKT"),
    )
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("loại văn bản"))
    title = models.CharField(_("trích yếu"), max_length=500)
    search_folded = models.CharField(max_length=800, blank=True, editable=False)
    header_upper = models.CharField(_("cơ quan cấp trên (dòng 1)"), max_length=200)
    header_body = models.CharField(_("cơ quan ban hành (dòng 2)"), max_length=200, blank=True)
    body_code = models.CharField(_("ký hiệu cơ quan"), max_length=40,
                                 help_text=_("ví dụ TĐTN, TWĐTN"))
    place = models.CharField(_("địa danh"), max_length=120)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=120, blank=True,
                              help_text=_("ghi khi ban hành, không đổi về sau"))
    legal_bases = models.JSONField(_("căn cứ"), default=list, blank=True)
    body = models.JSONField(_("nội dung"), default=list, blank=True)
    closing = models.JSONField(_("đoạn kết"), default=list, blank=True)
    recipients = models.JSONField(_("nơi nhận khác"), default=list, blank=True,
                                  help_text=_("nơi nhận ghi bằng chữ, ví dụ “Lưu VP”"))
    report_due_on = models.DateField(_("hạn báo cáo của nơi nhận"), null=True, blank=True)
    report_title = models.CharField(_("nội dung báo cáo"), max_length=255, blank=True)
    signer_on_behalf = models.CharField(_("thẩm quyền ký"), max_length=200, blank=True,
                                        help_text=_("ví dụ TM. BAN THƯỜNG VỤ TỈNH ĐOÀN"))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        indexes = [
            models.Index(fields=["issuing_unit", "year", "doc_type"]),
            models.Index(fields=["status", "issued_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "doc_type", "number"],
                condition=Q(number__isnull=False),
                name="document_number_unique_per_unit_year_type",
            ),
            models.CheckConstraint(
                condition=Q(status="nhap")
                | Q(number__isnull=False, year__isnull=False, issued_on__isnull=False),
                name="document_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        if self.symbol:
            return f"{self.symbol} {self.title}"
        return gettext("Dự thảo: {title}").format(title=self.title)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("documents:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == DocumentStatus.DRAFT


class RecipientGroup(models.TextChoices):
    """A group of the direct sub-units of a unit, expanded to units when a document is issued
    (as the tree stood on the issue date). An empty group is the unit itself."""

    UNIT = "", _("Đơn vị")
    ALL = "truc_thuoc", _("Các đơn vị trực thuộc")
    ABOVE_GRASSROOTS = "cap_tren_co_so", _("Các huyện, thị, thành đoàn và đoàn trực thuộc")
    GRASSROOTS = "co_so", _("Các cơ sở đoàn trực thuộc")
    BRANCHES = "chi_doan", _("Các chi đoàn trực thuộc")


class DocumentAddress(models.Model):
    """One addressee chosen for a document ("Nơi nhận"): a unit, or a group of a unit's direct
    sub-units. Kept on drafts; expanded into `DocumentRecipient` rows when issued."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="addresses")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    group = models.CharField(_("nhóm"), max_length=20, choices=RecipientGroup.choices,
                             blank=True, default=RecipientGroup.UNIT)
    label = models.CharField(_("ghi trên văn bản"), max_length=255, blank=True,
                             help_text=_("để trống thì ghi tên đơn vị hoặc tên nhóm"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document", "order", "pk"]
        verbose_name = _("nơi nhận")
        constraints = [
            models.UniqueConstraint(fields=["document", "unit", "group"],
                                    name="document_address_unique"),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.get_group_display()} {self.unit_id}"


class DocumentRecipient(models.Model):
    """A unit an issued document reached (văn bản đến), and who of it opened it first."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="deliveries",
                                 verbose_name=_("văn bản"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                             related_name="incoming_documents", verbose_name=_("đơn vị nhận"))
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("người mở"),
    )

    class Meta:
        ordering = ["document", "pk"]
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        indexes = [models.Index(fields=["unit", "opened_at"])]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"],
                                    name="document_recipient_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.unit_id}"


class DocumentCounter(models.Model):
    """The last number used per issuing unit, year and type (DOC-2); locked while issuing."""

    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "year", "doc_type"],
                                    name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuing_unit_id}/{self.year}/{self.doc_type_id}: {self.last_number}"
