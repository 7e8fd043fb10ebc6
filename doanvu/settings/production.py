"""Production: refuses to start with DEBUG on, the default secret or no audit key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import AUDIT_KEY, DATABASES, DEBUG, SECRET_KEY, STORAGES, env_bool, gettext_noop

if DEBUG:
    raise ImproperlyConfigured(gettext_noop("DJANGO_DEBUG phải tắt trong môi trường production."))
if not SECRET_KEY or SECRET_KEY.startswith("dev-insecure") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        gettext_noop("DJANGO_SECRET_KEY phải được đặt (ít nhất 32 ký tự, không dùng khóa mặc "
                     "định).")
    )
if not AUDIT_KEY or AUDIT_KEY.startswith("dev-insecure") or len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        gettext_noop("DOANVU_AUDIT_KEY phải được đặt (ít nhất 32 ký tự, không dùng khóa mặc "
                     "định): khóa ký chuỗi nhật ký thay đổi, xem docs/deploy.md.")
    )

# Administrators always enter a second factor in production, whatever the environment says
# (issue 16, docs/architecture.md "Second factor").
OTP_REQUIRED = True

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# HTTPS (issue 8): on by default; a deployment on a closed network served over plain HTTP turns
# each off explicitly (docs/deploy.md). The proxy in front must set X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", True)
    else None
)

# Database connections (issue 11). Each gunicorn thread keeps its own connection for
# DB_CONN_MAX_AGE seconds (base settings); checking it before reuse turns a connection the
# server closed meanwhile into a reconnect instead of an error page.
for _alias in DATABASES:  # default, and the read replica when there is one
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
# The longest SQL statement allowed, in ms (0 = no limit). The gunicorn settings
# (doanvu/gunicorn_conf.py) set 30000 for the web processes; the task worker and manage.py
# commands leave it unset, so a long import or migration is not cut.
STATEMENT_TIMEOUT_MS = int(os.environ.get("DB_STATEMENT_TIMEOUT_MS", "0"))
for _alias in DATABASES:
    if STATEMENT_TIMEOUT_MS > 0 and DATABASES[_alias]["ENGINE"].endswith("postgresql"):
        DATABASES[_alias].setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
        )
