from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anlan.registry.models import Enterprise, SupervisionCategory


@admin.register(SupervisionCategory)
class SupervisionCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "sort_order"]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    """Platform administrators only (superusers); officials use the registry pages."""

    list_display = ["name", "uscc", "region", "category", "is_key", "archived_at"]
    list_filter = ["category", "is_key"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["region", "archived_by"]

    def has_delete_permission(self, request, obj=None):
        return False
