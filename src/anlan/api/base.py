"""What every router of the REST API shares: authentication, the error format, the input
bases and types. Apps import from here; the API object with every app's router mounted is
assembled in :mod:`anlan.api.site`, so importing an app's ``api`` module first never goes round
in a circle.

Errors are always JSON of one shape::

    {"error": {"code": "validation_error", "message": "…", "fields": {"uscc": ["…"]}}}

``fields`` appears only for validation errors. Messages follow the request language
(Chinese by default).
"""

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyHeader, HttpBearer
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError, PydanticUndefined

from anlan.accounts.models import ApiToken
from anlan.core.bounds import MAX_ID, MAX_UTC_OFFSET, date_in_bounds
from anlan.core.forms import max_length_of, same_value
from anlan.core.ledger import InvalidFilters
from anlan.core.middleware import FORM_TYPES
from anlan.core.models import Archivable
from anlan.core.workflow import StaleTransition, Transition, Workflow


def bounded_moment(value: Any) -> Any:
    """A date or time within the years core.bounds allows and a UTC offset within ±15:59, else a
    validation error (type ``date_out_of_range`` or ``utc_offset_out_of_range``)."""
    if isinstance(value, (list, tuple)):
        for item in value:
            bounded_moment(item)
    elif isinstance(value, date):
        if not date_in_bounds(value):
            raise PydanticCustomError("date_out_of_range", "date out of range")
        offset = value.utcoffset() if isinstance(value, datetime) else None
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise PydanticCustomError("utc_offset_out_of_range", "UTC offset out of range")
    return value


# Types for parameters declared in a route's signature (bodies inherit InSchema instead).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, AfterValidator(bounded_moment)]
Moment = Annotated[datetime, AfterValidator(bounded_moment)]


class InSchema(Schema):
    """The base of every request body: its dates and times are within bounds."""

    @field_validator("*", mode="after")
    @classmethod
    def _bounded_moments(cls, value: Any) -> Any:
        return bounded_moment(value)


class PatchSchema(InSchema):
    """The base of every PATCH body: a field that does not exist (or is read-only) is a 422
    naming it, never silently ignored. Fields a caller may not change are refused by
    :func:`refuse_locked_fields`."""

    model_config = ConfigDict(extra="forbid")


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


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = Field(
        None, description="Per field: its messages (validation errors only)"
    )


class ErrorOut(Schema):
    error: ErrorDetail


# Shared bodies and answers: archiving with a reason, and a record's history of changes
# (core.history.history_of).
class ArchiveIn(InSchema):
    reason: str = Field(..., max_length=max_length_of(Archivable, "archive_reason"))


class ChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class HistoryOut(Schema):
    when: datetime
    who: str | None
    kind: str
    reason: str
    changes: list[ChangeOut]


ERROR_DESCRIPTIONS = {
    401: "Not logged in, or the token is missing, wrong or expired",
    403: "Visible, but not yours to do",
    404: "Missing, or outside your jurisdiction",
    409: "The record's state does not allow this (archived, already done, changed meanwhile)",
    415: "The body is a form (multipart or url-encoded), but the operation takes JSON",
    422: "Invalid fields: each one named with its messages",
    429: "Too many failed logins: wait the seconds Retry-After says (login_slowed), or the "
    "account or the address is locked for a while (login_locked)",
}
# Operations that answer an error the rules below do not foresee, and those that never refuse
# a logged-in caller (keyed by method and path below the API's root).
EXTRA_ERRORS = {("post", "/auth/token"): {401, 429}}
NEVER_FORBIDDEN = {("get", "/ping"), ("get", "/auth/me")}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_statuses(method: str, path: str, operation: dict) -> set[int]:
    """The error answers one operation can give, read from its own OpenAPI entry: 401 and
    403 when it needs a login, 404 when it names a record in its path, 409 when it writes to
    one, 415 when it takes a JSON body, 422 when it takes any input."""
    parameters = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in parameters)
    statuses = set(EXTRA_ERRORS.get((method, path), ()))
    if operation.get("security"):
        statuses.add(401)
        if (method, path) not in NEVER_FORBIDDEN:
            statuses.add(403)
    if in_path:
        statuses.add(404)
        if method in WRITE_METHODS:
            statuses.add(409)
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        statuses.add(415)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    return statuses


