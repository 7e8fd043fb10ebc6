from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "doanvu.hub"
    label = "hub"
    verbose_name = "Việc cần làm và nhắc hạn"
