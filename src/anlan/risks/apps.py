from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "anlan.risks"
    verbose_name = _("Risk grading and control")

    def ready(self):
        from anlan.registry.sections import register_enterprise_section
        from anlan.risks import tasks, workbench  # noqa: F401  (registers jobs, workbench items)
        from anlan.risks.ledger import register_section, task_section

        register_enterprise_section(register_section, order=20)
        register_enterprise_section(task_section, order=30)
