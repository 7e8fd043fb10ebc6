"""`manage.py recompute_rankings [--thang-diem ID …] [--nam YYYY] [--cong-bo] [--as-user TÊN]`
(API-2; EMU-3, EMU-4, PERF-3): a new ranking snapshot of each chosen rubric from its stored
sheets (`ranking.ranking_compute`), published with `--cong-bo`. Each rubric is its own
transaction; a rubric refused is named and the command ends non-zero."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.accounts.models import User
from doanvu.common.errors import ApplicationError
from doanvu.emulation import ranking
from doanvu.emulation.models import Rubric, RubricState


class Command(BaseCommand):
    help = _("Tính lại bảng xếp hạng thi đua của các thang điểm (đang chấm hoặc đã kết thúc) từ "
             "các phiếu đã lưu; mỗi lần tính là một bảng mới, bảng đã công bố giữ nguyên.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--thang-diem", type=int, action="append", dest="rubrics",
                            metavar=_("SỐ"), help=_("số của thang điểm (lặp lại được); mặc định "
                                                    "mọi thang điểm của năm"))
        parser.add_argument("--nam", type=int, dest="year",
                            help=_("năm của các thang điểm (mặc định năm nay)"))
        parser.add_argument("--cong-bo", action="store_true", dest="publish",
                            help=_("công bố ngay bảng vừa tính (mọi phiếu phải đã chính thức)"))
        parser.add_argument("--as-user", dest="as_user", metavar=_("TÊN_ĐĂNG_NHẬP"),
                            help=_("tính với quyền và tên của người dùng này trong nhật ký "
                                   "(mặc định: hệ thống)"))

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["as_user"])
        rubrics = _rubrics(options["rubrics"], options["year"])
        failed = 0
        for rubric in rubrics:
            try:
                snapshot = ranking.ranking_compute(
                    actor=actor, rubric=rubric,
                    note=_("Tính lại bằng lệnh recompute_rankings"))
                if options["publish"]:
                    snapshot = ranking.ranking_publish(actor=actor, snapshot=snapshot)
            except ApplicationError as exc:
                failed += 1
                self.stderr.write(_("Thang điểm #{id} “{name}”: {err}").format(
                    id=rubric.pk, name=rubric.name, err=exc))
                continue
            self.stdout.write(_("Thang điểm #{id} “{name}”: bảng xếp hạng #{snap} ({n} đơn vị"
                                "){published}.").format(
                id=rubric.pk, name=rubric.name, snap=snapshot.pk, n=snapshot.entries.count(),
                published=_(", đã công bố") if options["publish"] else ""))
        if failed:
            raise CommandError(_("{failed} trong {n} thang điểm không tính lại được (xem trên)."
                                 ).format(failed=failed, n=len(rubrics)))
        self.stdout.write(self.style.SUCCESS(_("Đã tính lại {n} thang điểm.").format(
            n=len(rubrics))))


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("Không có người dùng đang hoạt động tên “{name}”.").format(
            name=username))
    return user


def _rubrics(ids: list[int] | None, year: int | None) -> list[Rubric]:
    if ids:
        found = {r.pk: r for r in Rubric.objects.filter(pk__in=ids).select_related(
            "issuing_unit")}
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise CommandError(_("Không có thang điểm số {ids}.").format(ids=", ".join(missing)))
        drafts = [f"#{r.pk}" for r in found.values() if r.state == RubricState.DRAFT]
        if drafts:
            raise CommandError(_("Thang điểm {ids} còn đang soạn (chưa mở chấm điểm): chưa có gì "
                                 "để xếp hạng.").format(ids=", ".join(drafts)))
        return [found[i] for i in dict.fromkeys(ids)]
    year = year or timezone.localdate().year
    rubrics = list(Rubric.objects.filter(year=year).exclude(state=RubricState.DRAFT)
                   .select_related("issuing_unit").order_by("pk"))
    if not rubrics:
        raise CommandError(_("Năm {year} không có thang điểm nào đang chấm hoặc đã kết thúc.")
                           .format(year=year))
    return rubrics
