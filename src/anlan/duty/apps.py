from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "anlan.duty"
    verbose_name = _("24-hour duty")