class AnlanAPI(NinjaAPI):
    """ninja's API with every operation's error answers documented in one place: each
    declares the statuses of :func:`error_statuses` with the one error shape (ErrorOut), and
    every error answered in that shape (:data:`EXCEPTION_HANDLERS`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for exception, handler in EXCEPTION_HANDLERS.items():
            self.add_exception_handler(exception, handler)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        root = self.get_root_path(path_params or {}) if path_prefix is None else path_prefix
        definition = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(definition.pop("$defs", {}))
        components["ErrorOut"] = definition
        for path, operations in schema["paths"].items():
            relative = "/" + path.removeprefix(root).lstrip("/")
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in sorted(error_statuses(method, relative, operation)):
                    if status in responses:  # declared by the route itself (ErrorOut)
                        responses[status]["description"] = ERROR_DESCRIPTIONS[status]
                    responses.setdefault(
                        status,
                        {
                            "description": ERROR_DESCRIPTIONS[status],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        return schema


def json_response(request, data, status: int = 200) -> HttpResponse:
    """``data`` written by the API's renderer, as a route's return value would be."""
    renderer = JSONRenderer()
    content = renderer.render(request, data, response_status=status)
    return HttpResponse(
        content, status=status, content_type=f"{renderer.media_type}; charset={renderer.charset}"
    )


def error_response(request, status: int, code: str, message: str, fields: dict | None = None):
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return json_response(request, {"error": body}, status=status)


_PYDANTIC_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "float_parsing": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "string_type": gettext_noop("Enter text."),
    "string_too_long": gettext_noop("The text is too long: at most %(max_length)s characters."),
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
    "datetime_type": gettext_noop("Enter a valid date and time."),
    "date_type": gettext_noop("Enter a valid date."),
    "date_out_of_range": gettext_noop("Enter a date between the years 1900 and 2999."),
    "utc_offset_out_of_range": gettext_noop("A time zone offset lies within ±15:59."),
    "list_type": gettext_noop("Enter a list."),
    "model_type": gettext_noop("Enter an object."),
    "model_attributes_type": gettext_noop("Enter an object."),
    "dict_type": gettext_noop("Enter an object."),
}


def on_schema_error(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload", "query", "form")
        ]
        name = ".".join(loc) or "__all__"
        template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
        message = _(template) % error.get("ctx", {}) if template else error.get("msg", "")
        fields.setdefault(name, []).append(message)
    return error_response(
        request, 422, "validation_error", _("The request has invalid fields."), fields
    )


def on_api_error(request, exc):
    return error_response(request, exc.status, exc.code, exc.message, exc.fields)


def on_invalid_filters(request, exc):
    """A ledger's filter form refused the query (core/ledger.py): 422 with its fields."""
    return error_response(
        request,
        422,
        "validation_error",
        _("The request has invalid fields."),
        form_errors(exc.form),
    )


def on_stale(request, exc):
    """A step that no longer applies (a double submit, a stale page): 409, never a 500."""
    return error_response(request, 409, "stale_state", str(exc))


