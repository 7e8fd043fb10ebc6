"""Production: refuses to start with DEBUG on, the default secret or no audit key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import AUDIT_KEY, DEBUG, SECRET_KEY, STORAGES

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG phải tắt trong môi trường production.")
if not SECRET_KEY or SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY phải được đặt (ít nhất 32 ký tự, không dùng khóa mặc định)."
    )
if not AUDIT_KEY or AUDIT_KEY.startswith("dev-insecure") or len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "DOANVU_AUDIT_KEY phải được đặt (ít nhất 32 ký tự, không dùng khóa mặc định): khóa ký "
        "chuỗi nhật ký thay đổi, xem docs/deploy.md."
    )

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
