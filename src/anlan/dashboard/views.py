"""Read-only overview pages: queries through scoping, never writes."""

from django.db.models import Count, Q
from django.shortcuts import render

from anlan.regions.models import Region
from anlan.regions.rules import Level
from anlan.registry.models import Enterprise


def home(request):
    enterprises = Enterprise.objects.visible_to(request.user).active()
    totals = enterprises.aggregate(
        total=Count("pk"),
        key=Count("pk", filter=Q(is_key=True)),
        employees_large=Count("pk", filter=Q(employees__gte=300)),
    )
    by_category = list(
        enterprises.values("category__name").annotate(n=Count("pk")).order_by("-n")[:10]
    )
    by_town = []
    scope = request.scope
    if not scope.is_enterprise:
        # Group by the town part of the region code (9 digits), then name the towns.
        counts: dict[str, int] = {}
        for region_code, n in enterprises.values_list("region_id").annotate(n=Count("pk")):
            counts[region_code[:9]] = counts.get(region_code[:9], 0) + n
        names = dict(
            Region.objects.filter(code__in=counts, level=Level.TOWN).values_list("code", "name")
        )
        by_town = sorted(
            ({"code": c, "name": names.get(c, c), "n": n} for c, n in counts.items()),
            key=lambda row: -row["n"],
        )
    return render(
        request,
        "dashboard/home.html",
        {"totals": totals, "by_category": by_category, "by_town": by_town},
    )


def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})


def inbox(request):
    """The user's notifications; POST marks one (``id``) or all as read."""
    from django.core.paginator import Paginator
    from django.shortcuts import redirect
    from django.utils import timezone

    from anlan.core.models import Notification

    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        target = mine.filter(read_at__isnull=True)
        if "id" in request.POST:
            raw = request.POST["id"]
            target = target.filter(pk=int(raw)) if raw.isdigit() else target.none()
        target.update(read_at=timezone.now())
        next_url = request.POST.get("next", "")
        return redirect(
            next_url if next_url.startswith("/") and not next_url.startswith("//") else "inbox"
        )
    page = Paginator(mine, 30).get_page(request.GET.get("page"))
    return render(request, "dashboard/inbox.html", {"page": page})
