"""The REST API object: authentication, the error format, one router per app.

Errors are always JSON of one shape::

    {"error": {"code": "validation_error", "message": "…", "fields": {"uscc": ["…"]}}}

``fields`` appears only for validation errors. Messages follow the request language
(Chinese by default).
"""

import json

import orjson
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from anlan.accounts.models import ApiToken
from anlan.core.workflow import StaleTransition


class ApiError(Exception):
    """Raised by routes for a structured error other than per-field validation."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            # History rows and scoping read request.user, as for a browser session.
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        return BearerToken().authenticate(request, key) if key else None


class JSONRenderer(BaseRenderer):
    """JSON through orjson: a page of the hazard ledger encodes in a third of the time of
    ``json`` (bench/RESULTS.md). Dates, times, decimals and lazy strings go through ninja's
    encoder, so values are written as before (``2026-11-23T00:49:26.922Z``, decimals as
    strings); text is UTF-8 rather than ``\\u`` escapes."""

    media_type = "application/json"
    _default = NinjaJSONEncoder().default
    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, request, data, *, response_status):
        try:
            return orjson.dumps(data, default=self._default, option=self._options)
        except orjson.JSONEncodeError:
            # What orjson refuses (text with a lone surrogate echoed back in an error message,
            # integers beyond 64 bits) is written as ninja writes it, not turned into a 500.
            return json.dumps(data, cls=NinjaJSONEncoder)


api = NinjaAPI(
    renderer=JSONRenderer(),
    title="Anlan API",
    version="1",
    description=(
        "安澜安全生产与应急管理平台 API。先用 POST /api/v1/auth/token 取得令牌，"
        "再以 `Authorization: Bearer <token>` 调用其他接口；浏览器中已登录的会话也可直接调用。"
    ),
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api",
)


def error_response(request, status: int, code: str, message: str, fields: dict | None = None):
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return api.create_response(request, {"error": body}, status=status)


_PYDANTIC_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "float_parsing": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "string_type": gettext_noop("Enter text."),
    "string_too_long": gettext_noop("The text is too long."),
    "extra_forbidden": gettext_noop("Unknown field."),
    "json_invalid": gettext_noop("The request body is not valid JSON."),
    "finite_number": gettext_noop("Enter a number."),
    "decimal_type": gettext_noop("Enter a number."),
    "float_type": gettext_noop("Enter a number."),
    "greater_than_equal": gettext_noop("The value is too small."),
    "greater_than": gettext_noop("The value is too small."),
    "less_than_equal": gettext_noop("The value is too large."),
    "less_than": gettext_noop("The value is too large."),
    "date_from_datetime_parsing": gettext_noop("Enter a valid date."),
    "date_parsing": gettext_noop("Enter a valid date."),
    "datetime_parsing": gettext_noop("Enter a valid date and time."),
    "datetime_from_date_parsing": gettext_noop("Enter a valid date and time."),
}


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query")
        ]
        name = ".".join(loc) or "__all__"
        template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
        fields.setdefault(name, []).append(_(template) if template else error.get("msg", ""))
    return error_response(
        request, 422, "validation_error", _("The request has invalid fields."), fields
    )


@api.exception_handler(ApiError)
def on_api_error(request, exc):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(StaleTransition)
def on_stale(request, exc):
    """A step that no longer applies (a double submit, a stale page): 409, never a 500."""
    return error_response(request, 409, "stale_state", str(exc))


@api.exception_handler(DjangoValidationError)
def on_action_refused(request, exc):
    """An action's own validation (actions.py raise ValidationError): 422 with its fields."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error_response(
        request, 422, "validation_error", _("The request has invalid fields."), fields
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error_response(request, 403, "forbidden", _("You are not allowed to do this."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Log in or send a valid token."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return error_response(request, exc.status_code, "error", str(exc))


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def raise_form_errors(form) -> None:
    raise ApiError(422, "validation_error", _("The request has invalid fields."), form_errors(form))


@api.get("/ping", summary="A trivial authenticated endpoint (health and benchmark baseline)")
def ping(request):
    return {"ok": True}


def register_routers() -> None:
    from anlan.accounts.api import router as accounts_router
    from anlan.duty.api import router as duty_router
    from anlan.hazards.api import router as hazards_router
    from anlan.incidents.api import router as incidents_router
    from anlan.regions.api import router as regions_router
    from anlan.registry.api import categories_router
    from anlan.registry.api import router as registry_router
    from anlan.risks.api import router as risks_router

    api.add_router("/auth/", accounts_router)
    api.add_router("/regions/", regions_router)
    api.add_router("/enterprises/", registry_router)
    api.add_router("/supervision-categories/", categories_router)
    api.add_router("/hazards/", hazards_router)
    api.add_router("/risks/", risks_router)
    api.add_router("/duty/", duty_router)
    api.add_router("/incidents/", incidents_router)


register_routers()
