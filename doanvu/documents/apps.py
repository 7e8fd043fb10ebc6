from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "doanvu.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m

        register(m.Document, unit="issuing_unit_id", exclude=("search_folded",))
