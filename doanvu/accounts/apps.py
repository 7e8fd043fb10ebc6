from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doanvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.RoleGrant, unit="unit_id")
        register(m.RoleType, unit=None)
