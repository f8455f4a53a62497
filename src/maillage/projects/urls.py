from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projets/", views.portfolio, name="portfolio"),
    path("projets/nouveau/", views.create, name="create"),
    path("projets/<int:pk>/", views.detail, name="detail"),
    path(
        "ateliers/<int:workshop>/creer-le-projet/", views.create_from_workshop, name="from_workshop"
    ),
]
