"""A workshop's result cannot be forged from one phone: ceilings per network and per browser,
the facilitators see the flood and show it out (results recounted), the door closes, and a
formal vote is one ballot per registered person checked in at the door."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.workshops import door, live, services
from maillage.workshops.models import Participant
from maillage.workshops.results import results
from tests.pages import read

E, P, R = 6, 2, 0  # Excellent, Passable, À rejeter
HALL = "203.0.113.7"


def _start(workshop, kind):
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind=kind),
                     by=workshop.facilitators.first())  # fmt: skip


def _grade(people, scenario, value):
    values = {c.pk: value for c in scenario.workshop.criteria.all()}
    for person in people:
        live.grade_scenario(participant=person, scenario=scenario, values=values)


@pytest.mark.django_db
def test_one_network_brings_in_as_many_phones_as_people_expected_never_more(room):
    workshop, *_ = room
    workshop.expected = 5
    workshop.save()
    for n in range(5):
        door.join(code=workshop.join_code, name=f"P{n}", address=HALL)
    with pytest.raises(DomainError, match="depuis ce réseau") as full:
        door.join(code=workshop.join_code, name="Encore", address=HALL)
    assert full.value.status == 429
    door.join(code=workshop.join_code, name="Ailleurs", address="198.51.100.1")  # another network


@pytest.mark.django_db
def test_one_browser_joins_a_few_times_at_most(room):
    workshop, *_ = room
    for n in range(door.JOINS_PER_BROWSER):
        door.join(code=workshop.join_code, name=f"P{n}", address=HALL, browser="telephone")
    with pytest.raises(DomainError, match="plusieurs fois"):
        door.join(code=workshop.join_code, name="Encore", address=HALL, browser="telephone")


@pytest.mark.django_db
def test_a_forged_flood_is_seen_on_the_console_and_its_exclusion_restores_the_result(
    client, room, facilitator
):
    """Five honest voters grade the garden Excellent; one address makes twenty phones that
    reject it. The console shows twenty phones of one network in a few seconds; once they are
    excluded the garden is Excellent again, live, and the journal says who did it."""
    workshop, garden, market, honest = room
    honest += [door.join(code=workshop.join_code, name=n, address=f"198.51.100.{k}")
               for k, n in enumerate(("Dora", "Eli"))]  # fmt: skip
    forged = [door.join(code=workshop.join_code, name=f"Faux{n}", address=HALL)
              for n in range(20)]  # fmt: skip
    _start(workshop, "evaluation")
    _grade(honest, garden, E)
    _grade(honest, market, P)
    _grade(forged, garden, R)
    _grade(forged, market, E)
    assert results(workshop)[0].title == "Un marché"  # forged
    client.force_login(facilitator)
    console = read(client.get(reverse("workshops:console", args=[workshop.pk])))
    assert "203.0.113.x : 20 téléphones" in console and (
        "secondes" in console or "au même instant" in console
    )
    network = Participant.objects.get(pk=forged[0].pk).network
    response = client.post(reverse("workshops:exclude", args=[workshop.pk]), {"reseau": network})
    assert response.status_code == 302
    best = results(workshop)[0]
    assert best.title == "Un jardin partagé" and best.median_label == "Excellent"
    entry = JournalEntry.objects.get(verb="workshop-participants-excluded")
    assert entry.actor == facilitator and entry.data["count"] == 20
    # The excluded phones are told, and can neither vote nor come back.
    phone = Client()
    phone.cookies[f"atelier-{workshop.pk}"] = forged[0].token
    page = html.unescape(phone.get(reverse("workshops:room", args=[workshop.pk])).text)
    assert "L'animation vous a retiré" in page
    with pytest.raises(DomainError, match="retiré"):
        _grade([Participant.objects.get(pk=forged[0].pk)], garden, R)
    with pytest.raises(DomainError, match="retiré"):
        door.join(code=workshop.join_code, name="X", tokens=[forged[0].token])


@pytest.mark.django_db
def test_an_excluded_participants_ideas_leave_the_board(room, facilitator):
    from maillage.workshops.broadcast import ideas_board

    workshop, _garden, _market, (awa, bruno, _chloe) = room
    _start(workshop, "ideation")
    live.post_idea(participant=awa, text="Un banc")
    live.post_idea(participant=bruno, text="Publicité pour un casino")
    door.exclude(workshop=workshop, by=facilitator, participants=[bruno.pk])
    assert [i.text for group in ideas_board(workshop) for i in group["ideas"]] == ["Un banc"]


@pytest.mark.django_db
def test_the_door_closes_to_new_phones_and_lets_those_in_come_back(client, room, facilitator):
    workshop, _garden, _market, (awa, *_) = room
    client.force_login(facilitator)
    client.post(reverse("workshops:set_joining", args=[workshop.pk]), {"acces": "fermer"})
    with pytest.raises(DomainError, match="fermé"):
        door.join(code=workshop.join_code, name="Tard", address=HALL)
    assert door.join(code=workshop.join_code, name="", tokens=[awa.token]) == awa
    refused = Client().post(reverse("workshops:join"), {"code": workshop.join_code, "name": "Z"})
    assert refused.status_code == 400 and "fermé" in html.unescape(refused.text)
    client.post(reverse("workshops:set_joining", args=[workshop.pk]), {"acces": "ouvrir"})
    door.join(code=workshop.join_code, name="Tard", address=HALL)
    verbs = set(JournalEntry.objects.values_list("verb", flat=True))
    assert {"workshop-joining-closed", "workshop-joining-opened"} <= verbs


@pytest.mark.django_db
def test_a_formal_vote_is_one_ballot_per_registered_person_checked_in(client, room, facilitator):
    workshop, garden, _market, (awa, *_) = room
    workshop.vote = workshop.Vote.INSCRITS
    workshop.save()
    karim, _ = services.register(workshop=workshop, name="Karim", email="karim@example.org")
    lea, _ = services.register(workshop=workshop, name="Léa", email="lea@example.org")
    services.take_attendance(workshop=workshop, by=facilitator, present=[karim.pk])
    karim.refresh_from_db()
    lea.refresh_from_db()
    _start(workshop, "evaluation")
    with pytest.raises(DomainError, match="réservé aux inscrits"):
        _grade([awa], garden, E)  # a phone without a door code
    with pytest.raises(DomainError, match="code d'entrée"):
        door.join(code=workshop.join_code, name="Léa", door_code=lea.door_code)  # not checked in
    first = door.join(code=workshop.join_code, name="Karim", door_code=karim.door_code.lower())
    again = door.join(code=workshop.join_code, name="K", door_code=karim.door_code)
    assert first == again  # his second phone is the same voter
    _grade([first], garden, E)
    assert sum(results(workshop)[0].overall) == workshop.criteria.count()
    client.force_login(facilitator)
    page = html.unescape(client.get(reverse("workshops:attendance", args=[workshop.pk])).text)
    assert karim.door_code in page and lea.door_code not in page


@pytest.mark.django_db
def test_the_join_page_counts_phones_by_the_network_the_proxy_reports(client, room, settings):
    workshop, *_ = room
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    workshop.expected = 1
    workshop.save()
    for address, expected in (("203.0.113.9", 302), ("203.0.113.9", 400), ("198.51.100.2", 302)):
        response = Client().post(
            reverse("workshops:join"), {"code": workshop.join_code, "name": "Z"},
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address,
        )  # fmt: skip
        assert response.status_code == expected
