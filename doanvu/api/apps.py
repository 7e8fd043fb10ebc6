from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ApiConfig(AppConfig):
    name = "doanvu.api"
    label = "api"
    verbose_name = gettext_lazy("API và khóa truy cập")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m
        from . import schema  # noqa: F401  (the token scheme in the OpenAPI schema)

        # the key's hash is a secret's fingerprint: not in the log
        register(m.ApiToken, unit=None, exclude=["key_hash"], label="{user__username}: {name}")
