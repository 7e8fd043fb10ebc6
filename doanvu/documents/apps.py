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
        # the first opening by each recipient unit (who, when); rows are made in bulk at issue
        register(m.DocumentRecipient, unit="unit_id",
                 label="{document__symbol} – {unit__name}")
