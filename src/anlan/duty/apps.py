from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "anlan.duty"
    verbose_name = _("24-hour duty")

    def ready(self):
        from anlan.core.recipients import register_on_duty
        from anlan.duty import (  # noqa: F401  (registers jobs, deadlines, workbench items)
            services,
            tasks,
            workbench,
        )

        register_on_duty(services.on_duty)  # core asks duty who is on duty, never imports it
