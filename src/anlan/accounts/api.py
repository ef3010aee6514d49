from datetime import datetime

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from anlan.accounts.actions import do_revoke_token
from anlan.accounts.models import ApiToken
from anlan.accounts.security import lockout_message, login_wait_seconds, slowdown_message
from anlan.api.base import ApiError, error_response
from anlan.core.routes import Own, Public, exposes
from anlan.core.scoping import access_or_404

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    organisation: str
    actions: list[str]


@exposes(Public("logging in for a token"))
@router.post("/token", auth=None, response=TokenOut, summary="Obtain an API token")
def obtain_token(request, payload: TokenIn):
    wait = login_wait_seconds(request, payload.username)
    if wait:
        # Refused before the password is checked: not counted as a failure (settings.py).
        response = error_response(request, 429, "login_slowed", slowdown_message(wait))
        response["Retry-After"] = str(wait)
        return response
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # django-axes refused or counted the last allowed failure (settings.py, "Login security").
        raise ApiError(429, "login_locked", lockout_message())
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    token, key = ApiToken.objects.issue(user)
    return {"token": key, "expires_at": token.expires_at}


@exposes(Own("the user and what they may do"))
@router.get("/me", response=MeOut, summary="The current user and what they may do")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "organisation": user.unit_name(),
        "actions": sorted(user.allowed_actions()),
    }


class ApiTokenOut(Schema):
    id: int
    username: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    status: str  # active | expired | revoked
    revoked_at: datetime | None
    revoked_by: str | None
    revoked_because: str


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.pk,
        "username": token.user.username,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "status": token.status,
        "revoked_at": token.revoked_at,
        "revoked_by": token.revoked_by.username if token.revoked_by_id else None,
        "revoked_because": token.revoked_because,
    }


@exposes(Own("the user's own tokens (an administrator: everyone's), tests/accounts"))
@router.get(
    "/tokens",
    response=list[ApiTokenOut],
    summary="API tokens: the caller's own; an administrator's: everyone's (or one user's)",
)
def list_tokens(request, username: str = ""):
    tokens = ApiToken.objects.visible_to(request.auth).select_related("user", "revoked_by")
    if username:
        tokens = tokens.filter(user__username=username)
    return [_token_out(t) for t in tokens.order_by("-created_at", "-pk")]


@exposes(Own("the user's own token; another user's is a 404 (tests/accounts)"))
@router.post(
    "/tokens/{int:token_id}/revoke",
    response=ApiTokenOut,
    summary="Revoke an API token (marked revoked, kept): its owner or an administrator",
)
def revoke_token(request, token_id: int):
    token = access_or_404(ApiToken.objects.select_related("user"), request.auth, token_id)
    try:
        token = do_revoke_token(token, actor=request.auth)
    except ValidationError as exc:  # revoked meanwhile, checked under the row's lock
        if exc.code != "already_revoked":
            raise
        raise ApiError(409, "already_revoked", exc.messages[0]) from exc
    return _token_out(token)
