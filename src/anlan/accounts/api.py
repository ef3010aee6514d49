from datetime import datetime

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Schema

from anlan.accounts.models import ApiToken
from anlan.api import ApiError

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


@router.post("/token", auth=None, response=TokenOut, summary="Obtain an API token")
def obtain_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_credentials", _("Wrong username or password."))
    token, key = ApiToken.objects.issue(user)
    return {"token": key, "expires_at": token.expires_at}


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
