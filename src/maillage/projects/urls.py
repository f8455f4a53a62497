from django.urls import path

from . import boards, views

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
    path("projets/<int:pk>/etat/", views.change_status, name="change_status"),
    path("projets/<int:pk>/besoins/", views.attach_needs, name="attach_needs"),
    path("projets/<int:pk>/besoins/resoudre/", views.resolve_needs, name="resolve_needs"),
    path("projets/<int:pk>/moyens/<int:offer>/", views.commit_means, name="commit_means"),
    path("projets/<int:pk>/carnet/", boards.backlog_page, name="backlog"),
    path("projets/<int:pk>/elements/<int:item>/", boards.edit, name="item"),
    path("projets/<int:pk>/elements/<int:item>/deplacer/", boards.move, name="move"),
    path("projets/<int:pk>/etapes/<int:step>/tableau/", boards.board, name="board"),
    path(
        "projets/<int:pk>/etapes/<int:step>/retrospective/",
        boards.retrospective,
        name="retrospective",
    ),
    path(
        "projets/<int:pk>/etapes/<int:step>/retrospective/cartes/", boards.add_card, name="add_card"
    ),
    path(
        "projets/<int:pk>/etapes/<int:step>/retrospective/cartes/<int:card>/vote/",
        boards.vote_card,
        name="vote_card",
    ),
    path(
        "projets/<int:pk>/etapes/<int:step>/retrospective/actions/",
        boards.choose_actions,
        name="choose_actions",
    ),
    path("projets/mon-a-faire/", boards.my_work, name="my_work"),
    path(
        "ateliers/<int:workshop>/creer-le-projet/", views.create_from_workshop, name="from_workshop"
    ),
]
