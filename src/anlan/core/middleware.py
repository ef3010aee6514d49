"""Deny by default: every page needs a logged-in user except the few public paths; no text
with a NUL character gets past the door; the Content-Security-Policy on every response;
Chinese by default."""

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import SimpleLazyObject

from anlan.core.scoping import scope_of

GetResponse = Callable[[HttpRequest], HttpResponseBase]

# The API authenticates each request itself (token or session) and answers 401 in JSON.
# /r/ is the public page of a risk notice card (its QR code): only what the posted card shows.
PUBLIC_PREFIXES = ("/accounts/login/", "/i18n/", "/api/", "/healthz", "/favicon.ico", "/r/")


class LoginRequiredScopeMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Django's HttpRequest type does not declare the attribute this middleware adds.
        request.scope = SimpleLazyObject(lambda: scope_of(request.user))  # type: ignore[attr-defined]
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path.startswith(settings.STATIC_URL)
        if not public and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many
    office machines is English; officials expect the platform in Chinese (zh-hans).
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from django.utils import translation

        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {c for c, _name in settings.LANGUAGES}
        if code not in supported:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


def content_security_policy() -> str:
    """The policy sent with every response: scripts, styles, fonts and data only from this site
    (no inline script, no eval), nothing embeds our pages, forms post only here. Map tiles
    from ANLAN_MAP_TILES are the one outside source, as images."""
    images = ["'self'", "data:"]
    for url in settings.ANLAN_MAP_TILES.split():  # a base layer and a label layer, say
        tiles = urlsplit(url)
        if tiles.scheme in ("http", "https") and tiles.netloc:
            # A tile URL may name its subdomains as a template ({s}.tile.example.cn).
            host = ".".join("*" if "{" in label else label for label in tiles.netloc.split("."))
            if f"{tiles.scheme}://{host}" not in images:
                images.append(f"{tiles.scheme}://{host}")
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {' '.join(images)}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if settings.ANLAN_CSP_REPORT_URI:
        directives.append(f"report-uri {settings.ANLAN_CSP_REPORT_URI}")
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Sets Content-Security-Policy on every response (a view may set its own first)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response


NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_paths(value: Any, path: str) -> Iterator[str]:
    """Where a NUL hides in parsed JSON: "results.0.note" (pydantic's way of naming a place)."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "__all__"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield name
            else:
                yield from _nul_paths(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, f"{path}.{index}" if path else str(index))


def nul_fields(request: HttpRequest) -> list[str]:
    """The names of the request's parameters and fields whose text holds a NUL character:
    the path, the query string, form fields (and uploaded file names) and JSON bodies."""
    found = ["__path__"] if NUL in request.path else []
    found += [k for k, values in request.GET.lists() if NUL in k or any(NUL in v for v in values)]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        try:
            fields, files = request.POST, request.FILES
        except Exception:  # a broken body: the view answers it as it always did
            return found
        found += [k for k, values in fields.lists() if NUL in k or any(NUL in v for v in values)]
        found += [k for k, items in files.lists() if any(NUL in (f.name or "") for f in items)]
    elif request.method in ("POST", "PUT", "PATCH") and "json" in (request.content_type or ""):
        body = request.body
        if b"\\u0000" in body or b"\x00" in body:
            try:
                found += list(_nul_paths(json.loads(body), ""))
            except ValueError:  # not JSON: the API answers that itself
                pass
    return found


class RejectNulMiddleware:
    """Text with a NUL character (``\\0``) is refused with a 422 before any view sees it.

    PostgreSQL cannot store or even compare such text (every query with one failed, a 500),
    and no person types one: it comes from a broken client or an attack. One place for every
    page, filter, form and API route: the API answers in its error shape naming the fields,
    a page with a message.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        fields = nul_fields(request)
        if fields:
            return self.refuse(request, fields)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, fields: list[str]) -> HttpResponse:
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        message = _("Text may not contain the NUL character (\\0).")
        if request.path_info.startswith("/api/"):
            from anlan.api.base import error_response

            response: HttpResponse = error_response(
                request, 422, "validation_error", _("The request has invalid fields."),
                {name: [message] for name in dict.fromkeys(fields)},
            )  # fmt: skip
            return response
        return render(request, "bad_request.html", {"message": message}, status=422)
