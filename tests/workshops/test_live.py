"""The workshop in the room: joining, phases, scenarios, grades and results."""

import html
import re
import sys

import pytest

from maillage.core.errors import DomainError
from maillage.core.services import issue_api_token
from maillage.workshops import door, live, services
from maillage.workshops.models import Grade, Phase
from maillage.workshops.results import results
from tests.factories import UserFactory
from tests.pdfs import drawn_bars
from tests.workshops.test_preparation import _evening

E, TB, B, AB, P, IN, R = 6, 5, 4, 3, 2, 1, 0  # Excellent … À rejeter


def _phase(workshop, kind):
    return workshop.phases.get(kind=kind)


@pytest.mark.django_db
def test_joining_needs_a_live_code_and_a_name(room):
    workshop, *_ = room
    with pytest.raises(DomainError, match="aucun atelier") as unknown:
        door.join(code="ZZZZZZ", name="Awa")
    assert unknown.value.status == 404
    with pytest.raises(DomainError, match="prénom"):
        door.join(code=workshop.join_code, name="  ")


@pytest.mark.django_db
def test_a_registered_user_is_recognised(room):
    workshop, *_ = room
    user = UserFactory(email="dora@example.org")
    registration, _ = services.register(workshop=workshop, name="Dora", email=user.email, user=user)
    participant = door.join(code=workshop.join_code, name="", user=user)
    registration.refresh_from_db()
    assert participant.name == "Dora" and participant.registration == registration
    assert registration.attended


@pytest.mark.django_db
def test_grades_count_only_during_the_evaluation_and_a_second_vote_replaces_the_first(
    room, facilitator
):
    workshop, garden, _market, (awa, *_rest) = room
    useful = workshop.criteria.get(label="Utilité")
    with pytest.raises(DomainError, match="pas ouvert"):
        live.grade(participant=awa, scenario=garden, criterion=useful, value=E)
    live.start_phase(workshop=workshop, phase=_phase(workshop, "evaluation"), by=facilitator)
    live.grade(participant=awa, scenario=garden, criterion=useful, value=E)
    live.grade(participant=awa, scenario=garden, criterion=useful, value=B)
    assert list(Grade.objects.values_list("value", flat=True)) == [B]
    for bad in (7, -1):
        with pytest.raises(DomainError, match="échelle"):
            live.grade(participant=awa, scenario=garden, criterion=useful, value=bad)
    live.reveal_results(workshop=workshop, by=facilitator)
    with pytest.raises(DomainError, match="pas ouvert"):
        live.grade(participant=awa, scenario=garden, criterion=useful, value=E)


@pytest.mark.django_db
def test_only_the_facilitators_drive_and_evaluation_needs_two_to_five_scenarios(facilitator):
    start, end = _evening()
    workshop = services.create_workshop(
        by=facilitator, question="Q ?", starts_at=start, ends_at=end
    )
    with pytest.raises(DomainError, match="entre deux et cinq"):
        live.start_phase(workshop=workshop, phase=_phase(workshop, "evaluation"), by=facilitator)
    with pytest.raises(DomainError) as refused:
        live.start_phase(workshop=workshop, phase=_phase(workshop, "ideation"), by=UserFactory())
    assert refused.value.status == 403
    workshop = live.start_phase(
        workshop=workshop, phase=_phase(workshop, "ideation"), by=facilitator
    )
    assert workshop.current_phase.kind == Phase.Kind.IDEATION and workshop.status == "en-cours"


@pytest.mark.django_db
def test_results_rank_by_majority_judgment_overall_and_per_criterion(room, facilitator, client):
    workshop, garden, market, people = room
    useful, cost = workshop.criteria.get(label="Utilité"), workshop.criteria.get(label="Coût")
    live.start_phase(workshop=workshop, phase=_phase(workshop, "evaluation"), by=facilitator)
    grades = {  # (garden useful, garden cost, market useful, market cost) per person
        0: (E, B, B, P), 1: (TB, AB, AB, AB), 2: (B, IN, E, R),
    }  # fmt: skip
    for n, values in grades.items():
        for (scenario, criterion), value in zip(
            [(garden, useful), (garden, cost), (market, useful), (market, cost)],
            values,
            strict=True,
        ):
            live.grade(participant=people[n], scenario=scenario, criterion=criterion, value=value)
    ranked = results(workshop)
    assert [r.title for r in ranked] == ["Un jardin partagé", "Un marché"]
    assert ranked[0].overall == [0, 1, 0, 1, 2, 1, 1] and ranked[0].median == B
    assert (
        ranked[0].rank_by_criterion[useful.pk] == 1 and ranked[1].median_by_criterion[cost.pk] == P
    )

    url = f"/api/v1/workshops/{workshop.pk}/results"
    assert client.get(url).status_code == 403  # not revealed yet
    team = {"Authorization": f"Bearer {issue_api_token(user=facilitator)}"}
    assert client.get(url, headers=team).json()["revealed"] is False
    live.reveal_results(workshop=workshop, by=facilitator)
    body = client.get(url).json()
    assert body["revealed"] and body["scenarios"][0]["majority_grade"] == {
        "value": B,
        "label": "Bien",
    }
    assert body["scenarios"][0]["criteria"][0]["criterion"] == "Utilité"
    assert [s["rank"] for s in body["scenarios"]] == [1, 2]
    assert client.get("/api/v1/workshops/999999/results").status_code == 404


