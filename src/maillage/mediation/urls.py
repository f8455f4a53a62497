from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("mediation/", views.accompaniments, name="accompaniments"),
    path("mediation/noter/", views.record, name="record"),
    path("mediation/accompagnements.<str:format>", views.export, name="export"),
    path("mediation/accompagnements/<int:pk>/", views.accompaniment, name="accompaniment"),
    path("mediation/accompagnements/<int:pk>/archiver/", views.archive, name="archive"),
    path("mediation/personnes/", views.beneficiaries, name="beneficiaries"),
    path("mediation/personnes/importer/", views.import_people, name="import"),
    path("mediation/personnes/<int:pk>/", views.beneficiary, name="beneficiary"),
]
