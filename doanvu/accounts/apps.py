from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doanvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from doanvu.audit.registry import register
        from doanvu.common.access import provide_scope_builder

        from . import models as m
        from . import receivers  # noqa: F401
        from .scope import Scope

        register(m.RoleGrant, unit=lambda o: o.unit_id)
        register(m.RoleType, unit=lambda o: None)
        provide_scope_builder(Scope.for_user)
