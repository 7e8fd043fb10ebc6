"""Local development and the demo served by `make run`."""

from .base import *  # noqa: F403
from .base import env_bool  # noqa: E402

# The demo's seeded administrators log in without a second factor unless asked for
# (DOANVU_OTP_REQUIRED=1); `load_demo` says so beside the logins (docs/architecture.md).
OTP_REQUIRED = env_bool("DOANVU_OTP_REQUIRED", False)
