from django.urls import path

from anlan.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export/", views.enterprise_export, name="export"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/archive/", views.enterprise_archive, name="archive"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
]
