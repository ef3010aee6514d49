"""Read-only overview pages: queries through scoping, never writes."""

from django.shortcuts import render
from django.utils import timezone

from anlan.core.workbench import Urgency, items_for


def home(request):
    """The workbench (工作台): what waits for this user now, most urgent first, each item one
    click from its ledger or record (core/workbench.py; each app registers its items)."""
    now = timezone.now()
    items = items_for(request.user, now)
    return render(
        request,
        "dashboard/home.html",
        {
            "items": items,
            "now": now,
            "urgent": [i for i in items if i.urgency < Urgency.INFO],
            "figures": [i for i in items if i.urgency == Urgency.INFO],
        },
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
