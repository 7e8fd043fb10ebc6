from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "doanvu.audit"
    label = "audit"
    verbose_name = "Nhật ký thay đổi"

    def ready(self) -> None:
        from . import signals  # noqa: F401
