from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FieldVisitsConfig(AppConfig):
    name = "doanvu.fieldvisits"
    label = "fieldvisits"
    verbose_name = gettext_lazy("Đi cơ sở")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.FieldVisitPolicy, unit="issuing_unit_id", label="{name}")
        register(m.QuarterPlan, unit="unit_id", label="{unit__name} {quarter}/{year}")
        register(m.PlannedVisit, unit="plan__unit_id",
                 label="{person__full_name} {start_date:%d/%m/%Y}")
        register(m.Campaign, unit="unit_id", label="{name}")
        register(m.Visit, unit="unit_id",
                 label="{person__full_name} {start_date:%d/%m/%Y}–{end_date:%d/%m/%Y}")
        register(m.VisitFile, unit="visit__unit_id", label="{name}")

        # FV-8: the visit record is a section of the cadre's annual self-review and a criterion
        # of their year-end rating (members sits below: its registry, filled from here)
        from doanvu.members.api import register_review_section

        register_review_section("fieldvisits", _review_section)

        # a yearly recompute whose worker died wrote nothing (one transaction): run it again
        from doanvu.common.background import on_worker_lost

        on_worker_lost("doanvu.fieldvisits.recompute.recompute_task", _recompute_lost)


def _recompute_lost(kwargs: dict[str, Any]) -> None:
    from .recompute import recompute_task

    recompute_task.enqueue(**kwargs)


def _review_section(*args: Any, **kwargs: Any) -> Any:
    """The section, its views imported when a review first asks for it, not at start-up (they
    load the recompute task, and with it the task backends, before a worker has set them)."""
    from .compliance_views import review_section

    return review_section(*args, **kwargs)
