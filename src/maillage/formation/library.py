"""The method library: the cards loaded from `cards.toml`, and how they are searched."""

import tomllib
from pathlib import Path

from django.db.models import Q, QuerySet

from maillage.core.text import search_document, search_terms

CARDS = Path(__file__).with_name("cards.toml")


def card_data() -> list[dict]:
    with CARDS.open("rb") as file:
        return tomllib.load(file)["card"]


def search_text(card: dict) -> str:
    """What a card is searched by: its name, its purpose, when to use it, its steps."""
    return search_document(card["name"], card["purpose"], card["when"], card["produces"],
                           " ".join(card["steps"]))  # fmt: skip


def load_cards(apps=None, schema_editor=None) -> int:
    """Create the cards `cards.toml` holds that the library does not have yet (a card the lab
    edited in the admin is kept as it is); return how many were added. APPS: a migration's."""
    if apps is None:
        from django.apps import apps
    Card = apps.get_model("formation", "MethodCard")
    Dimension = apps.get_model("core", "Dimension")
    dimensions = {d.code: d for d in Dimension.objects.all()}
    data, added = card_data(), 0
    for position, card in enumerate(data):
        fields = {"name": card["name"], "goal": card["goal"], "purpose": card["purpose"],
                  "when": card["when"], "people_min": card["people"][0],
                  "people_max": card["people"][1], "minutes_min": card["minutes"][0],
                  "minutes_max": card["minutes"][1], "materials": card["materials"],
                  "steps": card["steps"], "tips": card["tips"], "produces": card["produces"],
                  "phase": card["phase"], "position": position}  # fmt: skip
        # A migration's model has no save() of ours: the search text is written here.
        fields["search_text"] = search_text(fields)
        found, created = Card.objects.get_or_create(slug=card["slug"], defaults=fields)
        if created:
            found.dimensions.set([dimensions[c] for c in card["dimensions"] if c in dimensions])
            added += 1
    by_slug = {c.slug: c for c in Card.objects.all()}
    for card in data:
        here = by_slug[card["slug"]]
        if not here.chains_with.exists():
            here.chains_with.set([by_slug[s] for s in card["chains"] if s in by_slug])
    return added


def search(cards: QuerySet, *, q: str = "", minutes: int | None = None,
           people: int | None = None, goal: str = "", dimension: str = "") -> QuerySet:  # fmt: skip
    """CARDS that hold every word of Q (accents and case ignored), can be run in MINUTES and
    with PEOPLE, serve GOAL and concern DIMENSION."""
    for word in search_terms(q)[:10]:
        cards = cards.filter(search_text__contains=word)
    if minutes is not None:
        cards = cards.filter(minutes_min__lte=minutes)
    if people is not None:
        cards = cards.filter(people_min__lte=people, people_max__gte=people)
    if goal:
        cards = cards.filter(goal=goal)
    if dimension:
        cards = cards.filter(Q(dimensions__code=dimension)).distinct()
    return cards
