from django.urls import path

from anlan.duty import views

app_name = "duty"
urlpatterns = [
    path("", views.board, name="board"),
    path("rosters/", views.roster_list, name="rosters"),
    path("rosters/new/", views.roster_new, name="roster_new"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster"),
    path("rosters/<int:pk>/generate/", views.roster_generate, name="roster_generate"),
    path("rosters/<int:pk>/publish/", views.roster_publish, name="roster_publish"),
    path("rosters/<int:pk>/roster.pdf", views.roster_pdf, name="roster_pdf"),
    path("rosters/<int:pk>/export/", views.roster_export, name="roster_export"),
    path("shifts/<int:pk>/", views.shift_detail, name="shift"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("shifts/<int:pk>/handover/", views.hand_over, name="hand_over"),
    path("shifts/<int:pk>/swap/", views.swap_request, name="swap_request"),
    path("handovers/<int:pk>/receive/", views.receive_handover, name="receive_handover"),
    path("swaps/", views.swap_list, name="swaps"),
    path("swaps/<int:pk>/<slug:name>/", views.swap_decide, name="swap_decide"),
    path("log/", views.duty_log, name="log"),
]
