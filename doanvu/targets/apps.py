from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TargetsConfig(AppConfig):
    name = "doanvu.targets"
    label = "targets"
    verbose_name = gettext_lazy("Chỉ tiêu")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.Target, unit="unit_id", label="{name}")
        register(m.TargetEntry, unit="unit_id", label="{target__name}")

        from . import receivers

        receivers.connect()

        # a recompute whose worker died: its figures are pending again, the run queued again
        from doanvu.common.background import on_worker_lost

        on_worker_lost("doanvu.targets.recompute.recompute_task", receivers.recompute_lost)
