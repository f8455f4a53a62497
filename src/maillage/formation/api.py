"""The method library through the API, open to all: the cards with the pages' filters, and one
card whole."""

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from maillage.api.auth import optional_bearer

from . import library
from .models import MethodCard

router = Router(tags=["formation"])
Goal = Literal[tuple(MethodCard.Goal.values)]


class CardSummary(Schema):
    slug: str
    name: str
    goal: str = Field(description="À quoi elle sert : " + ", ".join(MethodCard.Goal.values))
    purpose: str
    phase: str = Field(description="La phase d'atelier qu'elle anime, ou vide")
    # Two integers as a list: a tuple's schema (`items` as a list) is not OpenAPI 3.1's.
    people: list[int] = Field(min_length=2, max_length=2,
                              description="Le groupe : au moins, au plus")  # fmt: skip
    minutes: list[int] = Field(min_length=2, max_length=2,
                               description="La durée en minutes : au moins, au plus")  # fmt: skip
    dimensions: list[str]
    url: str

    @staticmethod
    def resolve_people(card: MethodCard) -> list[int]:
        return [card.people_min, card.people_max]

    @staticmethod
    def resolve_minutes(card: MethodCard) -> list[int]:
        return [card.minutes_min, card.minutes_max]

    @staticmethod
    def resolve_dimensions(card: MethodCard) -> list[str]:
        return [d.code for d in card.dimensions.all()]

    @staticmethod
    def resolve_url(card: MethodCard) -> str:
        return card.get_absolute_url()


class Card(CardSummary):
    when: str
    materials: str
    steps: list[str]
    tips: list[str]
    produces: str
    chains_with: list[str] = Field(description="Les `slug` des fiches qui peuvent suivre")

    @staticmethod
    def resolve_chains_with(card: MethodCard) -> list[str]:
        return [other.slug for other in card.chains_with.all()]


class CardFilters(Schema):
    q: str = Field("", max_length=100, description="Des mots (accents et casse ignorés)")
    minutes: int | None = Field(None, ge=1, le=1440, description="Le temps dont on dispose")
    people: int | None = Field(None, ge=1, le=1000, description="Le nombre de participants")
    goal: Goal | None = None
    dimension: str = Field("", max_length=40, description="Le code d'une dimension")


@router.get("", response=list[CardSummary], auth=optional_bearer,
            summary="Les fiches méthode (public)")  # fmt: skip
def cards(request: HttpRequest, filters: Query[CardFilters]):
    """Every card that holds all the words of `q`, can be run in `minutes` with `people`,
    serves `goal` and concerns `dimension`, in the library's order."""
    return library.search(MethodCard.objects.prefetch_related("dimensions"), q=filters.q,
                          minutes=filters.minutes, people=filters.people,
                          goal=filters.goal or "", dimension=filters.dimension)  # fmt: skip


@router.get("/{slug}", response=Card, auth=optional_bearer, summary="Une fiche méthode (public)")
def card(request: HttpRequest, slug: str):
    return get_object_or_404(
        MethodCard.objects.prefetch_related("dimensions", "chains_with"), slug=slug[:60]
    )
