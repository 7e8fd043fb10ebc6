from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _lazy


class HubConfig(AppConfig):
    name = "doanvu.hub"
    label = "hub"
    verbose_name = _lazy("Việc cần làm và nhắc hạn")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m
        from . import receivers  # noqa: F401  (connects the hub to common.signals)

        register(m.Obligation, unit="owed_by_unit_id",
                 exclude=("reminded_on", "period_start", "period_end", "submitted_on"))
        # named by its title: the code ("fv.quarterly_report") is internal, and not shown in the log
        register(m.DeadlinePolicy, unit="unit_id", label="{title}")
        from doanvu.audit.presentation import register_hidden

        register_hidden(m.DeadlinePolicy, "code")
        register_hidden(m.Obligation, "kind")  # the code of its kind; kind_label names it

        from doanvu.org.home import register_section

        from .home import obligations_section

        register_section("hub.obligations", obligations_section)
