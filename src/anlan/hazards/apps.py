from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anlan.hazards"
    verbose_name = _("Hidden hazards")

    def ready(self):
        from anlan.hazards import tasks, workbench  # noqa: F401  (registers jobs, workbench items)
        from anlan.hazards.ledger import enterprise_section
        from anlan.hazards.receivers import follow_enterprise
        from anlan.registry.sections import register_enterprise_section
        from anlan.registry.signals import enterprise_moved

        register_enterprise_section(enterprise_section, order=10)

        enterprise_moved.connect(follow_enterprise, dispatch_uid="hazards.follow_enterprise")
