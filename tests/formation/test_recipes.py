"""A method card becomes a workshop phase: added from the card to a workshop's agenda, with
its duration, and its steps shown to the facilitator in the console at that phase; an agenda
kept as a recipe starts another workshop."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.formation.models import MethodCard, Recipe
from maillage.workshops import live, services
from maillage.workshops.models import Phase, Workshop
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(db):
    return UserFactory(role="animateur", first_name="Nadia")


@pytest.fixture
def workshop(facilitator):
    start = timezone.now() + timedelta(days=7)
    end = start + timedelta(hours=3)
    return services.create_workshop(by=facilitator, question="Un tiers-lieu pour Carro ?",
                                    starts_at=start, ends_at=end)  # fmt: skip


def test_a_card_joins_the_agenda_before_the_closing_and_guides_the_console(
    client, facilitator, workshop
):
    client.force_login(facilitator)
    page = client.get("/methodes/pre-mortem/")
    assert workshop in page.context["workshops"]
    response = client.post("/methodes/pre-mortem/utiliser/", {"atelier": workshop.pk})
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    kinds = list(workshop.phases.order_by("position").values_list("kind", "title", "minutes"))
    assert kinds[-2] == ("activite", "Pré-mortem", 20) and kinds[-1][0] == "cloture"
    phase = workshop.phases.get(kind="activite")
    live.start_phase(workshop=workshop, phase=phase, by=facilitator)
    console = client.get(f"/ateliers/{workshop.pk}/console/").content.decode()
    assert 'class="phase-card"' in console and "Pré-mortem" in console
    second_step = MethodCard.objects.get(slug="pre-mortem").steps[1]
    assert "écrit en silence les causes possibles" in second_step
    assert "écrit en silence les causes possibles" in console


def test_a_card_that_is_a_workshop_phase_keeps_its_kind(client, facilitator, workshop):
    client.force_login(facilitator)
    client.post("/methodes/jugement-majoritaire/utiliser/", {"atelier": workshop.pk})
    assert workshop.phases.filter(kind="evaluation", card__slug="jugement-majoritaire").exists()


def test_a_finished_or_unknown_workshop_takes_no_card(client, facilitator, workshop):
    client.force_login(facilitator)
    Workshop.objects.filter(pk=workshop.pk).update(status="termine")
    before = workshop.phases.count()
    for value in (workshop.pk, "nimporte", "9" * 40):
        page = client.post("/methodes/pre-mortem/utiliser/", {"atelier": value}, follow=True)
        assert "Choisissez un atelier à venir" in page.content.decode()
    assert workshop.phases.count() == before
    client.force_login(UserFactory(role="membre"))
    assert (
        client.post("/methodes/pre-mortem/utiliser/", {"atelier": workshop.pk}).status_code == 404
    )


def test_an_agenda_kept_as_a_recipe_starts_the_next_workshop(client, facilitator, workshop):
    client.force_login(facilitator)
    client.post("/methodes/persona/utiliser/", {"atelier": workshop.pk})
    client.post(f"/methodes/recettes/depuis/{workshop.pk}/", {"name": "Atelier avec personas"})
    recipe = Recipe.objects.get()
    assert recipe.steps.count() == workshop.phases.count()
    start = timezone.localtime() + timedelta(days=10)
    response = client.post("/ateliers/preparer/", {
        "question": "Un jardin partagé ?", "day": start.date().isoformat(), "start": "14:00",
        "end": "17:00", "capacity": 20, "criteria": "Utilité", "recipe": recipe.pk,
    })  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    created = Workshop.objects.get(question="Un jardin partagé ?")
    assert list(created.phases.values_list("kind", "card__slug")) == list(
        workshop.phases.order_by("position").values_list("kind", "card__slug")
    )
    refused = client.post(f"/methodes/recettes/depuis/{workshop.pk}/", {"name": " "}, follow=True)
    assert "Donnez un nom" in refused.content.decode() and Recipe.objects.count() == 1
    assert Phase.objects.filter(card__slug="persona").count() == 2
