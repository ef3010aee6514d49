from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "anlan.demo"
    verbose_name = "Demo county"
