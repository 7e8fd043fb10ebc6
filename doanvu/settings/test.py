"""Settings for the test suite: fast hashing, immediate tasks, in-memory mail."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")

from .base import *  # noqa: E402,F403
from .base import DATABASES  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"].pop("OPTIONS", None)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # a test database is thrown away: its commits need not wait for the disk (the
    # transactional and browser tests commit often)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# the browser tests' live server answers each request in a new thread: a persistent connection
# would outlive its thread, unclosed, one per request, until the server refuses more clients
DATABASES["default"]["CONN_MAX_AGE"] = 0
ALLOWED_HOSTS = ["*"]
# a fixed key whatever the environment says, so the chain a test builds is the same everywhere
AUDIT_KEY = "dev-insecure-doanvu-audit-key-not-for-production"
AUDIT_OLD_KEYS = []
# The second factor is off for the suite; its own tests turn it on (tests/accounts/test_x3_totp_*)
OTP_REQUIRED = False
