from anlan.accounts import views
from anlan.core.routes import Own, path

app_name = "accounts"
urlpatterns = [
    path(
        "tokens/",
        views.tokens,
        name="tokens",
        exposes=Own("the user's own API tokens (an administrator: everyone's), tests/accounts"),
    ),
    path(
        "tokens/<int:pk>/revoke/",
        views.token_revoke,
        name="token_revoke",
        exposes=Own("the user's own token; another user's is a 404 (tests/accounts)"),
    ),
    path(
        "password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
        exposes=Own("the user's own password"),
    ),
]
