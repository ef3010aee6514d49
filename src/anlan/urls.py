from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include

from anlan.accounts.security import LoginForm
from anlan.api.base import api_not_found
from anlan.api.site import api
from anlan.core.routes import NoRecords, Own, Public, path, re_path
from anlan.dashboard import views as dashboard_views
from anlan.risks import views as risk_views

urlpatterns = [
    path(
        "",
        dashboard_views.home,
        name="home",
        exposes=Own(
            "the user's workbench: counts of ledgers, each scoped by visible_to "
            "(tests/dashboard/test_workbench.py)"
        ),
    ),
    path("healthz", dashboard_views.healthz, name="healthz", exposes=Public("a health check")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(form_class=LoginForm),
        name="login",
        exposes=Public("the login form"),
    ),
    path(
        "accounts/logout/",
        auth_views.LogoutView.as_view(),
        name="logout",
        exposes=Own("ends the user's session"),
    ),
    path("accounts/", include("anlan.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n"), exposes=Own("the user's language")),
    path("enterprises/", include("anlan.registry.urls")),
    path("hazards/", include("anlan.hazards.urls")),
    path("risks/", include("anlan.risks.urls")),
    path("duty/", include("anlan.duty.urls")),
    path("incidents/", include("anlan.incidents.urls")),
    path(
        "r/<str:token>/",
        risk_views.public_card,
        name="risk_card_public",
        exposes=Public("the posted risk card, by an unguessable token (tests/risks)"),
    ),
    path(
        "inbox/", dashboard_views.inbox, name="inbox", exposes=Own("the user's own notifications")
    ),
    # The API's schema and docs; each operation declares its own (@exposes in the apps' api.py).
    path("api/v1/", api.urls, exposes=Public("the API's schema and documentation")),
    re_path(
        r"^api/",
        api_not_found,
        name="api_not_found",
        exposes=NoRecords("no such operation: a JSON 404"),
    ),
    path(
        "admin/",
        admin.site.urls,
        exposes=NoRecords("platform administrators only (test_access_matrix)"),
    ),
]
