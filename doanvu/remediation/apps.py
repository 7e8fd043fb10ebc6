from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RemediationConfig(AppConfig):
    name = "doanvu.remediation"
    label = "remediation"
    verbose_name = gettext_lazy("Khắc phục khuyết điểm")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.ShortcomingArea, unit="unit_id", label="{name}")
        register(m.Shortcoming, unit="unit_id", label="{unit__name} {review_year}: {number}")
        register(m.SolutionGroup, unit="unit_id", label="{name}")
        register(m.Solution, unit="group__unit_id", label="{text}")
        register(m.Evidence, unit="shortcoming__unit_id", label="{name}")
        register(m.EvaluationPolicy, unit="issuing_unit_id", label="{name}")
        register(m.MonthlyEvaluation, unit="unit_id", label="{person__full_name} {month}")

        # REM-3 → the year-end rating: the year's monthly evaluations as a section of the
        # cadre's self-review (members sits below: its registry, filled from here)
        from doanvu.members.api import register_review_section

        register_review_section("remediation", _review_section)


def _review_section(*args: Any, **kwargs: Any) -> Any:
    from .rating import review_section

    return review_section(*args, **kwargs)
