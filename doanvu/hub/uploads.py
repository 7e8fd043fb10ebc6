"""Refusing submissions that are too large or of a type we do not take, before the upload
completes (HUB-1, X-9).

Two gates, in order:

1. the request's Content-Length: a body larger than the most a submission may carry is refused
   without reading a byte of it;
2. an upload handler placed first in the chain: it refuses a file by its name's extension as
   soon as the file's headers arrive, and by its size as soon as the bytes received pass the
   limit, raising StopUpload. Nothing of that file (nor of the files after it) is stored; the
   rest of the stream is drained unread so that the browser can show our message naming the
   file. Set the front proxy's body limit (nginx client_max_body_size) to the same figure so
   huge bodies never reach the application at all.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import conf
from .services import UploadRefused, check_upload, format_size


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = conf.upload_max_bytes()
        self.refusal: str = ""

    def new_file(self, field_name: str, file_name: str, content_type: str,
                 content_length: int | None, charset: str | None = None,
                 content_type_extra: dict[str, Any] | None = None) -> None:
        super().new_file(field_name, file_name, content_type, content_length, charset,
                         content_type_extra)
        try:
            check_upload(name=file_name, size=content_length)
        except UploadRefused as exc:
            self.refusal = str(exc)
            raise StopUpload(connection_reset=False) from None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.refusal = (
                _(
                    "Tệp “{file_name}” vượt quá giới hạn {format_size} cho mỗi tệp: không được "
                    "tiếp nhận."
                ).format(file_name=self.file_name, format_size=format_size(self.max_bytes))
            )
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers in the chain build the file


def install(request: HttpRequest) -> LimitedUploadHandler:
    """Put the limiting handler first; call before anything reads request.POST/FILES."""
    handler = LimitedUploadHandler(request)
    handlers = list(request.upload_handlers)
    request.upload_handlers = [handler, *handlers]
    return handler


def content_length_refusal(request: HttpRequest) -> str:
    """The message for a body too large to read at all, or "" when it may be read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _("Yêu cầu gửi lên không hợp lệ.")
    limit = conf.upload_max_request_bytes()
    if length > limit:
        return (
            _(
                "Dữ liệu gửi lên ({format_size}) vượt quá giới hạn: mỗi tệp tối đa "
                "{format_size2}, mỗi lần nộp tối đa {upload_max_files} tệp. Không tệp nào được "
                "tiếp nhận."
            ).format(
                format_size=format_size(length),
                format_size2=format_size(conf.upload_max_bytes()),
                upload_max_files=conf.upload_max_files(),
            )
        )
    return ""
