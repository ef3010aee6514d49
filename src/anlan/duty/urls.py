from anlan.core.routes import List, NoRecords, Object, Shared, path
from anlan.duty import views
from anlan.duty.models import DutyLogEntry, Handover, Roster, Shift, Swap

app_name = "duty"
urlpatterns = [
    path(
        "",
        views.board,
        name="board",
        exposes=Shared(
            "who is on duty now in every unit of the user's county, for all its government users (tests/duty/test_duty_access.py)"
        ),
    ),
    path(
        "rosters/",
        views.roster_list,
        name="rosters",
        exposes=List(Roster, params={"month": "2026-11"}, where={"month": "2026-11-01"}),
    ),
    path(
        "rosters/new/",
        views.roster_new,
        name="roster_new",
        exposes=NoRecords("a form: a roster for the user's own unit"),
    ),
    path("rosters/<int:pk>/", views.roster_detail, name="roster", exposes=Object(Roster)),
    path(
        "rosters/<int:pk>/generate/",
        views.roster_generate,
        name="roster_generate",
        exposes=Object(Roster),
    ),
    path(
        "rosters/<int:pk>/publish/",
        views.roster_publish,
        name="roster_publish",
        exposes=Object(Roster),
    ),
    path(
        "rosters/<int:pk>/roster.pdf", views.roster_pdf, name="roster_pdf", exposes=Object(Roster)
    ),
    path(
        "rosters/<int:pk>/export/",
        views.roster_export,
        name="roster_export",
        exposes=Object(Roster),
    ),
    path("shifts/<int:pk>/", views.shift_detail, name="shift", exposes=Object(Shift)),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit", exposes=Object(Shift)),
    path("shifts/<int:pk>/check-in/", views.check_in, name="check_in", exposes=Object(Shift)),
    path("shifts/<int:pk>/handover/", views.hand_over, name="hand_over", exposes=Object(Shift)),
    path("shifts/<int:pk>/swap/", views.swap_request, name="swap_request", exposes=Object(Shift)),
    path(
        "handovers/<int:pk>/receive/",
        views.receive_handover,
        name="receive_handover",
        exposes=Object(Handover),
    ),
    path("swaps/", views.swap_list, name="swaps", exposes=List(Swap, params={"show": "all"})),
    path(
        "swaps/<int:pk>/<slug:name>/",
        views.swap_decide,
        name="swap_decide",
        exposes=Object(Swap, extra={"name": "approve_swap"}),
    ),
    path("log/", views.duty_log, name="log", exposes=List(DutyLogEntry)),
]
