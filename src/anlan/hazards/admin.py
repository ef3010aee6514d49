from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anlan.hazards.models import Hazard, HazardCategory, MajorHazardCriterion


@admin.register(HazardCategory)
class HazardCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order"]


@admin.register(MajorHazardCriterion)
class MajorHazardCriterionAdmin(admin.ModelAdmin):
    list_display = ["text", "category", "source"]
    list_filter = ["category"]


@admin.register(Hazard)
class HazardAdmin(SimpleHistoryAdmin):
    """Read-only for platform administrators: changes go through the workflow."""

    list_display = ["pk", "enterprise", "site_name", "region", "level", "state", "deadline"]
    list_filter = ["state", "level", "source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
