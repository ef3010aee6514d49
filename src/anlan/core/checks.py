"""House rules checked at start-up (and by `anlan check` in CI)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.db import models

from anlan.core.scoping import Scoped, ScopedQuerySet


@checks.register()
def business_models_follow_house_rules(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(model, Scoped):
            continue
        label = model._meta.label
        if not isinstance(model._default_manager.get_queryset(), ScopedQuerySet):
            errors.append(
                checks.Error(f"{label}: default manager must use ScopedQuerySet", id="anlan.E001")
            )
        if not hasattr(model, "history"):
            errors.append(
                checks.Error(f"{label}: business models keep HistoricalRecords", id="anlan.E002")
            )
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and field.remote_field.on_delete is not models.PROTECT
            ):
                errors.append(
                    checks.Error(
                        f"{label}.{field.name}: business foreign keys PROTECT", id="anlan.E003"
                    )
                )
    return errors


@checks.register()
def translations_are_compiled(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Without the compiled .mo every page and API message would answer in English."""
    from pathlib import Path

    from django.conf import settings

    errors: list[checks.CheckMessage] = []
    for locale in settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale).glob("*/LC_MESSAGES/*.po")):
            if not po_path.with_suffix(".mo").exists():
                errors.append(
                    checks.Error(
                        f"{po_path} is not compiled: pages and the API would answer in English",
                        hint="run ./dev setup (scripts/compile_messages.py), or install a wheel",
                        id="anlan.E010",
                    )
                )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def login_lockout_sees_the_client(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Behind a reverse proxy every request comes from the proxy's address: locking by address
    without the client's real one would let five failed logins by anyone lock out everybody."""
    from django.conf import settings

    if (
        settings.PRODUCTION
        and settings.AXES_ENABLED
        and "ip_address" in settings.AXES_LOCKOUT_PARAMETERS
        and not settings.ANLAN_CLIENT_IP_HEADER
    ):
        return [
            checks.Warning(
                "Login lockout by address reads the socket's address, the reverse proxy's",
                hint="behind nginx set ANLAN_CLIENT_IP_HEADER=X-Forwarded-For (docs/deploy.md); "
                "with no proxy in front, set the header the server sees, e.g. X-Real-IP, or lock "
                "by username only (ANLAN_LOGIN_LOCK_BY=username)",
                id="anlan.W011",
            )
        ]
    return []
