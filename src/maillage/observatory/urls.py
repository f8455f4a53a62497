from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("observatoire/", views.dashboard, name="dashboard"),
    path("observatoire/<slug:code>.csv", views.figure_csv, name="csv"),
    path("observatoire/import/", views.import_structures, name="import"),
    path("observatoire/import/<int:pk>/", views.import_job, name="import_job"),
    path("observatoire/import/<int:pk>/arreter/", views.stop_import, name="stop_import"),
    path("observatoire/import/<int:pk>/refus.csv", views.import_rejected, name="import_rejected"),
    path("observatoire/rapports/", views.report_list, name="reports"),
    path("observatoire/rapports/<str:label>/", views.report, name="report"),
    path("observatoire/rapports/<str:label>.pdf", views.report_pdf, name="report_pdf"),
    path("observatoire/carte/", views.needs_map, name="map"),
    path("chiffres/carte/", views.public_map, name="public_map"),
    path("chiffres/", views.public_dashboard, name="public"),
    path("chiffres/<slug:code>.csv", views.public_csv, name="public_csv"),
    path("donnees/", views.open_data, name="open_data"),
]
