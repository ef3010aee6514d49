"""The user's own account pages: API tokens (list, revoke) and the password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anlan.accounts.actions import do_revoke_token
from anlan.accounts.models import ApiToken
from anlan.core.permissions import can
from anlan.core.scoping import access_or_404


def tokens(request):
    """The user's API tokens; an administrator sees everyone's, with their owner."""
    rows = (
        ApiToken.objects.visible_to(request.user)
        .select_related("user", "revoked_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": rows[:500], "all_users": can(request.user, "accounts.tokens")},
    )


@require_POST
def token_revoke(request, pk: int):
    token = access_or_404(ApiToken.objects.all(), request.user, pk)
    try:
        do_revoke_token(token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:tokens")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs["class"] = "form-control"
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, _("Your password is changed; all your API tokens are revoked.")
        )
        return response
