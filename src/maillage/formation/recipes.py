"""Method cards in workshops: a card added to a workshop's agenda as a phase (its duration,
its steps shown to the facilitator at that phase), a workshop's agenda kept as a recipe, and a
new workshop's agenda taken from one."""

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.workshops import live
from maillage.workshops.models import Phase, Workshop

from .models import MethodCard, Recipe, RecipeStep

VERB_LABELS.update({"card-used": gettext_lazy("Fiche méthode ajoutée au déroulé"),
                    "recipe-saved": gettext_lazy("Déroulé gardé comme recette")})  # fmt: skip
PREPARING = [Workshop.Status.PREPARATION, Workshop.Status.OUVERT, Workshop.Status.EN_COURS]


def workshops_to_come():
    """The workshops a card can still be added to."""
    return Workshop.objects.filter(status__in=PREPARING).order_by("starts_at")


@transaction.atomic
def use_in_workshop(*, card: MethodCard, workshop: Workshop, by: User) -> Phase:
    """CARD as a phase of WORKSHOP, before its closing (or last): the phase the card runs if it
    is one of the workshops' own, else an activity; the card's shortest duration."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if workshop.status not in PREPARING or not live.can_facilitate(workshop, by):
        raise DomainError(_("Cet atelier ne peut plus changer de déroulé."), code="closed",
                          status=409)  # fmt: skip
    phases = workshop.phases.all()
    closing = phases.filter(kind=Phase.Kind.CLOTURE).order_by("position").first()
    if closing is not None:
        position = closing.position
        phases.filter(position__gte=position).update(position=F("position") + 1)
    else:
        position = (phases.aggregate(last=Max("position"))["last"] or -1) + 1
    phase = Phase.objects.create(workshop=workshop, kind=card.phase or Phase.Kind.ACTIVITE,
                                 title=card.name, minutes=card.minutes_min, position=position,
                                 card=card)  # fmt: skip
    record(workshop, "card-used", actor=by, card=card.slug)
    return phase


@transaction.atomic
def save_recipe(*, workshop: Workshop, name: str, by: User) -> Recipe:
    name = " ".join(name.split())[:160]
    if not name:
        raise DomainError(_("Donnez un nom à la recette."), code="name", status=422)
    recipe = Recipe.objects.create(name=name, created_by=by,
                                   description=workshop.question[:500])  # fmt: skip
    RecipeStep.objects.bulk_create(
        RecipeStep(recipe=recipe, position=n, kind=p.kind, title=p.title, minutes=p.minutes,
                   card=p.card)
        for n, p in enumerate(workshop.phases.order_by("position", "pk"))
    )  # fmt: skip
    record(workshop, "recipe-saved", actor=by, recipe=recipe.pk)
    return recipe


def agenda_of(recipe: Recipe) -> list[tuple]:
    """The recipe as `create_workshop` takes an agenda."""
    return [(s.kind, s.minutes, s.title, s.card) for s in recipe.steps.select_related("card")]
