from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anlan.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from anlan.core import (
            checks,  # noqa: F401  (registers system checks)
            deadlines,  # noqa: F401  (registers the one deadline scan job)
        )
        from anlan.core.conf import check_all

        # Every app's settings group (read by settings.py), checked once with the apps loaded:
        # a wrong value stops django.setup() with its name.
        check_all()
