from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "doanvu.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.Document, unit="issuing_unit_id", exclude=("search_folded",))
