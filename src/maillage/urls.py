from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from maillage import views
from maillage.api.api import api
from maillage.core import views as core

# One login for the whole site: the admin's own would let a password be tried without end.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("equipe/", views.team_home, name="team"),
    path("equipe/agenda/", views.my_agenda, name="my-agenda"),
    path("agenda/<str:key>.ics", views.agenda_feed, name="agenda-feed"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("sms/reponses/<str:token>/", core.sms_reply, name="sms-reply"),
    path("methode/<slug:part>/", core.method_part, name="method-part"),
    path("", include("maillage.territory.urls")),
    path("", include("maillage.needs.urls")),
    path("", include("maillage.mutualisation.urls")),
    path("", include("maillage.mediation.urls")),
    path("", include("maillage.formation.urls")),
    path("", include("maillage.workshops.urls")),
    path("", include("maillage.projects.urls")),
    path("", include("maillage.observatory.urls")),
    path("compte/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# The site's own pages in French, even where Django would answer with its English defaults.
handler400 = "maillage.core.error_pages.bad_request"
handler403 = "maillage.core.error_pages.permission_denied"
handler404 = "maillage.core.error_pages.page_not_found"
handler500 = "maillage.core.error_pages.server_error"
handler429 = "maillage.core.error_pages.too_many_requests"  # allauth's limits
