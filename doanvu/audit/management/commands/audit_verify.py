from __future__ import annotations

import hmac
import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from doanvu.audit import chain
from doanvu.audit.models import AuditRecord

_VALUE = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (_("Kiểm tra tính toàn vẹn của chuỗi nhật ký thay đổi (X-4); ghi đầu "
                         "chuỗi ra tệp, hoặc đối chiếu với đầu chuỗi đã ghi trước đó."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--export-head", metavar=_("TỆP"),
                            help=_("sau khi kiểm tra, ghi đầu chuỗi (số, mã băm, thời điểm, "
                                   "chữ ký) vào TỆP để cất ngoài cơ sở dữ liệu"))
        parser.add_argument("--expect-head", metavar=_("TỆP_HOẶC_SỐ:MÃ"),
                            help=_("đầu chuỗi đã xuất trước đó (tệp của --export-head, hoặc "
                                   "SỐ:MÃ_BĂM): chuỗi phải còn bản ghi đó với đúng mã băm"))

    def handle(self, *args: Any, **options: Any) -> None:
        expect = _expected(options["expect_head"]) if options["expect_head"] else None
        result = chain.verify(expect=expect)
        if not result.ok:
            raise CommandError(
                _("Chuỗi nhật ký bị phá vỡ tại bản ghi #{broken_id}: {problem}. "
                  "Đã kiểm tra {checked} bản ghi hợp lệ trước đó.").format(
                    broken_id=result.broken_id,
                    problem=result.problem,
                    checked=result.checked)
            )
        message = _("Chuỗi nhật ký toàn vẹn: {checked} bản ghi.").format(
                      checked=result.checked)
        if options["export_head"]:
            path = options["export_head"]
            Path(path).write_text(json.dumps(_export(result), ensure_ascii=False, indent=1)
                                  + "\n", encoding="utf-8")
            message += _(" Đã ghi đầu chuỗi (bản ghi #{checked}) vào {path}.").format(
                           checked=result.checked,
                           path=path)
        self.stdout.write(message)


def _export(result: chain.VerifyResult) -> dict[str, object]:
    """The head just verified: the last record's id, hash and time, signed with the key."""
    last = AuditRecord.objects.filter(id=result.checked).first()
    record_hash = last.hash if last is not None else chain.GENESIS
    at = last.at.isoformat() if last is not None else ""
    kid, key = chain.current_key()
    return {"id": result.checked, "hash": record_hash, "at": at,
            "exported_at": timezone.now().isoformat(), "key_id": kid,
            "signature": chain.export_signature(key, record_id=result.checked,
                                                record_hash=record_hash, at=at)}


def _expected(value: str) -> chain.ExpectedHead:
    found = _VALUE.match(value.strip())
    if found:
        return chain.ExpectedHead(id=int(found[1]), hash=found[2])
    try:
        data = json.loads(Path(value).read_text(encoding="utf-8"))
        record_id, record_hash = int(data["id"]), str(data["hash"])
        at, kid, signature = str(data["at"]), str(data["key_id"]), str(data["signature"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CommandError(
            _("Không đọc được đầu chuỗi đã xuất «{value}»: cần tệp của --export-head hoặc "
              "SỐ:MÃ_BĂM (64 ký tự hex).").format(value=value)
        ) from exc
    key = chain.keyring().get(kid)
    if key is None or not hmac.compare_digest(
        chain.export_signature(key, record_id=record_id, record_hash=record_hash, at=at),
        signature,
    ):
        raise CommandError(
            _("Tệp đầu chuỗi {value} không có chữ ký hợp lệ: không dùng được để đối chiếu.").format(
                value=value))
    return chain.ExpectedHead(id=record_id, hash=record_hash)
