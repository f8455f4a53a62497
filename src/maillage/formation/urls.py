from django.urls import path

from . import views

app_name = "formation"
urlpatterns = [
    path("methodes/", views.cards, name="cards"),
    path("methodes/jeu.pdf", views.deck_pdf, name="deck"),
    path("methodes/<slug:slug>/", views.card, name="card"),
    path("methodes/<slug:slug>.pdf", views.card_pdf, name="card-pdf"),
]
