"""Site-level pages that gather what every app offers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maillage import team
from maillage.core.method import METHOD_PARTS
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
