from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "anlan.risks"
    verbose_name = _("Risk grading and control")

    def ready(self):
        from anlan.risks import tasks, workbench  # noqa: F401  (registers jobs, workbench items)
