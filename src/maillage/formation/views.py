"""The method library's pages, open to all: the cards with search and filters, one card, and
each card or the whole deck as A5 PDFs to print."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from maillage.core import params, pdf
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.core.permissions import facilitator_required
from maillage.workshops.models import Workshop

from . import library, recipes
from .models import MethodCard

DURATIONS = [("", _("Peu importe")), ("15", _("15 minutes")), ("30", _("30 minutes")),
             ("60", _("une heure")), ("120", _("deux heures"))]  # fmt: skip


class CardFilters(forms.Form):
    q = forms.CharField(label=_("Mots"), required=False, max_length=100)
    minutes = forms.TypedChoiceField(label=_("Temps disponible"), choices=DURATIONS, coerce=int,
                                     required=False, empty_value=None)  # fmt: skip
    people = forms.IntegerField(label=_("Nombre de participants"), required=False, min_value=1,
                                max_value=1000)  # fmt: skip
    goal = forms.ChoiceField(label=_("Objectif"), required=False,
                             choices=[("", _("Tous")), *MethodCard.Goal.choices])  # fmt: skip
    dimension = forms.ModelChoiceField(label=_("Dimension"), required=False,
                                       queryset=Dimension.objects.all(), to_field_name="code",
                                       empty_label=_("Toutes"))  # fmt: skip


def _filtered(request: HttpRequest) -> tuple[CardFilters, object]:
    form = CardFilters(request.GET or None)
    cards = MethodCard.objects.prefetch_related("dimensions")
    if form.is_valid():
        data = form.cleaned_data
        dimension = data["dimension"].code if data["dimension"] else ""
        cards = library.search(cards, q=data["q"], minutes=data["minutes"],
                               people=data["people"], goal=data["goal"],
                               dimension=dimension)  # fmt: skip
    return form, cards


def cards(request: HttpRequest) -> HttpResponse:
    form, found = _filtered(request)
    found = list(found)
    status = 400 if form.errors else 200
    return render(request, "formation/cards.html",
                  {"form": form, "cards": found, "query": request.GET.urlencode()},
                  status=status)  # fmt: skip


def _card_or_404(slug: str) -> MethodCard:
    return get_object_or_404(
        MethodCard.objects.prefetch_related("dimensions", "chains_with"), slug=slug[:60]
    )


def card(request: HttpRequest, slug: str) -> HttpResponse:
    context = {"card": _card_or_404(slug)}
    if request.user.is_authenticated and request.user.is_facilitator:
        context["workshops"] = recipes.workshops_to_come()[:50]
    return render(request, "formation/card.html", context)


@facilitator_required
@require_POST
def use(request: HttpRequest, slug: str) -> HttpResponse:
    """« Utiliser dans un atelier »: the card joins the chosen workshop's agenda."""
    found = _card_or_404(slug)
    workshop = recipes.workshops_to_come().filter(
        pk=params.record_id(request.POST.get("atelier"))
    ).first()  # fmt: skip
    if workshop is None:
        messages.error(request, gettext("Choisissez un atelier à venir."))
        return redirect(found)
    try:
        recipes.use_in_workshop(card=found, workshop=workshop, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(found)
    messages.success(request, gettext("« %(card)s » est ajoutée au déroulé de l'atelier.")
                     % {"card": found.name})  # fmt: skip
    return redirect(workshop)


@facilitator_required
@require_POST
def save_recipe(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=pk)
    try:
        recipe = recipes.save_recipe(workshop=workshop, name=request.POST.get("name", ""),
                                     by=request.user)  # fmt: skip
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, gettext("Le déroulé est gardé comme recette « %(name)s » : "
                                    "choisissez-la en préparant un atelier.")
                         % {"name": recipe.name})  # fmt: skip
    return redirect(workshop)


def card_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    found = _card_or_404(slug)
    return pdf.response(request, "formation/deck.pdf.html", {"cards": [found]},
                        filename=f"fiche-{found.slug}.pdf")  # fmt: skip


def deck_pdf(request: HttpRequest) -> HttpResponse:
    """The cards the filters keep, one per A5 page: the deck the lab prints for a training."""
    _form, found = _filtered(request)
    return pdf.response(request, "formation/deck.pdf.html",
                        {"cards": found.prefetch_related("chains_with")},
                        filename="jeu-de-fiches-methode.pdf")  # fmt: skip
