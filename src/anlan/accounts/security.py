"""Login lockout (django-axes): where a request comes from, what a locked-out login answers.

django-axes counts failed password logins per username and per source address
(``AXES_LOCKOUT_PARAMETERS``); settings.py names the functions below as its callables.
"""

import ipaddress

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The source address counted for lockouts.

    Without ``ANLAN_CLIENT_IP_HEADER`` it is the peer address, whatever headers the client
    sends. With it (a proxy in front sets that header), the last address in the header: the
    one the nearest proxy saw, which a client cannot forge by sending the header itself."""
    header = settings.ANLAN_CLIENT_IP_HEADER
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        candidate = raw.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def lockout_minutes() -> int:
    return settings.ANLAN_LOGIN_COOLOFF_MINUTES


def lockout_message() -> str:
    minutes = lockout_minutes()
    if minutes:
        return _(
            "Too many failed logins: this account or this address is locked for %(minutes)s "
            "minutes. Ask an administrator to unlock it sooner."
        ) % {"minutes": minutes}
    return _(
        "Too many failed logins: this account or this address is locked until an "
        "administrator unlocks it."
    )


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login answers (status 429): the API its JSON error, the login forms
    their page with the lockout message (the form says it, see LockoutMessageMixin)."""
    if request.path_info.startswith("/api/"):
        from anlan.api import error_response

        response = error_response(request, 429, "login_locked", lockout_message())
    elif original_response is not None and original_response.status_code == 200:
        response = original_response
        response.status_code = 429
    else:
        response = HttpResponse(lockout_message(), status=429, content_type="text/plain")
    if lockout_minutes():
        response["Retry-After"] = str(lockout_minutes() * 60)
    return response


class LockoutMessageMixin:
    """A login form that says "locked" (in Chinese) instead of "wrong password" when axes
    refused the attempt, so a user knows that retrying is pointless."""

    locked = False

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                self.locked = True
                raise forms.ValidationError(lockout_message(), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass
