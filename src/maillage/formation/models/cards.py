"""The method library: the cards of the techniques the lab uses in its workshops and teaches."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.workshops.models import Phase

from ..library import search_text


class MethodCard(models.Model):
    class Goal(models.TextChoices):
        DECOUVRIR = "decouvrir", _("Comprendre les personnes")
        IMAGINER = "imaginer", _("Imaginer")
        ORGANISER = "organiser", _("Trier et relier")
        CHOISIR = "choisir", _("Choisir")
        TESTER = "tester", _("Prototyper et tester")
        ANIMER = "animer", _("Ouvrir, faire le point, clore")

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    goal = models.CharField(_("à quoi elle sert"), max_length=12, choices=Goal)
    purpose = models.TextField(_("objectif"))
    when = models.TextField(_("quand l'utiliser"))
    people_min = models.PositiveSmallIntegerField(_("personnes, au moins"))
    people_max = models.PositiveSmallIntegerField(_("personnes, au plus"))
    minutes_min = models.PositiveSmallIntegerField(_("durée, au moins (minutes)"))
    minutes_max = models.PositiveSmallIntegerField(_("durée, au plus (minutes)"))
    materials = models.TextField(_("matériel"))
    steps = models.JSONField(_("étapes"), default=list)
    tips = models.JSONField(_("conseils d'animation"), default=list)
    produces = models.TextField(_("ce qu'elle produit"))
    # The workshop phase this card runs, where it is one of the workshops' own phases.
    phase = models.CharField(_("phase d'atelier"), max_length=20, choices=Phase.Kind,
                             blank=True)  # fmt: skip
    chains_with = models.ManyToManyField("self", symmetrical=False, blank=True,
                                         verbose_name=_("s'enchaîne avec"))  # fmt: skip
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="method_cards",
                                        verbose_name=_("dimensions"))  # fmt: skip
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("fiche méthode")
        verbose_name_plural = _("fiches méthode")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(people_min__gte=1, people_max__gte=F("people_min")),
                                   name="method_card_people"),
            models.CheckConstraint(condition=Q(minutes_min__gte=1,
                                               minutes_max__gte=F("minutes_min")),
                                   name="method_card_minutes"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_text(vars(self))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("formation:card", kwargs={"slug": self.slug})
