"""The four parts of the lab's method, shown in the header of every page."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

# Parts not built yet say in one sentence what they will hold.
METHOD_PARTS = {
    "permanence": {
        "title": _("Permanence"),
        "summary": _(
            "Chaque besoin ou problème soulevé sur le territoire est enregistré, suivi et rendu "
            "à la personne qui l'a exprimé, jusqu'à sa solution."
        ),
        "url": reverse_lazy("needs:raise"),
    },
    "mutualisation": {
        "url": reverse_lazy("mutualisation:catalogue"),
        "title": _("Mutualisation"),
        "summary": _(
            "Les moyens, les compétences et les services que les structures et les habitants "
            "partagent, proposés aux besoins qui les attendent et réservés en quelques clics."
        ),
    },
    "ateliers": {
        "url": reverse_lazy("workshops:list"),
        "title": _("Ateliers"),
        "summary": _(
            "Les ateliers de scénarisation, où l'on imagine et juge ensemble les versions "
            "possibles d'un projet : on s'y inscrit ici, puis on y participe depuis son téléphone."
        ),
    },
    "projets": {
        "url": reverse_lazy("projects:portfolio"),
        "title": _("Projets"),
        "summary": _(
            "Les groupes de travail mènent ici leurs projets étape par étape, besoin après "
            "besoin, jusqu'à dire à chacun que son besoin a une réponse."
        ),
    },
}
