from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class InspectionsConfig(AppConfig):
    name = "doanvu.inspections"
    label = "inspections"
    verbose_name = gettext_lazy("Kiểm tra")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.InspectionPolicy, unit="issuing_unit_id")
        register(m.InspectionPlan, unit="issuing_unit_id", label="{title}")
        register(m.Round, unit="plan__issuing_unit_id", label="{title}")
        register(m.Team, unit="round__plan__issuing_unit_id", label="{name}")
        register(m.TeamMember, unit="team__round__plan__issuing_unit_id",
                 label="{team__name}: {person__full_name}")
        register(m.Session, unit="unit_id", label="{team__name} – {unit__name} {date:%d/%m/%Y}")
        register(m.SlotMoveRequest, unit="session__unit_id",
                 label="{session__unit__name} {proposed_date:%d/%m/%Y}")
        register(m.SessionAttendee, unit="session__unit_id",
                 label="{session__unit__name}: {full_name}")
        register(m.Recommendation, unit="round__plan__issuing_unit_id",
                 label="{round__title}: {department__name}")
        register(m.Conclusion, unit="session__unit_id",
                 label="{session__unit__name} {session__date:%d/%m/%Y}")
        register(m.AgendaNote, unit="conclusion__session__unit_id", label="{heading}")
        register(m.Limitation, unit="conclusion__session__unit_id",
                 label="{conclusion__session__unit__name}: {text}")
        register(m.Direction, unit="conclusion__session__unit_id",
                 label="{conclusion__session__unit__name}: {text}")
        register(m.ScoreAdjustment, unit="conclusion__session__unit_id",
                 label="{conclusion__session__unit__name}: {criterion_code}")
        register(m.GoodModel, unit="conclusion__session__unit_id", label="{title}",
                 exclude=["folded"])
