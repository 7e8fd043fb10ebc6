from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "doanvu.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
