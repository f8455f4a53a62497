from django.urls import path

from . import views

app_name = "territory"
urlpatterns = [
    path("structures/", views.directory, name="directory"),
    path("structures/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("structures/<slug:slug>/modifier/", views.organisation_edit, name="organisation-edit"),
    path("structures/<slug:slug>/inviter/", views.organisation_invite, name="organisation-invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("personnes/<int:pk>/", views.person_detail, name="person"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="person-edit"),
    path("lieux/", views.place_list, name="places"),
    path("lieux/<int:pk>/", views.place_detail, name="place"),
]