def on_action_refused(request, exc):
    """An action's own validation (actions.py raise ValidationError): 422 with its fields."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error_response(
        request, 422, "validation_error", _("The request has invalid fields."), fields
    )


def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


def on_forbidden(request, exc):
    return error_response(request, 403, "forbidden", _("You are not allowed to do this."))


def on_unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated", _("Log in or send a valid token."))


def on_form_body(request, exc):
    """A form (multipart or url-encoded) sent to an operation that takes a JSON body: 415.
    A multipart body is parsed before the route (RejectNulMiddleware reads request.POST), so
    ninja can no longer read it as JSON (RawPostDataException, once a 500); a url-encoded one
    reads but is not JSON. JSON text sent as a form (``curl -d``) is still taken."""
    message = _("The request body must be JSON (Content-Type: application/json).")
    return error_response(request, 415, "unsupported_media_type", message)


def on_http_error(request, exc):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        if request.content_type in FORM_TYPES:
            return on_form_body(request, exc)
        # ninja's answer to a body that is not JSON: an invalid request like any other.
        fields = {"__all__": [_(_PYDANTIC_MESSAGES["json_invalid"])]}
        return error_response(
            request, 422, "validation_error", _("The request has invalid fields."), fields
        )
    return error_response(request, exc.status_code, "error", str(exc))


EXCEPTION_HANDLERS = {
    NinjaValidationError: on_schema_error,
    ApiError: on_api_error,
    InvalidFilters: on_invalid_filters,
    StaleTransition: on_stale,
    DjangoValidationError: on_action_refused,
    Http404: on_not_found,
    PermissionDenied: on_forbidden,
    AuthenticationError: on_unauthenticated,
    HttpError: on_http_error,
    RawPostDataException: on_form_body,
}


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


class PeriodQuery(Schema):
    """The period of a statistics route (core/periods.py): the same parameters as its page."""

    period: Literal["month", "quarter", "year", "range", "all"] | None = Field(
        None, description="this month, quarter or year to date, or a range of start and end"
    )
    start: Day | None = Field(None, description="a range's first day (local calendar day)")
    end: Day | None = Field(None, description="a range's last day, included")


def period_or_error(query: PeriodQuery, default: str = "year", allow_all: bool = False):
    """The period asked for (None: all records, where allowed); a wrong one is a 422 naming
    the parameter at fault, in the API's error shape."""
    from django.utils import timezone

    from anlan.core.periods import PeriodError, period_from_params

    params = query.model_dump(exclude_none=True)
    try:
        return period_from_params(params, timezone.localdate(), default, allow_all)
    except PeriodError as refused:
        raise ApiError(
            422,
            "validation_error",
            _("The request has invalid fields."),
            {refused.field: [str(refused.message)]},
        ) from None


def raise_form_errors(form) -> None:
    raise ApiError(422, "validation_error", _("The request has invalid fields."), form_errors(form))


def refuse_locked_fields(form, sent) -> None:
    """A field this caller may not set is a 422 naming it, never a silent no-op: in a PATCH,
    one the form disables for them (the page shows it read-only); in a new record, one the
    server fills in for them (core.forms.PresetFieldsMixin: the page does not show it), sent
    with another value than the server's."""
    fields: dict[str, list[str]] = {}
    for name in sent:
        if name in form.fields and form.fields[name].disabled:
            fields[name] = [_("You may not change this field.")]
    for name, value in getattr(form, "preset_values", {}).items():
        if name in sent and not same_value(value, sent[name]):
            fields[name] = [_("This field is filled in for you from your record; leave it out.")]
    if fields:
        raise ApiError(422, "validation_error", _("The request has invalid fields."), fields)


def sent_values(payload: Schema) -> dict[str, Any]:
    """The fields a request body gave a value (not left out, not empty): what
    :func:`refuse_locked_fields` weighs for a new record."""
    return {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value not in (None, "")
    }


def model_text(model: type[Model], name: str, default: Any = PydanticUndefined, **kwargs: Any):
    """A text field of a request body limited as the model field is (core.forms.max_length_of):
    longer text is a 422 naming the field and its limit, before any form runs."""
    return Field(default, max_length=max_length_of(model, name), **kwargs)


def transition_or_error(workflow: Workflow, name: str, take: Callable[[Transition], Any]) -> None:
    """The generic ``POST …/{id}/transitions/{name}`` route's step: ``take`` runs the app's
    ``do_*`` action for the transition. A name the table does not have, or one no route takes
    (a record's creation), is a 404; what the action refuses answers through the handlers
    above (409 stale state, 403 not allowed, 422 invalid inputs)."""
    transition = workflow.by_name.get(name)
    if transition is None or not transition.sources:
        raise Http404
    take(transition)


@csrf_exempt  # the API authenticates by token: a POST to a wrong path is a 404 as well
def api_not_found(request, *args, **kwargs):
    """A path under /api/ that names no operation (``/enterprises/abc``): the API's 404 in its
    error shape, not the site's HTML page."""
    return error_response(request, 404, "not_found", _("Not found."))
