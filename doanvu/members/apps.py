from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _import_jobs_sweep() -> int:
    """Mark the imports and dry runs whose worker died as interrupted, so the page says so."""
    from .imports.services import import_jobs_sweep

    return import_jobs_sweep()


def _import_lost(kwargs: dict[str, Any]) -> None:
    _import_jobs_sweep()


class MembersConfig(AppConfig):
    name = "doanvu.members"
    label = "members"
    verbose_name = gettext_lazy("Đoàn viên và cán bộ")

    def ready(self) -> None:
        from doanvu.audit.registry import register
        from doanvu.common.background import on_worker_lost, on_worker_start

        from . import models as m
        from . import receivers  # noqa: F401

        # an import or dry run whose worker died: the job is marked interrupted (and the page
        # offers "Tiếp tục nhập" or "Hủy"), whichever sweep finds it first
        for name in ("import_members", "check_members"):
            on_worker_lost(f"doanvu.members.imports.tasks.{name}", _import_lost)

        on_worker_start("member import(s) interrupted", _import_jobs_sweep)

        register(m.Membership, unit="branch_id", exclude=("name_folded", "unit_path"),
                 label="{person__full_name} ({branch__name})")
        register(m.Transfer, unit="membership__branch_id",
                 label="{get_kind_display}: {membership__person__full_name} → {to_branch__name}")
        register(m.CadreStatus, unit=None,
                 label="{person__full_name}: {get_kind_display}")
        register(m.CadreCourse, unit=None)
        register(m.DuesEntry, unit="membership__branch_id",
                 label="{membership__person__full_name} {month}")
        register(m.Remittance, unit="from_unit_id",
                 label="{from_unit__name} → {to_unit__name} {period}")
        register(m.Meeting, unit="unit_id",
                 label="{get_kind_display} {unit__name} {date:%d/%m/%Y}")
        register(m.Attendance, unit="meeting__unit_id",
                 label="{membership__person__full_name}: {get_status_display}")
        register(m.RemovalProposal, unit="membership__branch_id",
                 label=_("Đề nghị xóa tên {membership__person__full_name}"))
        register(m.TrainingRegistration, unit="membership__branch_id",
                 label=_("{membership__person__full_name} rèn luyện {year}"))
        register(m.MemberRating, unit="membership__branch_id",
                 label="{membership__person__full_name} {year}")
        register(m.UnitClassification, unit="unit_id",
                 label="{unit__name} {year}")
        register(m.Referral, unit="referrer__branch_id",
                 label=_("{referrer__person__full_name} giới thiệu {full_name}"))
        register(m.MembersPolicy, unit="issuing_unit_id",
                 label=_("Quy định đoàn vụ của {issuing_unit__name} từ {valid_from:%d/%m/%Y}"))
        register(m.RatingScale, unit="issuing_unit_id")
        # the audit log names a rating level by the scale's name for it, not its code
        from doanvu.audit.presentation import register_record_kind, register_value_names

        from .rating.selectors import level_names

        register_value_names(m.MemberRating, "level", level_names)
        register_value_names(m.UnitClassification, "level", level_names)
        register_record_kind("members.importjob", lambda: _("lượt nhập đoàn viên"), lambda: {
            "total": _("Số dòng đã đọc"), "added": _("Thêm mới"), "updated": _("Cập nhật"),
            "unchanged": _("Không đổi"), "errors": _("Dòng bị từ chối"),
            "status": _("Trạng thái"), "file": _("Tệp tải lên")})
        register_record_kind("members.importbatch", lambda: _("lô nhập đoàn viên"), lambda: {
            "persons_added": _("Cá nhân thêm mới"), "memberships_added": _("Đoàn viên thêm mới"),
            "update_records": _("Hồ sơ được cập nhật")})
