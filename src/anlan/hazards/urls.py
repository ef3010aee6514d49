from django.db.models import Q

from anlan.core.routes import Export, List, NoRecords, Object, Stats, path
from anlan.hazards import views
from anlan.hazards.models import ExtensionRequest, Hazard, HazardPhoto, Listing

# A listing is reached through its hazard's URL; a notice exists once the hazard is confirmed.
LISTING = Object(Listing, url={"pk": "hazard_id"})
NOTICE = Object(Hazard, where=~Q(notice_number=""))

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list", exposes=List(Hazard)),
    path(
        "new/",
        views.hazard_report,
        name="report",
        exposes=NoRecords("a form: its choices are scoped (test_hazard_pages_and_api)"),
    ),
    path("export/", views.hazard_export, name="export", exposes=Export(Hazard, key="number")),
    path("stats/", views.hazard_stats, name="stats", exposes=Stats(Hazard, total="totals.found")),
    path("listings/", views.listings, name="listings", exposes=List(Listing)),
    path("<int:pk>/", views.hazard_detail, name="detail", exposes=Object(Hazard)),
    path(
        "<int:pk>/transitions/<slug:name>/",
        views.hazard_transition,
        name="transition",
        exposes=Object(Hazard, extra={"name": "confirm"}),
    ),
    path(
        "<int:pk>/extension/",
        views.extension_request,
        name="extension_request",
        exposes=Object(Hazard),
    ),
    path(
        "<int:pk>/extension/<int:extension_pk>/decide/",
        views.extension_decide,
        name="extension_decide",
        exposes=Object(ExtensionRequest, url={"pk": "hazard_id", "extension_pk": "pk"}),
    ),
    path("<int:pk>/listing/", views.listing_create, name="listing_create", exposes=Object(Hazard)),
    path("<int:pk>/delist/", views.listing_remove, name="listing_remove", exposes=LISTING),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf", exposes=NOTICE),
    path("<int:pk>/listing.pdf", views.listing_pdf, name="listing_pdf", exposes=LISTING),
    path(
        "<int:pk>/photos/<int:photo_pk>/<slug:size>/",
        views.photo,
        name="photo",
        exposes=Object(
            HazardPhoto, url={"pk": "hazard_id", "photo_pk": "pk"}, extra={"size": "thumb"}
        ),
    ),
]
