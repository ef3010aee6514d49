"""Deny by default: every page needs a logged-in user except the few public paths."""

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
