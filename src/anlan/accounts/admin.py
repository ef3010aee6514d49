from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from anlan.accounts.actions import do_revoke_token
from anlan.accounts.models import ApiToken, Organisation, User


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
    actions = ["unlock_login"]

    @admin.action(description=gettext_lazy("Unlock login (clear failed login attempts)"))
    def unlock_login(self, request, queryset):
        cleared = sum(axes_reset(username=user.username) for user in queryset)
        self.message_user(
            request,
            _("Login unlocked for %(users)s users (%(attempts)s failed-attempt records cleared).")
            % {"users": queryset.count(), "attempts": cleared},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are revoked (marked, kept), never deleted or edited here."""

    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at", "revoked_by"]
    list_filter = ["revoked_because"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name not in ("id", "key_hash")]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Revoke selected API tokens"))
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            do_revoke_token(token, actor=request.user)
            revoked += 1
        self.message_user(
            request, _("%(n)s API tokens revoked.") % {"n": revoked}, messages.SUCCESS
        )
