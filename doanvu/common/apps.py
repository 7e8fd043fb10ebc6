from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommonConfig(AppConfig):
    name = "doanvu.common"
    label = "common"
    verbose_name = gettext_lazy("Dùng chung")
