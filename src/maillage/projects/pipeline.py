"""The way from needs to their resolution, at a glance: how many needs were raised, grouped
with others, worked on in a workshop, taken on by a project, and resolved by one."""

from django.utils.translation import gettext_lazy as _

from maillage.core.cache import counted_once
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


# The counts move slowly and are read on every portfolio page: a minute old is fine.
CACHE_SECONDS = 60


def pipeline(dimension: Dimension | None = None) -> list[tuple[str, str, int]]:
    """Each stage with its label and count (kept a minute)."""
    key = f"projects:pipeline:{dimension.pk if dimension else 'all'}"
    counts = counted_once(key, lambda: _counts(dimension), fresh=CACHE_SECONDS)
    return [(stage, label, counts[stage]) for stage, label in STAGES]


def _counts(dimension: Dimension | None) -> dict[str, int]:
    """One small query per stage, each walking an index or the (small) links of projects to
    needs, rather than one pass testing every need."""
    needs = Need.objects.all()
    links = Project.needs.through.objects.all()
    if dimension is not None:
        needs = needs.filter(dimension=dimension)
        links = links.filter(need__dimension=dimension)
    answered = links.values("need").distinct()
    return {
        "raised": needs.count(),
        "shared": needs.filter(shared_need__isnull=False).count(),
        "workshop": needs.filter(
            shared_need__in=Workshop.objects.filter(shared_need__isnull=False).values("shared_need")
        ).count(),
        "project": answered.count(),
        "resolved": answered.filter(need__status=Need.Status.RESOLU).count(),
    }
