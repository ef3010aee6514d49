"""Login lockout (django-axes): where a request comes from, what a locked-out login answers.

django-axes counts failed password logins per username and per source address
(``AXES_LOCKOUT_PARAMETERS``); settings.py names the functions below as its callables.
Before the lock, :func:`login_wait_seconds` slows the attempts down, from axes' own counters.
"""

import ipaddress
import math
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max, Sum
from django.http import HttpResponse
from django.utils import timezone
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


def login_wait_seconds(request, username: str) -> int:
    """How many seconds this login attempt must still wait (0: check it now).

    From ``ANLAN_LOGIN_SLOWDOWN_AFTER`` failures of a username, or of an address (axes'
    counters, each lockout parameter apart), an attempt within
    ``ANLAN_LOGIN_SLOWDOWN_SECONDS`` × 2^(failures − AFTER) of the last failure is refused
    without checking the password, and without counting as a failure (the caller does not
    call ``authenticate``). At the failure limit the lock takes over; the wait never exceeds
    the lock's cool-off."""
    after = settings.ANLAN_LOGIN_SLOWDOWN_AFTER
    limit = settings.AXES_FAILURE_LIMIT
    if not settings.AXES_ENABLED or not after or after >= limit:
        return 0
    credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    if not hasattr(handler, "get_user_attempts") or handler.is_whitelisted(request, credentials):
        return 0
    cap = settings.ANLAN_LOGIN_COOLOFF_MINUTES * 60 or 3600
    now = timezone.now()
    wait = 0.0
    for attempts in handler.get_user_attempts(request, credentials):
        counted = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        failures = counted["failures"] or 0
        if not after <= failures < limit:
            continue
        seconds = min(settings.ANLAN_LOGIN_SLOWDOWN_SECONDS * 2 ** (failures - after), cap)
        until = counted["last"] + timedelta(seconds=seconds)
        wait = max(wait, (until - now).total_seconds())
    return math.ceil(wait) if wait > 0 else 0


def slowdown_message(seconds: int) -> str:
    return _("Many failed logins: try again in %(seconds)s seconds.") % {"seconds": seconds}


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login answers (status 429): the API its JSON error, the login forms
    their page with the lockout message (the form says it, see LockoutMessageMixin)."""
    if request.path_info.startswith("/api/"):
        from anlan.api.base import error_response

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
    refused the attempt, so a user knows that retrying is pointless; and "wait N seconds",
    without checking the password, while the attempts are slowed down."""

    locked = slowed = False

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = login_wait_seconds(self.request, username)
            if wait:
                self.slowed = True
                raise forms.ValidationError(slowdown_message(wait), code="slowed")
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                self.locked = True
                raise forms.ValidationError(lockout_message(), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass
