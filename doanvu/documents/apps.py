from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "doanvu.documents"
    label = "documents"
    verbose_name = "Văn bản"
