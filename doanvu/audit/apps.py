from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AuditConfig(AppConfig):
    name = "doanvu.audit"
    label = "audit"
    verbose_name = gettext_lazy("Nhật ký thay đổi")

    def ready(self) -> None:
        from . import signals  # noqa: F401
