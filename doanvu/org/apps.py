from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "doanvu.org"
    label = "org"
    verbose_name = _("Tổ chức")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.Unit, unit="pk", exclude=("name_folded", "path", "depth"))
        register(m.Department, unit="unit_id")
        register(m.Cluster, unit="owner_id")
        register(m.Term, unit="unit_id")
        register(m.CommitteeSeat, unit="term__unit_id",
                 label="{person__full_name} – {title} ({get_committee_display})")
        register(m.Position, unit="unit_id", label="{person__full_name} – {title}")
        register(m.Supervision, unit="supervised_unit_id")
        register(m.Person, unit=None, exclude=("name_folded",))
