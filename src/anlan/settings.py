"""Anlan settings: one module, every knob an environment variable (see docs/settings.md).

The embedded default needs no server: SQLite in WAL mode in ``ANLAN_DATA_DIR``.
Production sets ``DATABASE_URL`` (PostgreSQL), ``ANLAN_SECRET_KEY`` and ``ANLAN_ALLOWED_HOSTS``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anlan.accounts.conf import SETTINGS as ACCOUNT_SETTINGS
from anlan.duty.conf import SETTINGS as DUTY_SETTINGS
from anlan.hazards.conf import SETTINGS as HAZARD_SETTINGS
from anlan.incidents.conf import SETTINGS as INCIDENT_SETTINGS
from anlan.risks import conf as risks_conf
from anlan.risks.conf import SETTINGS as RISK_SETTINGS

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("ANLAN_DATA_DIR") or (Path.cwd() / "data")).resolve()
DEBUG = env_bool("ANLAN_DEBUG", False)
PRODUCTION = env_bool("ANLAN_PRODUCTION", False)
DEMO = env_bool("ANLAN_DEMO", False)


def _secret_key() -> str:
    """Production must set ANLAN_SECRET_KEY; elsewhere a key is kept in the data folder."""
    key = os.environ.get("ANLAN_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("ANLAN_SECRET_KEY must be set when ANLAN_PRODUCTION=1")
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ANLAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ANLAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, behind the override in templates/django/forms
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    "anlan.core",
    "anlan.regions",
    "anlan.accounts",
    "anlan.registry",
    "anlan.hazards",
    "anlan.risks",
    "anlan.duty",
    "anlan.incidents",
    "anlan.dashboard",
    "anlan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anlan.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anlan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anlan.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "anlan.core.middleware.LoginRequiredScopeMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anlan.urls"
# Widgets render through TEMPLATES, so templates/django/forms/widgets/select_option.html reads
# the empty choice "---------" as 请选择 in every form, model or plain.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "anlan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anlan.core.context_processors.navigation",
            ],
            # Tests turn this on to make a missing variable fail loudly (tests/conftest.py).
            "string_if_invalid": os.environ.get("ANLAN_TEMPLATE_STRING_IF_INVALID", ""),
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("ANLAN_DB_CONN_MAX_AGE", 60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "anlan.sqlite3",
        "OPTIONS": {
            # WAL lets readers work while one writer writes; IMMEDIATE avoids
            # "database is locked" on lock upgrades inside transactions.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # A file, not memory: the live server used by browser tests runs in other threads.
        "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login security: the settings are declared in accounts/conf.py and handed to django-axes here.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_login = ACCOUNT_SETTINGS.read()
globals().update(_login)
AXES_ENABLED = _login["ANLAN_LOGIN_LOCKOUT"]
AXES_FAILURE_LIMIT = _login["ANLAN_LOGIN_FAILURE_LIMIT"]
_cooloff = _login["ANLAN_LOGIN_COOLOFF_MINUTES"]
AXES_COOLOFF_TIME = timedelta(minutes=_cooloff) if _cooloff > 0 else None
AXES_LOCKOUT_PARAMETERS = _login["ANLAN_LOGIN_LOCK_BY"]
# A successful login clears that username's and address's failures; attempts during a lock
# are refused without restarting it (the lock ends when the message says).
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "anlan.accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "anlan.accounts.security.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Content-Security-Policy on every response (core/middleware.py): scripts and styles only
# from this site's static files, no inline scripts. ANLAN_CSP_REPORT_URI: where browsers
# report violations (optional). Map tiles (ANLAN_MAP_TILES, each URL's host) are allowed as images.
ANLAN_CSP_REPORT_URI = os.environ.get("ANLAN_CSP_REPORT_URI", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("ANLAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
# One date-time format on every page and message, in local time: 2026-12-02 15:04, dates
# 2026-12-02 (anlan/formats; the Excel exports use the same, core/excel.py).
FORMAT_MODULE_PATH = ["anlan.formats"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ANLAN_STATIC_ROOT") or (DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ANLAN_MEDIA_ROOT") or (DATA_DIR / "media"))
# Without collectstatic (the demo, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_AGE = env_int("ANLAN_SESSION_AGE_SECONDS", 12 * 3600)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# Behind TLS (docs/deploy.md): production redirects plain HTTP to HTTPS, sends HSTS and marks
# its cookies secure, so `anlan check --deploy --fail-level WARNING` is clean. The proxy in
# front must pass X-Forwarded-Proto (the header above) and strip it from clients.
SECURE_SSL_REDIRECT = env_bool("ANLAN_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitoring asks gunicorn directly, without TLS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("ANLAN_SECURE_COOKIES", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("ANLAN_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ANLAN_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("ANLAN_HSTS_PRELOAD", PRODUCTION)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"ANLAN_HSTS_SECONDS must be 0 or more, got {SECURE_HSTS_SECONDS}")

# Uploads: the largest import file accepted (bytes).
ANLAN_MAX_IMPORT_BYTES = env_int("ANLAN_MAX_IMPORT_BYTES", 10 * 1024 * 1024)
ANLAN_MAX_IMPORT_ROWS = env_int("ANLAN_MAX_IMPORT_ROWS", 20000)
ANLAN_PAGE_SIZE = env_int("ANLAN_PAGE_SIZE", 25)
# API tokens expire after this many days.
ANLAN_TOKEN_DAYS = env_int("ANLAN_TOKEN_DAYS", 30)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

SITE_TITLE = _("Anlan Safety Platform")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANLAN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Background jobs: "inline" (in-process, no server) or "celery" (Redis broker).
ANLAN_TASKS = os.environ.get("ANLAN_TASKS", "inline")
if ANLAN_TASKS not in {"inline", "celery"}:
    raise ImproperlyConfigured("ANLAN_TASKS must be inline or celery")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
ANLAN_PERIODIC_SECONDS = env_int("ANLAN_PERIODIC_SECONDS", 300)
# Notifications
ANLAN_BASE_URL = os.environ.get("ANLAN_BASE_URL", "http://127.0.0.1:8000")
ANLAN_WEBHOOK_URL = os.environ.get("ANLAN_WEBHOOK_URL", "")
ANLAN_DELIVERY_ATTEMPTS = env_int("ANLAN_DELIVERY_ATTEMPTS", 5)
EMAIL_BACKEND = os.environ.get(
    "ANLAN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("ANLAN_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("ANLAN_SMTP_HOST", "localhost")
EMAIL_PORT = env_int("ANLAN_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("ANLAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ANLAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ANLAN_SMTP_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("ANLAN_EMAIL_FROM", "anlan@localhost")
# Uploads
ANLAN_MAX_UPLOAD_BYTES = env_int("ANLAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Each app's own settings (accounts above; hazards, risks, incidents, duty) are declared in <app>/conf.py
# (core.conf.SettingsGroup): read here, where a value that does not read stops the start, and
# checked once at start-up by CoreConfig.ready().
for _group in (HAZARD_SETTINGS, RISK_SETTINGS, INCIDENT_SETTINGS, DUTY_SETTINGS):
    globals().update(_group.read())
RISK_LEVEL_KEYS = risks_conf.RISK_LEVEL_KEYS
# Maps (docs/deploy.md, "Maps"). Without tiles the maps draw the towns' outlines and names
# from the database (anlan load_boundaries; the demo ships its own) with the points on them:
# no outside request, as an intranet needs. ANLAN_MAP_TILES: one or more Leaflet tile URLs
# ({z}/{x}/{y}, {s} for a subdomain), separated by spaces, drawn in order (a base layer, then
# a label layer), under the outlines, e.g. 天地图 (Tianditu) with a key:
#   https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=KEY
#   https://t{s}.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=KEY
# or an intranet server: https://tiles.example.gov.cn/{z}/{x}/{y}.png. Tiles must be in Web
# Mercator with WGS 84 / CGCS2000 coordinates (Tianditu is; GCJ-02 maps shift points).
ANLAN_MAP_TILES = os.environ.get("ANLAN_MAP_TILES", "")
# The letters or digits {s} takes in the tile URLs (Tianditu: 01234567).
ANLAN_MAP_SUBDOMAINS = os.environ.get("ANLAN_MAP_SUBDOMAINS", "abc")
# The credit line the tile provider requires, shown in the map's corner; for Tianditu its
# name and the current map approval number (审图号), e.g. "© 天地图 GS(…)号".
ANLAN_MAP_ATTRIBUTION = os.environ.get("ANLAN_MAP_ATTRIBUTION", "")
# The public address printed in QR codes (risk notice cards), e.g. https://anlan.example.gov.cn;
# empty: the address the official printing the card is using.
ANLAN_PUBLIC_URL = os.environ.get("ANLAN_PUBLIC_URL", "")
