"""The lab's team's home: after login a facilitator lands on what waits for them, each part
counted and a link into the queue or page that handles it."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from maillage import team
from maillage.mutualisation import services as mutualisation
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.projects import backlog
from maillage.projects import services as projects
from maillage.workshops import services as workshops
from tests.factories import PersonFactory, UserFactory, raise_test_need

PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def means(referent, organisation):
    """A room the organisation's référent answers for, booked on request."""
    return mutualisation.declare_offer(
        by=referent, organisation=organisation, kind="moyen", category="salle",
        title="Salle de réunion 20 places", description="Une salle lumineuse pour se réunir.",
        thematiques=[], bookable=True, auto_accept=False,
    )  # fmt: skip


TITLE = re.compile(r'<h2 class="team-part__title"><a href="([^"]+)">(.*?)'
                   r'<span class="team-part__count">(\d+)</span>')  # fmt: skip


def _text(markup: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _parts(client) -> dict[str, tuple[int, str, list[str]]]:
    """Each part of the dashboard as its reader sees it: count, link, first rows' text."""
    response = client.get("/equipe/")
    assert response.status_code == 200
    cards = response.content.decode().split('<li class="card team-part')[1:]
    parts = {}
    for card in cards:
        url, title, count = TITLE.search(card).groups()
        rows = re.search(r'<ul class="plain-list team-part__rows">(.*?)</ul>', card, re.S)
        texts = [_text(row) for row in re.findall(r"<li>(.*?)</li>", rows[1], re.S)] if rows else []
        parts[_text(title)] = (int(count), url.replace("&amp;", "&"), texts)
    return parts


def test_the_team_lands_on_its_dashboard_after_login_and_others_on_the_home_page(client, db):
    UserFactory(email="animatrice@example.org", role="animateur")
    UserFactory(email="habitante@example.org", role="habitant")
    team = client.post("/compte/login/", {"login": "animatrice@example.org", "password": PASSWORD})
    assert team.status_code == 302 and team["Location"] == "/equipe/"
    client.logout()
    asked = client.post("/compte/login/?next=/permanence/file/",
                        {"login": "animatrice@example.org", "password": PASSWORD})  # fmt: skip
    assert asked["Location"] == "/permanence/file/"  # a page asked for still wins
    client.logout()
    other = client.post("/compte/login/", {"login": "habitante@example.org", "password": PASSWORD})
    assert other.status_code == 302 and other["Location"] == "/"
    assert client.get("/equipe/").status_code == 404  # nothing to see there


def test_each_part_counts_what_waits_and_links_where_it_is_handled(client, facilitator, means):
    now = timezone.now()
    colleague = UserFactory(role="animateur", email="collegue@example.org")
    late = raise_test_need(description="Mon dossier de retraite est bloqué depuis un mois.")
    needs.assign_need(need=late, to=facilitator, by=facilitator)
    today = raise_test_need(description="Je dois imprimer une attestation pour demain.")
    needs.assign_need(need=today, to=facilitator, by=facilitator)
    today.due_at = now + timedelta(minutes=5)
    today.save(update_fields=["due_at"])
    theirs = raise_test_need(description="Une question pour ma collègue, pas pour moi.")
    needs.assign_need(need=theirs, to=colleague, by=facilitator)
    nobody = raise_test_need(description="Personne ne s'occupe encore de ce besoin-là.")
    nobody.owner = None
    nobody.save(update_fields=["owner"])
    late = needs.qualify_need(need=late, by=facilitator, title="Retraite bloquée", dimension=None)
    mutualisation.orient(need=late, offer=means, by=facilitator, message="Une salle pour l'aider ?")
    Need.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=2))

    parts = _parts(client_logged := _logged(client, facilitator))
    count, url, rows = parts["Mes besoins en retard"]
    assert count == 1 and url == "/permanence/file/?owner=moi&overdue=on"
    assert rows[0].startswith(late.reference)
    assert client_logged.get(url).content.decode().count("/permanence/besoins/") >= 1
    count, url, rows = parts["Mes besoins à répondre aujourd'hui"]
    assert count == 1 and rows[0].startswith(today.reference)
    assert today.reference in client.get(url).content.decode()
    assert late.reference in client.get(url).content.decode()  # the queue's « today » holds both
    count, url, rows = parts["Besoins sans responsable"]
    assert count == 1 and rows[0].startswith(nobody.reference)
    queue = client.get(url).content.decode()
    assert nobody.reference in queue and late.reference not in queue
    count, url, rows = parts["Mes orientations sans réponse"]
    assert count == 1 and rows[0].startswith(f"{late.reference} → {means.title}")
    assert parts["Orientations à accepter ou décliner"][0] == 0  # not the facilitator's offer
    assert theirs.reference not in " ".join(r for _c, _u, rs in parts.values() for r in rs)


def test_the_offers_owner_sees_orientations_and_bookings_to_decide(
    client, facilitator, means, referent
):
    need = needs.qualify_need(need=raise_test_need(), by=facilitator, title="Impôts",
                              dimension=None)  # fmt: skip
    mutualisation.orient(need=need, offer=means, by=facilitator)
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()))
    mutualisation.request_booking(offer=means, by=facilitator, start=start + timedelta(hours=10),
                                  end=start + timedelta(hours=12))  # fmt: skip
    referent.role = "animateur"
    referent.save(update_fields=["role"])
    parts = _parts(_logged(client, referent))
    assert parts["Orientations à accepter ou décliner"][:2] == (1, "/mutualisation/a-traiter/")
    count, _url, rows = parts["Réservations à décider"]
    assert count == 1 and rows[0].startswith(means.title)


def test_this_weeks_workshops_and_my_project_items(client, facilitator):
    facilitator.person = PersonFactory(first_name="Awa", last_name="Diallo")
    facilitator.person.user = facilitator
    facilitator.person.save()
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    wednesday = timezone.make_aware(datetime.combine(monday + timedelta(days=2), time(14)))
    for question, starts_at in [
        ("Comment rendre la gare accessible ?", wednesday),
        ("Le lundi d'après, à minuit", wednesday + timedelta(days=5, hours=-14)),
        ("Le lundi matin", wednesday - timedelta(days=2, hours=5)),  # Monday 9:00
    ]:
        workshops.create_workshop(by=facilitator, question=question, starts_at=starts_at,
                                  ends_at=starts_at + timedelta(hours=2))  # fmt: skip
    project = projects.create_project(by=facilitator, title="Une gare pour tous",
                                      purpose="Que chacun prenne le train.")  # fmt: skip
    pilot = project.members.get(person=facilitator.person)
    backlog.add_item(project=project, by=facilitator, title="Voir les horaires en gros",
                     assignee=pilot, due_on=timezone.localdate())  # fmt: skip
    week = next(part for part in team.home(facilitator, now=wednesday) if part.rows == "workshops")
    assert [w.question for w in week.first] == [
        "Le lundi matin",
        "Comment rendre la gare accessible ?",
    ]
    parts = _parts(_logged(client, facilitator))
    count, url, rows = parts["Mes éléments de projet"]
    assert (count, url) == (1, "/projets/mon-a-faire/")
    assert rows[0].startswith("Voir les horaires en gros") and "Une gare pour tous" in rows[0]


def _logged(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_empty_dashboard_says_nothing_waits(client, facilitator, language):
    client.force_login(facilitator)
    client.cookies["django_language"] = language
    cards = client.get("/equipe/").content.decode().split('<li class="card team-part')[1:]
    assert len(cards) == 9
    empty = "Rien en attente." if language == "fr" else "Nothing waiting."
    assert all(empty in card for card in cards)
