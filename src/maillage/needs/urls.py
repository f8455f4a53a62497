from django.urls import path

from . import slip, views

app_name = "needs"
urlpatterns = [
    path("permanence/", views.raise_need, name="raise"),
    path("suivi/", slip.find, name="find"),
    path("suivi/<str:token>/", views.tracking, name="tracking"),
    path("besoins-communs/", views.shared_needs, name="shared-list"),
    path("besoins-communs/<int:pk>/", views.shared_need, name="shared"),
    path("permanence/file/", views.queue, name="queue"),
    path("permanence/saisir/", views.record_need, name="record"),
    path("permanence/besoins.csv", views.export_csv, name="export"),
    path("permanence/besoins/<int:pk>/", views.need_detail, name="detail"),
    path("permanence/besoins/<int:pk>/fiche.pdf", slip.slip, name="slip"),
    path("permanence/besoins/<int:pk>/<slug:action>/", views.need_action, name="action"),
]
