from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "doanvu.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def _serve_the_apps_below(self) -> None:
        """org's services ask an actor's scope through common.access, and org's signals end
        the grants on a unit that stops existing (docs/architecture.md, layers)."""
        from doanvu.common.access import provide_scope_builder

        from . import receivers  # noqa: F401
        from .scope import Scope

        provide_scope_builder(Scope.for_user)

    def ready(self) -> None:
        self._serve_the_apps_below()

        from doanvu.audit.registry import register

        from . import models as m

        register(m.RoleGrant, unit="unit_id")
        register(m.RoleType, unit=None)
        # the second factor's events (issue 16); the devices hold secrets and are not audited
        register(m.SecondFactorEvent, unit=None, label="{user__username}")
