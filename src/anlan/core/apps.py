from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anlan.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from anlan.core import (
            checks,  # noqa: F401  (registers system checks)
            deadlines,  # noqa: F401  (registers the one deadline scan job)
        )
