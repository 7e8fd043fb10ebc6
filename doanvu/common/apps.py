from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "doanvu.common"
    label = "common"
    verbose_name = "Dùng chung"
