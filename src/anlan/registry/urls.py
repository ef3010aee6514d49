from anlan.core.routes import Export, List, NoRecords, Object, path
from anlan.registry import views
from anlan.registry.models import Enterprise

ACTIVE = Object(Enterprise, where={"archived_at__isnull": True})  # an archived one is read-only

app_name = "registry"
urlpatterns = [
    path(
        "", views.enterprise_list, name="list", exposes=List(Enterprise, params={"status": "all"})
    ),
    path(
        "new/",
        views.enterprise_create,
        name="create",
        exposes=NoRecords("a form: the regions and categories offered are the user's own"),
    ),
    path(
        "export/",
        views.enterprise_export,
        name="export",
        exposes=Export(Enterprise, key="uscc", column=1, params={"status": "all"}),
    ),
    path(
        "import/",
        views.enterprise_import,
        name="import",
        exposes=NoRecords("a form: rows outside the user's scope are refused"),
    ),
    path(
        "import/template/",
        views.import_template,
        name="import_template",
        exposes=NoRecords("an empty workbook"),
    ),
    path("<int:pk>/", views.enterprise_detail, name="detail", exposes=Object(Enterprise)),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit", exposes=ACTIVE),
    path("<int:pk>/archive/", views.enterprise_archive, name="archive", exposes=ACTIVE),
    path("<int:pk>/history/", views.enterprise_history, name="history", exposes=Object(Enterprise)),
]
