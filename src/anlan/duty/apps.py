from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "anlan.duty"
    verbose_name = _("24-hour duty")

    def ready(self):
        from anlan.duty import tasks  # noqa: F401  (registers the missed check-in job)
