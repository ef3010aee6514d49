from django.urls import path

from anlan.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_report, name="report"),
    path("export/", views.hazard_export, name="export"),
    path("stats/", views.hazard_stats, name="stats"),
    path("listings/", views.listings, name="listings"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/transitions/<slug:name>/", views.hazard_transition, name="transition"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path(
        "<int:pk>/extension/<int:extension_pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("<int:pk>/listing/", views.listing_create, name="listing_create"),
    path("<int:pk>/delist/", views.listing_remove, name="listing_remove"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/listing.pdf", views.listing_pdf, name="listing_pdf"),
    path("<int:pk>/photos/<int:photo_pk>/<slug:size>/", views.photo, name="photo"),
]
