"""Site-level pages that gather what every app offers."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage import team, team_agenda
from maillage.core.method import METHOD_PARTS
from maillage.core.models import CalendarFeed
from maillage.core.permissions import facilitator_required
from maillage.territory.models import Organisation, Place


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "parts": METHOD_PARTS,
        "organisation_count": Organisation.objects.active().count(),
        "lab_sites": Place.objects.filter(kind=Place.Kind.LAB_SITE, archived_at__isnull=True),
    }
    return render(request, "core/home.html", context)


@facilitator_required
def team_home(request: HttpRequest) -> HttpResponse:
    """Where the lab's team lands after login: what waits for them, each part a link."""
    return render(request, "core/team.html", {"parts": team.home(request.user)})


@facilitator_required
def my_agenda(request: HttpRequest) -> HttpResponse:
    """The secret address of one's agenda, for a calendar app: made (shown once), changed, or
    taken away."""
    address = None
    if request.method == "POST":
        if request.POST.get("action") == "supprimer":
            if team_agenda.withdraw(request.user):
                messages.success(request, _("L'adresse est supprimée : votre application "
                                            "d'agenda ne reçoit plus rien."))  # fmt: skip
            return redirect("my-agenda")
        key = team_agenda.issue(request.user)
        address = request.build_absolute_uri(reverse("agenda-feed", args=[key]))
    context = {"address": address, "webcal": address and "webcal://" + address.split("://", 1)[1],
               "feed": CalendarFeed.objects.filter(user=request.user).first()}  # fmt: skip
    response = render(request, "core/my_agenda.html", context)
    response["Cache-Control"] = "no-store"  # the address is shown once: never from a cache
    return response


def agenda_feed(request: HttpRequest, key: str) -> HttpResponse:
    body = team_agenda.read(key, request.get_host())
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