@pytest.mark.django_db
def test_the_decision_ends_the_workshop_and_moves_its_needs_into_the_workshop(
    room, facilitator, client
):
    from maillage.core.models import Dimension
    from maillage.needs import services as needs
    from tests.factories import raise_test_need

    workshop, garden, _market, _people = room
    need = raise_test_need(description="Le jardin est abandonné")
    needs.qualify_need(
        need=need, by=facilitator, title="Jardin", dimension=Dimension.objects.first()
    )
    shared = needs.create_shared_need(title="Le jardin de Carro", by=facilitator, from_need=need)
    workshop.shared_need = shared
    workshop.save()
    assert client.get(f"/ateliers/{workshop.pk}/compte-rendu/").status_code == 404
    with pytest.raises(DomainError, match="décision"):
        live.decide(workshop=workshop, by=facilitator, scenario=garden, decision="  ")
    live.decide(workshop=workshop, by=facilitator, scenario=garden, decision="On plante en mars.")
    workshop.refresh_from_db()
    need.refresh_from_db()
    assert workshop.status == "termine" and workshop.chosen_scenario == garden
    assert need.status == "en-atelier"
    assert "Un jardin partagé" in client.get(need.tracking_url()).text
    with pytest.raises(DomainError, match="déjà prise"):
        live.decide(workshop=workshop, by=facilitator, scenario=garden, decision="Autre")
    with pytest.raises(DomainError, match="aucun atelier"):
        door.join(code=workshop.join_code, name="Tard")


@pytest.mark.django_db
def test_the_report_shows_the_decision_and_the_merit_profiles(room, facilitator, client):
    workshop, garden, _market, people = room
    useful = workshop.criteria.get(label="Utilité")
    live.start_phase(workshop=workshop, phase=_phase(workshop, "evaluation"), by=facilitator)
    for person, value in zip(people, (E, B, P), strict=True):
        live.grade(participant=person, scenario=garden, criterion=useful, value=value)
    live.reveal_results(workshop=workshop, by=facilitator)
    live.decide(workshop=workshop, by=facilitator, scenario=garden, decision="Le jardin, à trois.")
    page = client.get(f"/ateliers/{workshop.pk}/compte-rendu/").text
    assert "Le jardin, à trois." in page and "Awa, Bruno, Chloé" in page
    assert page.count('<svg class="merit-profile"') == 2 * (1 + 2)  # overall + two criteria
    labels = re.findall(r'aria-label="([^"]*)"', page)
    assert "Un jardin partagé — Passable : 1, Bien : 1, Excellent : 1" in labels, labels
    assert "Un marché — À rejeter : 3" in labels  # ungraded: counted as rejected
    assert "Coût — aucune mention" in labels
    assert "Lire le compte-rendu" in client.get(workshop.get_absolute_url()).text
    document = client.get(f"/ateliers/{workshop.pk}/compte-rendu.pdf")
    assert document["Content-Type"] == "application/pdf" and document.content.startswith(b"%PDF")
    assert document.content.rstrip().endswith(b"%%EOF") and len(document.content) > 5_000
    # Drawn, not blank: the garden's three grades, overall and on « Utilité », the market's one.
    assert len(drawn_bars(document.content)) >= 3 + 3 + 1


@pytest.mark.django_db
def test_without_pango_the_report_says_the_pdf_is_unavailable(
    room, facilitator, client, monkeypatch
):
    workshop, *_ = room
    live.reveal_results(workshop=workshop, by=facilitator)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not load
    document = client.get(f"/ateliers/{workshop.pk}/compte-rendu.pdf")
    assert document.status_code == 503
    assert "Le PDF n'est pas disponible" in html.unescape(document.text)
    assert client.get(f"/ateliers/{workshop.pk}/compte-rendu/").status_code == 200


@pytest.mark.django_db
def test_ideas_come_during_the_ideation_and_are_grouped_and_merged(room, facilitator, client):
    workshop, _garden, _market, (awa, bruno, chloe) = room
    with pytest.raises(DomainError, match="idéation"):
        live.post_idea(participant=awa, text="Des bacs à compost")
    live.start_phase(workshop=workshop, phase=_phase(workshop, "ideation"), by=facilitator)
    compost = live.post_idea(participant=awa, text="Des bacs à compost")
    again = live.post_idea(participant=bruno, text="Un compost collectif")
    bench = live.post_idea(participant=chloe, text="Des bancs à l'ombre")
    for text, message in (("  ", "vide"), ("x" * 10_000, "500 caractères")):
        with pytest.raises(DomainError, match=message) as refused:
            live.post_idea(participant=awa, text=text)
        assert refused.value.status == 422
    live.group_ideas(workshop=workshop, by=facilitator, ideas=[compost], title="Le compost")
    live.merge_ideas(workshop=workshop, by=facilitator, duplicate=again, into=compost)
    with pytest.raises(DomainError):
        live.merge_ideas(workshop=workshop, by=facilitator, duplicate=compost, into=again)
    with pytest.raises(DomainError) as refused:
        live.group_ideas(workshop=workshop, by=UserFactory(), ideas=[bench], title="Confort")
    assert refused.value.status == 403
    again.refresh_from_db()
    compost.refresh_from_db()
    assert again.merged_into == compost and again.cluster == compost.cluster
    assert compost.cluster.title == "Le compost"
    live.start_phase(workshop=workshop, phase=_phase(workshop, "evaluation"), by=facilitator)
    live.reveal_results(workshop=workshop, by=facilitator)
    page = client.get(f"/ateliers/{workshop.pk}/compte-rendu/").text
    assert "Le compost" in page and "proposée aussi 1 autre fois" in page
    assert "Un compost collectif" not in page and "Des bancs à l&#x27;ombre" in page
