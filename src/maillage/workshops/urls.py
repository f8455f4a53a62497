from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("ateliers/", views.workshop_list, name="list"),
    path("ateliers/preparer/", views.workshop_create, name="create"),
    path("ateliers/<int:pk>/", views.workshop_detail, name="detail"),
    path("ateliers/<int:pk>/inscription/", views.register, name="register"),
    path("ateliers/<int:pk>/atelier.ics", views.workshop_ics, name="ics"),
    path("ateliers/<int:pk>/appel/", views.attendance, name="attendance"),
    path("ateliers/<int:pk>/compte-rendu/", views.report, name="report"),
    path("ateliers/inscriptions/<str:token>/", views.registration_detail, name="registration"),
]
