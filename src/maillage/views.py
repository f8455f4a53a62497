"""Site-level pages that gather what every app offers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from maillage.core.method import METHOD_PARTS
from maillage.territory.models import Organisation, Place


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "parts": METHOD_PARTS,
        "organisation_count": Organisation.objects.active().count(),
        "lab_sites": Place.objects.filter(kind=Place.Kind.LAB_SITE, archived_at__isnull=True),
    }
    return render(request, "core/home.html", context)
