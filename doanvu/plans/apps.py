from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PlansConfig(AppConfig):
    name = "doanvu.plans"
    label = "plans"
    verbose_name = gettext_lazy("Kế hoạch, chương trình")

    def ready(self) -> None:
        from doanvu.audit.registry import register
        from doanvu.hub.dashboard import register_panel

        from . import models as m
        from .dashboard import late_tasks_panel

        register(m.Plan, unit="unit_id", label="{document__title}")
        register(m.PlanBasis, unit="plan__unit_id", label="{text}")
        register(m.Solution, unit="plan__unit_id", label="{title}")
        register(m.Task, unit="plan__unit_id", label="{text}")
        register(m.TaskEvidence, unit="task__plan__unit_id", label="{name}")
        register(m.ImplementingDuty, unit="plan__unit_id", label="{unit__name}")
        register(m.LeadTimePolicy, unit="issuing_unit_id", label="{name}")
        register(m.Directive, unit="unit_id", label="{title}")
        register_panel("plans.late_tasks", late_tasks_panel)

        # PLAN-3 → REM-3: the lead-time count beside the unit's monthly evaluations
        from doanvu.remediation.facts import register_fact

        from .evaluation import lead_time_facts

        register_fact("plans.lead_time", lead_time_facts)
