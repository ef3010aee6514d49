from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anlan.risks.models import ControlMeasure, InvestigationTask, RiskEvent


class ReadOnly(SimpleHistoryAdmin):
    """For platform administrators to look: changes go through the register pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskEvent)
class RiskEventAdmin(ReadOnly):
    list_display = ["pk", "enterprise", "name", "level"]
    list_filter = ["level"]


@admin.register(ControlMeasure)
class ControlMeasureAdmin(ReadOnly):
    list_display = ["pk", "enterprise", "description", "frequency"]


@admin.register(InvestigationTask)
class InvestigationTaskAdmin(admin.ModelAdmin):
    list_display = ["pk", "enterprise", "measure", "window_start", "state"]
    list_filter = ["state", "frequency"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
