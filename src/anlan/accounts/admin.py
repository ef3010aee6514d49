from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from anlan.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "region__code"]
    raw_id_fields = ["region"]
    filter_horizontal = ["supervised_categories"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "role", "organisation", "enterprise", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "phone"]
    raw_id_fields = ["organisation", "enterprise"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("安澜", {"fields": ["full_name", "phone", "role", "organisation", "enterprise"]}),
    ]
