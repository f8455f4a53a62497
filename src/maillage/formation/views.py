"""The method library's pages, open to all: the cards with search and filters, one card, and
each card or the whole deck as A5 PDFs to print."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from maillage.core import pdf
from maillage.core.models import Dimension

from . import library
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
    return render(request, "formation/card.html", {"card": _card_or_404(slug)})


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
