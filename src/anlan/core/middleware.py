"""Deny by default: every page needs a logged-in user except the few public paths; the
Content-Security-Policy on every response; Chinese by default."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.functional import SimpleLazyObject

from anlan.core.scoping import scope_of

# The API authenticates each request itself (token or session) and answers 401 in JSON.
# /r/ is the public page of a risk notice card (its QR code): only what the posted card shows.
PUBLIC_PREFIXES = ("/accounts/login/", "/i18n/", "/api/", "/healthz", "/favicon.ico", "/r/")


class LoginRequiredScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_of(request.user))
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
    tiles = urlsplit(settings.ANLAN_MAP_TILES)
    if tiles.scheme in ("http", "https") and tiles.netloc:
        # A tile URL may name its subdomains as a template ({s}.tile.example.cn).
        host = ".".join("*" if "{" in label else label for label in tiles.netloc.split("."))
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response
