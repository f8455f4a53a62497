from django.urls import path

from . import views

app_name = "mutualisation"
urlpatterns = [
    path("mutualisation/", views.catalogue, name="catalogue"),
    path("mutualisation/proposer/", views.offer_create, name="offer-create"),
    path("mutualisation/a-traiter/", views.inbox, name="inbox"),
    path("mutualisation/bilan/", views.ledger_page, name="ledger"),
    path("mutualisation/offres/<int:pk>/", views.offer_detail, name="offer"),
    path("mutualisation/offres/<int:pk>/modifier/", views.offer_edit, name="offer-edit"),
    path("mutualisation/offres/<int:pk>/calendrier/", views.offer_calendar, name="calendar"),
    path("mutualisation/offres/<int:pk>/calendrier.ics", views.offer_ics, name="ics"),
    path("mutualisation/offres/<int:pk>/reserver/", views.booking_request, name="book"),
    path("mutualisation/offres/<int:pk>/<slug:action>/", views.offer_action, name="offer-action"),
    path("mutualisation/reservations/<int:pk>/", views.booking_detail, name="booking"),
    path(
        "mutualisation/reservations/<int:pk>/<slug:action>/",
        views.booking_action,
        name="booking-action",
    ),
    path("mutualisation/orientations/<int:pk>/", views.orientation_detail, name="orientation"),
    path(
        "mutualisation/orientations/<int:pk>/repondre/",
        views.orientation_answer,
        name="orientation-answer",
    ),
    path("mutualisation/besoins/<int:pk>/orienter/", views.orient, name="orient"),
]
