"""Hub settings with their defaults; each can be overridden in Django settings."""

from __future__ import annotations

from django.conf import settings

DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_UPLOAD_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png",
                             ".zip")
DEFAULT_UPLOAD_MAX_FILES = 5
DEFAULT_REMIND_DAYS = (3, 1)
# Multipart framing and the text fields of a submission, on top of the files themselves.
REQUEST_OVERHEAD_BYTES = 256 * 1024


def upload_max_bytes() -> int:
    return int(getattr(settings, "HUB_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


def upload_extensions() -> tuple[str, ...]:
    exts = getattr(settings, "HUB_UPLOAD_ALLOWED_EXTENSIONS", DEFAULT_UPLOAD_EXTENSIONS)
    return tuple(e.lower() if e.startswith(".") else f".{e.lower()}" for e in exts)


def upload_max_files() -> int:
    return int(getattr(settings, "HUB_UPLOAD_MAX_FILES", DEFAULT_UPLOAD_MAX_FILES))


def upload_max_request_bytes() -> int:
    """A request longer than this is refused from its Content-Length, before it is read."""
    return upload_max_bytes() * upload_max_files() + REQUEST_OVERHEAD_BYTES


def remind_days() -> tuple[int, ...]:
    days = getattr(settings, "HUB_REMIND_DAYS_BEFORE", DEFAULT_REMIND_DAYS)
    return tuple(sorted({int(d) for d in days if int(d) >= 0}, reverse=True))


def site_url() -> str:
    """Where links in e-mails point; set SITE_URL in production."""
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
