from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from anlan.accounts.security import LoginForm
from anlan.api.base import api_not_found
from anlan.api.site import api
from anlan.dashboard import views as dashboard_views
from anlan.risks import views as risk_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("anlan.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("anlan.registry.urls")),
    path("hazards/", include("anlan.hazards.urls")),
    path("risks/", include("anlan.risks.urls")),
    path("duty/", include("anlan.duty.urls")),
    path("incidents/", include("anlan.incidents.urls")),
    path("r/<str:token>/", risk_views.public_card, name="risk_card_public"),
    path("inbox/", dashboard_views.inbox, name="inbox"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found, name="api_not_found"),  # no such operation: JSON 404
    path("admin/", admin.site.urls),
]
