from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Navigation entries by role; templates never decide access themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        personas = []
        if settings.DEMO:
            from anlan.demo.world import PERSONAS

            personas = [p.username for p in PERSONAS]
        return {"demo_mode": settings.DEMO, "demo_personas": personas}
    from anlan.core.notifications import unread_count
    from anlan.core.permissions import can

    return {
        "demo_mode": settings.DEMO,
        "nav_can": {
            "registry_create": can(user, "registry.create"),
            "registry_import": can(user, "registry.import"),
            "registry_export": can(user, "registry.export"),
            "admin": user.is_staff,
            "hazards": can(user, "hazards.view"),
            "hazards_report": can(user, "hazards.report"),
            "risks": can(user, "risks.view"),
            "incidents": can(user, "incidents.view"),
            "duty": can(user, "duty.view"),
            "risk_checks": can(user, "risks.check"),
        },
        "unread_count": unread_count(user),
    }
