from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def check_settings() -> None:
    """The limits table and the kinds' rules are read at start-up, so a typo in a grade, a hop
    or a kind stops the start with its name instead of failing a report later."""
    from anlan.incidents.models import kind_rules, limit_table

    for name, read in (
        ("ANLAN_INCIDENT_REPORT_LIMITS", limit_table),
        ("ANLAN_INCIDENT_ACCIDENT_KINDS or ANLAN_INCIDENT_OTHER_KINDS", kind_rules),
    ):
        try:
            read()
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {exc}") from exc


class IncidentsConfig(AppConfig):
    name = "anlan.incidents"
    verbose_name = _("Incident reporting")

    def ready(self):
        check_settings()
        from anlan.incidents import (
            tasks,  # noqa: F401  (registers jobs)
            workflow,  # noqa: F401  (registers the timeline's labels)
        )
