from django import template

from anlan.registry.models import Enterprise

register = template.Library()


@register.inclusion_tag("registry/_filtered_by.html", takes_context=True)
def enterprise_filter(context) -> dict:
    """On a ledger opened from an enterprise's page (``?enterprise=12``): whose records these
    are, with links back to the enterprise and to the whole ledger. The name is read through
    ``visible_to``: an enterprise the user may not see is not named (the list is empty anyway)."""
    request = context["request"]
    pk = request.GET.get("enterprise", "")
    enterprise = None
    if pk.isdigit() and len(pk) < 11:
        enterprise = Enterprise.objects.visible_to(request.user).filter(pk=int(pk)).first()
    query = request.GET.copy()
    query.pop("enterprise", None)
    query.pop("page", None)
    return {"enterprise": enterprise, "without": query.urlencode()}
