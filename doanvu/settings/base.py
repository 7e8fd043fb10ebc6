"""Settings shared by every environment; everything that differs comes from the environment."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy


def gettext_noop(message: str) -> str:
    """Marks a message for translation only: Django's own gettext_noop reads the settings,
    which are not loaded yet while they refuse to load."""
    return message

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DOANVU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-insecure-doanvu-secret-key")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

# The audit chain's HMAC key (X-4, docs/deploy.md): production refuses the dev default. After a
# rotation the previous keys stay listed (comma-separated) so older records still verify.
AUDIT_KEY = os.environ.get("DOANVU_AUDIT_KEY", "dev-insecure-doanvu-audit-key-not-for-production")
AUDIT_OLD_KEYS = [
    k.strip() for k in os.environ.get("DOANVU_AUDIT_OLD_KEYS", "").split(",") if k.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "doanvu.common",
    "doanvu.audit",
    "doanvu.org",
    "doanvu.accounts",
    "doanvu.documents",
    "doanvu.hub",
    "doanvu.members",
    "doanvu.emulation",
    "doanvu.inspections",
    "doanvu.fieldvisits",
    "doanvu.remediation",
    "doanvu.targets",
    "doanvu.surveys",
    "doanvu.plans",
    "doanvu.ops",
    "doanvu.api",
    "doanvu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "doanvu.common.middleware.ContentSecurityPolicyMiddleware",
    # a lost database connection answers a Vietnamese 503 page, not a 500 (issue 16)
    "doanvu.common.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # the second factor first: a forced password change waits until the code is entered
    "doanvu.accounts.middleware.SecondFactorRequiredMiddleware",
    "doanvu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "doanvu.audit.middleware.AuditActorMiddleware",
    # last, so it sees the login view's answer and turns a lockout into our page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "doanvu.urls"
WSGI_APPLICATION = "doanvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "doanvu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "doanvu.accounts.context_processors.scope",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'doanvu.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# a kept connection the server closed meanwhile (a restart, a terminated backend) is checked
# before reuse and reopened, instead of failing the next request (issue 16)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL read replica for reports and exports (docs/deploy.md; doanvu/common/dbrouter.py):
# only reads made inside `reads_from_replica()` go there; tests read `default` through it.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["doanvu.common.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "doanvu.accounts.validators.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "full_name", "email")}},
    {"NAME": "doanvu.accounts.validators.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("DOANVU_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): the first backend refuses a locked-out (username, IP) pair
# before any password is checked; AxesMiddleware turns the refusal into our login page.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DOANVU_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("DOANVU_LOGIN_LOCKOUT_MINUTES", "15")))
# The pair, not either alone: by username alone anybody anywhere could lock a cadre out (a
# denial of service before a deadline); by IP alone a whole provincial office behind one NAT
# address would be locked out by one person's typos.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "doanvu.accounts.views.locked_out"
AXES_ENABLE_ADMIN = False
# The client's address: REMOTE_ADDR unless the operator says how many reverse proxies stand in
# front (each appends the address it saw to X-Forwarded-For); the entry that many places from
# the right is the client, whatever a client wrote into the header itself.
LOGIN_PROXY_COUNT = int(os.environ.get("DOANVU_PROXY_COUNT", "0"))

# Second factor (issue 16, docs/architecture.md "Second factor"): TOTP (django-otp) for
# superusers and whoever administers a unit (accounts.permissions.requires_second_factor).
# Required unless DOANVU_OTP_REQUIRED says otherwise; production settings always require it,
# the demo (dev settings) and the test suite leave it off unless asked.
OTP_REQUIRED = env_bool("DOANVU_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "Đoàn Vụ"  # i18n: data (the name the authenticator app shows)
# django-otp's throttle: after n wrong codes in a row a device refuses every code for
# factor × 2^(n-1) seconds (0 turns it off)
OTP_TOTP_THROTTLE_FACTOR = int(os.environ.get("DOANVU_OTP_THROTTLE_SECONDS", "1"))
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
# how many single-use recovery codes a user receives at once
OTP_RECOVERY_CODES = int(os.environ.get("DOANVU_OTP_RECOVERY_CODES", "10"))
if LOGIN_PROXY_COUNT > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER: tuple[str, ...] = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = LOGIN_PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", gettext_lazy("Tiếng Việt")), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "doanvu" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "doanvu" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# the member import's checked rows between the dry run and the import (MEM-13): not served
MEMBER_IMPORT_SPOOL_DIR = VAR_DIR / "import-spool"
# Limits of the import's reader (security bounds, not rules of any plan): beyond any of them a
# file is refused with a message naming the limit (docs/architecture.md, "The member import").
MEMBER_IMPORT_MAX_UNZIPPED_MB = int(os.environ.get("DOANVU_IMPORT_MAX_UNZIPPED_MB", "512"))
MEMBER_IMPORT_MAX_ZIP_RATIO = int(os.environ.get("DOANVU_IMPORT_MAX_ZIP_RATIO", "200"))
MEMBER_IMPORT_MAX_CELL_CHARS = int(os.environ.get("DOANVU_IMPORT_MAX_CELL_CHARS", "32767"))
MEMBER_IMPORT_MAX_ROW_CHARS = int(os.environ.get("DOANVU_IMPORT_MAX_ROW_CHARS", "1000000"))
MEMBER_IMPORT_MAX_ROWS = int(os.environ.get("DOANVU_IMPORT_MAX_ROWS", "1048576"))
# rows written together (one transaction with their audit records and the job's progress)
MEMBER_IMPORT_BATCH = int(os.environ.get("DOANVU_IMPORT_BATCH", "5000"))
# a dry run or import whose worker has not reported for this long is shown as interrupted
MEMBER_IMPORT_STALE_SECONDS = int(os.environ.get("DOANVU_IMPORT_STALE_SECONDS", "120"))
# a page waiting on a background task says so, and what to do, when no worker has taken the
# task this many seconds after it was queued (`make run` starts one; see README)
TASK_PICKUP_WARN_SECONDS = int(os.environ.get("DOANVU_TASK_PICKUP_WARN_SECONDS", "5"))
# PostgreSQL: a members-list search running longer than this tries its other plan, then asks
# the user to narrow it (a technical bound, not a rule of any plan)
MEMBER_SEARCH_TIMEOUT_MS = int(os.environ.get("DOANVU_MEMBER_SEARCH_TIMEOUT_MS", "2500"))
# every search box (common.search): at most this many words, each cut to this many characters
# (a pasted page of text must not build a query SQLite refuses as "too large")
SEARCH_MAX_WORDS = int(os.environ.get("DOANVU_SEARCH_MAX_WORDS", "6"))
SEARCH_MAX_WORD_CHARS = int(os.environ.get("DOANVU_SEARCH_MAX_WORD_CHARS", "40"))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "org:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Where links in e-mails point, and the limits of submissions to obligations (hub).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
HUB_UPLOAD_MAX_BYTES = int(os.environ.get("HUB_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
HUB_REMIND_DAYS_BEFORE = [
    int(d) for d in os.environ.get("HUB_REMIND_DAYS_BEFORE", "3,1").split(",") if d.strip()
]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every response (common.middleware; "" turns it off).
CONTENT_SECURITY_POLICY = os.environ.get(
    "DJANGO_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'",
)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("DJANGO_CONTENT_SECURITY_POLICY_REPORT_ONLY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The JSON API (issue 16, API-1; docs/architecture.md "API (issue 16)"). Tokens are the user's
# own, hashed, and expire: a token's life is at most API_TOKEN_MAX_DAYS (a security bound, not a
# rule of any plan). Requests are limited per token (per user for a logged-in browser) to
# API_THROTTLE_RATE; a body longer than API_MAX_BODY_BYTES is refused with 413.
API_TOKEN_MAX_DAYS = int(os.environ.get("DOANVU_API_TOKEN_MAX_DAYS", "365"))
API_THROTTLE_RATE = os.environ.get("DOANVU_API_THROTTLE_RATE", "1200/min")
API_MAX_BODY_BYTES = int(os.environ.get("DOANVU_API_MAX_BODY_BYTES", str(1024 * 1024)))
API_PAGE_SIZE = int(os.environ.get("DOANVU_API_PAGE_SIZE", "50"))
API_PAGE_SIZE_MAX = int(os.environ.get("DOANVU_API_PAGE_SIZE_MAX", "200"))
# The cache every app server shares (docs/deploy.md "Sessions and cache on Redis"): the API's
# rate limits count in it, so behind a proxy with several app servers they must count in one
# place. DOANVU_CACHE_URL=redis://host:6379/1 (or rediss://, unix://); unset, each process counts
# its own (one server, development, tests). Short socket timeouts: when Redis is unreachable the
# limit is not counted (api.plumbing.TokenRateThrottle) rather than the request waiting or failing.
CACHE_URL = os.environ.get("DOANVU_CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(gettext_noop(
            "DOANVU_CACHE_URL phải là địa chỉ Redis (redis://, rediss:// hoặc unix://)."))
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "doanvu",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "doanvu.api.auth.TokenAuthentication",
        "doanvu.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["doanvu.api.plumbing.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["doanvu.api.plumbing.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "doanvu.api.base.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": gettext_lazy("API Đoàn Vụ"),
    "DESCRIPTION": gettext_lazy(
        "API JSON của Đoàn Vụ, phiên bản 1. Mỗi yêu cầu gửi khóa truy cập trong tiêu đề "
        "Authorization: Token <khóa>; phạm vi dữ liệu đúng như các trang của người tạo khóa."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # the schema and the page for the API's users (a token or a session), like the API itself
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # two "trang_thai" fields with different choices get names of their own
    "ENUM_NAME_OVERRIDES": {
        "VisitStateEnum": "doanvu.fieldvisits.selectors.VISIT_STATES",
        "ImportStatusEnum": "doanvu.members.models.ImportStatus",
    },
    # validatorUrl None: Swagger UI would otherwise fetch a badge from validator.swagger.io
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False,
                            "validatorUrl": None},
}
