from django.urls import path

from . import badge_pages, planning_pages, training_pages, views

app_name = "formation"
urlpatterns = [
    path("methodes/", views.cards, name="cards"),
    path("methodes/jeu.pdf", views.deck_pdf, name="deck"),
    path("methodes/<slug:slug>/", views.card, name="card"),
    path("methodes/<slug:slug>.pdf", views.card_pdf, name="card-pdf"),
    path("methodes/<slug:slug>/utiliser/", views.use, name="use"),
    path("methodes/recettes/depuis/<int:pk>/", views.save_recipe, name="recipe-save"),
    path("formations/", training_pages.paths, name="paths"),
    path("formations/equipe/", planning_pages.team, name="team"),
    path("formations/sessions/nouvelle/", planning_pages.plan, name="session-plan"),
    path("formations/sessions/<int:pk>/", training_pages.session, name="session"),
    path("formations/sessions/<int:pk>/modifier/", planning_pages.change, name="session-change"),
    path("formations/sessions/<int:pk>/presences/", training_pages.attendance, name="attendance"),
    path("formations/sessions/<int:pk>/annuler/", training_pages.cancel, name="session-cancel"),
    path("formations/inscriptions/<int:pk>/presence/", training_pages.mark, name="mark"),
    path("formations/inscription/<str:token>/", training_pages.registration, name="registration"),
    path("formations/<slug:slug>/", training_pages.path, name="path"),
    path("badges/emetteur", badge_pages.issuer, name="issuer"),
    path("badges/verifier/", badge_pages.verify, name="verify"),
    path("badges/assertions/<uuid:key>", badge_pages.assertion, name="assertion"),
    path("badges/assertions/<uuid:key>.png", badge_pages.baked_png, name="assertion-png"),
    path("badges/assertions/<uuid:key>.svg", badge_pages.baked_svg, name="assertion-svg"),
    path("badges/assertions/<uuid:key>/page/", badge_pages.page, name="assertion-page"),
    path(
        "badges/assertions/<uuid:key>/attestation.pdf", badge_pages.attestation, name="attestation"
    ),
    path("badges/assertions/<uuid:key>/revoquer/", badge_pages.revoke, name="revoke"),
    path("badges/<slug:slug>/", badge_pages.badge, name="badge"),
    path("badges/<slug:slug>/image.png", badge_pages.badge_image, name="badge-image"),
]
