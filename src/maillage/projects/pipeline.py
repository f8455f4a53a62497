"""The way from needs to their resolution, at a glance: how many needs were raised, grouped
with others, worked on in a workshop, taken on by a project, and resolved by one."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.needs.models import Need
from maillage.workshops.models import Workshop

from .models import Project

STAGES = [
    ("raised", _("Besoins reçus")),
    ("shared", _("Mis en commun avec d'autres")),
    ("workshop", _("Travaillés en atelier")),
    ("project", _("Pris en charge par un projet")),
    ("resolved", _("Résolus par un projet")),
]


def pipeline(dimension: Dimension | None = None) -> list[tuple[str, str, int]]:
    """Each stage with its label and count (one query)."""
    needs = Need.objects.all()
    if dimension is not None:
        needs = needs.filter(dimension=dimension)
    in_project = Exists(Project.needs.through.objects.filter(need=OuterRef("pk")))
    in_workshop = Exists(Workshop.objects.filter(shared_need=OuterRef("shared_need")))
    counts = needs.aggregate(
        raised=Count("pk"),
        shared=Count("pk", filter=Q(shared_need__isnull=False)),
        workshop=Count("pk", filter=Q(in_workshop)),
        project=Count("pk", filter=Q(in_project)),
        resolved=Count("pk", filter=Q(in_project, status=Need.Status.RESOLU)),
    )
    return [(key, label, counts[key]) for key, label in STAGES]
