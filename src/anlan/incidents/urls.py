from anlan.core.routes import List, NoRecords, Object, Stats, path
from anlan.incidents import views
from anlan.incidents.models import Incident

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list", exposes=List(Incident)),
    path(
        "new/", views.incident_new, name="new", exposes=NoRecords("a form: its choices are scoped")
    ),
    path("stats/", views.incident_stats, name="stats", exposes=Stats(Incident, total="s.totals.n")),
    path("<int:pk>/", views.incident_detail, name="detail", exposes=Object(Incident)),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up", exposes=Object(Incident)),
    path("<int:pk>/unit-report/", views.unit_report, name="unit_report", exposes=Object(Incident)),
    path("<int:pk>/forward/", views.forward, name="forward", exposes=Object(Incident)),
    path("<int:pk>/express.pdf", views.express_pdf, name="pdf", exposes=Object(Incident)),
]
