from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "doanvu.org"
    label = "org"
    verbose_name = "Tổ chức"

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.Unit, unit=lambda o: o.pk, exclude=("name_folded", "path", "depth"))
        register(m.Department, unit=lambda o: o.unit_id)
        register(m.Cluster, unit=lambda o: o.owner_id)
        register(m.Term, unit=lambda o: o.unit_id)
        register(m.CommitteeSeat, unit=lambda o: o.term.unit_id)
        register(m.Position, unit=lambda o: o.unit_id)
        register(m.Supervision, unit=lambda o: o.supervised_unit_id)
        register(m.Person, unit=lambda o: None, exclude=("name_folded",))
