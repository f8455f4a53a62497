from django.urls import path

from . import room, views

app_name = "workshops"
urlpatterns = [
    path("ateliers/", views.workshop_list, name="list"),
    path("ateliers/preparer/", views.workshop_create, name="create"),
    path("ateliers/<int:pk>/", views.workshop_detail, name="detail"),
    path("ateliers/<int:pk>/inscription/", views.register, name="register"),
    path("ateliers/<int:pk>/atelier.ics", views.workshop_ics, name="ics"),
    path("ateliers/<int:pk>/appel/", views.attendance, name="attendance"),
    path("ateliers/<int:pk>/compte-rendu/", views.report, name="report"),
    path("ateliers/<int:pk>/compte-rendu.pdf", views.report_pdf, name="report_pdf"),
    path("ateliers/inscriptions/<str:token>/", views.registration_detail, name="registration"),
    # In the room: phones join with the code; the console and the projector's screen.
    path("atelier/", room.join, name="join"),
    path("atelier/<str:code>/", room.join, name="join_code"),
    path("ateliers/<int:pk>/salle/", room.room, name="room"),
    path("ateliers/<int:pk>/salle/moi/", room.mine, name="room_mine"),
    path("ateliers/<int:pk>/salle/idee/", room.post_idea, name="post_idea"),
    path("ateliers/<int:pk>/salle/vote/<int:scenario>/", room.vote, name="vote"),
    path("ateliers/<int:pk>/console/", room.console, name="console"),
    path("ateliers/<int:pk>/console/phase/<int:phase>/", room.start_phase, name="start_phase"),
    path("ateliers/<int:pk>/console/regrouper/", room.group_ideas, name="group_ideas"),
    path("ateliers/<int:pk>/console/fusionner/", room.merge_ideas, name="merge_ideas"),
    path("ateliers/<int:pk>/console/scenarios/", room.add_scenario, name="add_scenario"),
    path(
        "ateliers/<int:pk>/console/scenarios/<int:scenario>/retirer/",
        room.remove_scenario,
        name="remove_scenario",
    ),
    path("ateliers/<int:pk>/console/resultats/", room.reveal, name="reveal"),
    path("ateliers/<int:pk>/console/decision/", room.decide, name="decide"),
    path("ateliers/<int:pk>/console/exclure/", room.exclude, name="exclude"),
    path("ateliers/<int:pk>/console/acces/", room.set_joining, name="set_joining"),
    path("ateliers/<int:pk>/console/attendus/", room.set_expected, name="set_expected"),
    path("ateliers/<int:pk>/ecran/", room.screen, name="screen"),
]
