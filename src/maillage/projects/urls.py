from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projets/", views.portfolio, name="portfolio"),
    path("projets/nouveau/", views.create, name="create"),
    path("projets/<int:pk>/", views.detail, name="detail"),
    path("projets/<int:pk>/rejoindre/", views.join, name="join"),
    path("projets/<int:pk>/membres/", views.add_member, name="add_member"),
    path("projets/<int:pk>/membres/<int:member>/accepter/", views.accept, name="accept"),
    path("projets/<int:pk>/membres/<int:member>/retirer/", views.remove, name="remove"),
    path("projets/<int:pk>/etapes/", views.plan_step, name="plan_step"),
    path("projets/<int:pk>/decisions/", views.record_decision, name="record_decision"),
    path("projets/<int:pk>/etapes/<int:step>/commencer/", views.start_step, name="start_step"),
    path("projets/<int:pk>/etapes/<int:step>/revue/", views.review_step, name="review_step"),
    path(
        "ateliers/<int:workshop>/creer-le-projet/", views.create_from_workshop, name="from_workshop"
    ),
]
