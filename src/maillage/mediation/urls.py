from django.urls import path

from . import booking, desk, openings, opt_outs, views

app_name = "mediation"
urlpatterns = [
    path("mediation/", views.accompaniments, name="accompaniments"),
    path("mediation/noter/", views.record, name="record"),
    path("mediation/accompagnements.<str:format>", views.export, name="export"),
    path("mediation/accompagnements/<int:pk>/", views.accompaniment, name="accompaniment"),
    path("mediation/accompagnements/<int:pk>/archiver/", views.archive, name="archive"),
    path("mediation/rendez-vous/", desk.agenda_page, name="agenda"),
    path("mediation/rendez-vous/<int:pk>/", desk.appointment, name="appointment"),
    path("mediation/rendez-vous/<int:pk>/deplacer/", desk.move, name="appointment-move"),
    path(
        "mediation/rendez-vous/<int:pk>/<slug:action>/",
        desk.appointment_action,
        name="appointment-action",
    ),
    path("mediation/permanences/", openings.openings, name="openings"),
    path("mediation/permanences/ajouter/", openings.add_opening, name="opening-add"),
    path("mediation/permanences/<int:pk>/fermer/", openings.close_opening, name="opening-close"),
    path("mediation/absences/declarer/", openings.declare_absence, name="absence-add"),
    path(
        "mediation/absences/<int:pk>/retirer/", openings.withdraw_absence, name="absence-withdraw"
    ),
    path("mediation/agendas/<int:pk>.ics", desk.agenda_ics, name="agenda-ics"),
    path("mediation/sms/", opt_outs.opt_outs, name="opt-outs"),
    path("mediation/sms/<int:pk>/reprendre/", opt_outs.resume, name="opt-out-resume"),
    path("rendez-vous/", booking.choose, name="book-choose"),
    path("rendez-vous/creneaux/<int:pk>/", booking.book, name="book"),
    path("rendez-vous/<str:token>/", booking.mine, name="my-appointment"),
    path("rendez-vous/<str:token>/changer/", booking.change, name="my-appointment-change"),
    path("mediation/personnes/", views.beneficiaries, name="beneficiaries"),
    path("mediation/personnes/importer/", views.import_people, name="import"),
    path("mediation/personnes/<int:pk>/", views.beneficiary, name="beneficiary"),
]
