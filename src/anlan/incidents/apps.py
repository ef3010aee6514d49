from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "anlan.incidents"
    verbose_name = _("Incident reporting")

    def ready(self):
        from anlan.incidents import (
            tasks,  # noqa: F401  (registers jobs)
            workbench,  # noqa: F401  (registers workbench items)
            workflow,  # noqa: F401  (registers the timeline's labels)
        )
        from anlan.incidents.ledger import enterprise_section
        from anlan.registry.sections import register_enterprise_section

        register_enterprise_section(enterprise_section, order=40)
