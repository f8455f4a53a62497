"""Recipes: a workshop's agenda kept to start others from, phase by phase, card by card."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.workshops.models import Phase

from .cards import MethodCard


class Recipe(models.Model):
    name = models.CharField(_("nom"), max_length=160)
    description = models.TextField(_("pour quoi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("créée par"))  # fmt: skip
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("recette d'atelier")
        verbose_name_plural = _("recettes d'atelier")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RecipeStep(models.Model):
    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Phase.Kind)
    title = models.CharField(_("titre"), max_length=120, blank=True)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    card = models.ForeignKey(MethodCard, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("fiche méthode"))  # fmt: skip

    class Meta:
        ordering = ["recipe", "position", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
