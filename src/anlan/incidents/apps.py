from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "anlan.incidents"
    verbose_name = _("Incident reporting")

    def ready(self):
        from anlan.core.workflow import register_event_labels
        from anlan.incidents import tasks  # noqa: F401  (registers jobs)

        register_event_labels(
            {
                "first_report": _("first report"),
                "register": _("registered from another source"),
                "forward_city": _("reported to the city"),
                "forward_province": _("reported to the province"),
                "written_city": _("written report to the city"),
                "written_province": _("written report to the province"),
                "follow_up": _("follow-up report"),
                "supplement": _("supplementary report"),
                "final": _("final report"),
                "correction": _("correction"),
                "suspected_concealment": _("suspected concealment"),
            }
        )
