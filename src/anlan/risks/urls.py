from anlan.core.routes import List, Map, NoRecords, Object, path
from anlan.registry.models import Enterprise
from anlan.risks import views
from anlan.risks.models import ControlMeasure, InvestigationTask, RiskEvent, RiskObject, RiskUnit
from anlan.risks.stats import CURRENT_TASKS, MAJOR, ON_THE_MAP

app_name = "risks"
urlpatterns = [
    path(
        "",
        views.index,
        name="index",
        exposes=NoRecords("a redirect to the user's own register or the overview"),
    ),
    path(
        "overview/",
        views.overview,
        name="overview",
        exposes=List(RiskEvent, params={"all": "1"}, where=MAJOR),
    ),
    path(
        "map/",
        views.risk_map,
        name="map",
        exposes=NoRecords("the map's frame: its points come from risks:map_data"),
    ),
    path(
        "map.json",
        views.map_data,
        name="map_data",
        exposes=Map(Enterprise, where=ON_THE_MAP, points="points"),
    ),
    path(
        "tasks/",
        views.task_list,
        name="tasks",
        exposes=List(InvestigationTask, where=CURRENT_TASKS),
    ),
    path("tasks/<int:pk>/", views.task_detail, name="task", exposes=Object(InvestigationTask)),
    path(
        "import-template/",
        views.import_template,
        name="import_template",
        exposes=NoRecords("an empty workbook"),
    ),
    path(
        "enterprises/<int:pk>/",
        views.enterprise_register,
        name="enterprise",
        exposes=Object(Enterprise),
    ),
    path(
        "enterprises/<int:pk>/export/",
        views.register_export,
        name="export",
        exposes=Object(Enterprise),
    ),
    path(
        "enterprises/<int:pk>/import/",
        views.register_import,
        name="import",
        exposes=Object(Enterprise),
    ),
    path("units/<int:pk>/", views.unit_detail, name="unit", exposes=Object(RiskUnit)),
    path("units/<int:pk>/card.pdf", views.card_pdf, name="card_pdf", exposes=Object(RiskUnit)),
    path("events/<int:pk>/", views.event_detail, name="event", exposes=Object(RiskEvent)),
    path("events/<int:pk>/assess/", views.assess, name="assess", exposes=Object(RiskEvent)),
    path(
        "new/<slug:kind>/<int:parent_pk>/",
        views.create,
        name="create",
        exposes=Object(RiskEvent, url={"parent_pk": "pk"}, extra={"kind": "measure"}),
    ),
    path(
        "edit/<slug:kind>/<int:pk>/",
        views.edit,
        name="edit",
        exposes=Object(ControlMeasure, extra={"kind": "measure"}),
    ),
    path(
        "archive/<slug:kind>/<int:pk>/",
        views.archive,
        name="archive",
        exposes=Object(RiskObject, extra={"kind": "object"}),
    ),
]
