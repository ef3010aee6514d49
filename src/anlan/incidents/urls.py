from django.urls import path

from anlan.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("stats/", views.incident_stats, name="stats"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/unit-report/", views.unit_report, name="unit_report"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/express.pdf", views.express_pdf, name="pdf"),
]
