from django.urls import path

from anlan.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("map/", views.risk_map, name="map"),
    path("map.json", views.map_data, name="map_data"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("import-template/", views.import_template, name="import_template"),
    path("enterprises/<int:pk>/", views.enterprise_register, name="enterprise"),
    path("enterprises/<int:pk>/export/", views.register_export, name="export"),
    path("enterprises/<int:pk>/import/", views.register_import, name="import"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/card.pdf", views.card_pdf, name="card_pdf"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/assess/", views.assess, name="assess"),
    path("new/<slug:kind>/<int:parent_pk>/", views.create, name="create"),
    path("edit/<slug:kind>/<int:pk>/", views.edit, name="edit"),
    path("archive/<slug:kind>/<int:pk>/", views.archive, name="archive"),
]
