"""A project is born from a workshop's decision, or created by the lab's team; its public page
and the portfolio."""

import html

import pytest

from maillage.core.errors import DomainError
from maillage.core.models import Dimension, JournalEntry
from maillage.needs.models import Need
from maillage.projects import services
from maillage.projects.models import Member, Project
from maillage.workshops import live
from tests.factories import PersonFactory, UserFactory, raise_test_need
from tests.pages import read


@pytest.fixture
def desk(db):
    user = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    PersonFactory(user=user, first_name="Nadia", last_name="Benali")
    return user


def _decided(room, by, needs=()):
    workshop, garden, _market, _people = room
    if needs:
        workshop.shared_need = Need.objects.get(pk=needs[0].pk).shared_need
        workshop.save(update_fields=["shared_need"])
    live.decide(workshop=workshop, by=by, scenario=garden, decision="On commence au printemps.")
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def needs_of_the_garden(desk):
    from maillage.needs import services as needs
    from tests.factories import raise_test_need

    dimension = Dimension.objects.first()
    first = raise_test_need(description="Le jardin est abandonné")
    needs.qualify_need(need=first, by=desk, title="Jardin", dimension=dimension)
    shared = needs.create_shared_need(title="Le jardin de Carro", by=desk, from_need=first)
    second = raise_test_need(description="On voudrait planter")
    needs.qualify_need(need=second, by=desk, title="Planter", dimension=dimension)
    needs.link_to_shared_need(need=second, shared_need=shared, by=desk)
    return [first, second]


@pytest.mark.django_db
def test_the_workshop_decision_becomes_the_project_with_its_needs(
    room, desk, client, needs_of_the_garden
):
    workshop = _decided(room, desk, needs_of_the_garden)
    client.force_login(desk)
    report = client.get(f"/ateliers/{workshop.pk}/compte-rendu/").text
    assert "Créer le projet" in report
    response = client.post(f"/ateliers/{workshop.pk}/creer-le-projet/")
    project = Project.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.title == "Un jardin partagé" and project.workshop == workshop
    assert "On commence au printemps." in project.purpose
    assert project.members.get().person == desk.person
    assert project.members.get().role == Member.Role.PILOTE
    assert set(project.needs.all()) == set(needs_of_the_garden)
    assert set(project.dimensions.all()) == {Dimension.objects.first()}
    for need in needs_of_the_garden:
        need.refresh_from_db()
        assert need.status == Need.Status.EN_PROJET
        told = JournalEntry.objects.about(need).public().first()
        assert "Le projet « Un jardin partagé » prend votre besoin en charge." in told.message
        tracking = read(client.get(need.tracking_url()))
        link = f'<a href="{project.get_absolute_url()}">Un jardin partagé</a>'
        assert f"Un projet y répond : {link} (en cours)" in tracking
    page = client.get(f"/ateliers/{workshop.pk}/compte-rendu/").text
    assert "Voir le projet né de cet atelier" in page
    again = client.post(f"/ateliers/{workshop.pk}/creer-le-projet/", follow=True)
    assert "Cet atelier a déjà son projet" in html.unescape(again.text)
    assert Project.objects.count() == 1


@pytest.mark.django_db
def test_an_undecided_workshop_has_no_project_yet(room, desk, client):
    workshop, *_ = room
    with pytest.raises(DomainError, match="pas encore décidé"):
        services.create_from_workshop(workshop=workshop, by=desk)
    client.force_login(UserFactory(role="membre"))
    assert client.post(f"/ateliers/{workshop.pk}/creer-le-projet/").status_code == 404
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_team_creates_a_project_from_the_form(desk, client, needs_of_the_garden):
    client.force_login(desk)
    first, second = needs_of_the_garden
    form = {"title": "Un jardin", "purpose": "Cultiver ensemble.",
            "dimensions": [Dimension.objects.first().pk]}  # fmt: skip
    # The needs are found by their words, then ticked; the typed title survives the search.
    searched = client.post("/projets/nouveau/", form | {"besoin": "jardin", "chercher": "1"})
    assert searched.status_code == 200 and not Project.objects.exists()
    page = read(searched)
    assert f'value="{first.pk}"' in page and first.reference in page
    assert 'value="Un jardin"' in page and "Le formulaire contient des erreurs" not in page
    kept = client.post("/projets/nouveau/", form | {"besoin": "introuvable", "chercher": "1",
                                                    "needs": [first.pk]})  # fmt: skip
    assert "Aucun besoin ouvert ne porte ces mots." in read(kept)
    assert f'value="{first.pk}"' in read(kept) and "checked" in read(kept)
    unknown = client.post("/projets/nouveau/", form | {"needs": [first.pk, 999999]})
    assert unknown.status_code == 400 and not Project.objects.exists()
    from maillage.needs import services as needs

    needs.change_status(need=second, to=Need.Status.CLOS, by=desk, reason="doublon",
                        message="Déjà traité avec un autre besoin.")  # fmt: skip
    closed = client.post("/projets/nouveau/", form | {"needs": [second.pk]})
    assert closed.status_code == 400 and "déjà résolus ou clos" in html.unescape(closed.text)
    assert not Project.objects.exists()
    created = client.post("/projets/nouveau/", form | {"needs": [first.pk]})
    project = Project.objects.get()
    assert created["Location"] == project.get_absolute_url()
    assert list(project.needs.all()) == [first]


@pytest.mark.django_db
def test_the_public_page_and_the_portfolio_show_counts_never_requesters(
    room, desk, client, needs_of_the_garden, django_assert_max_num_queries
):
    workshop = _decided(room, desk, needs_of_the_garden)
    project = services.create_from_workshop(workshop=workshop, by=desk)
    for n in range(5):
        services.create_project(by=desk, title=f"Projet {n}", purpose="Pour voir.")
    with django_assert_max_num_queries(12):
        page = client.get(project.get_absolute_url()).text
    assert "Nadia Benali — Pilote" in page
    assert "Le jardin est abandonné" not in page  # the requesters' words stay private
    dimension = Dimension.objects.first()
    assert f'<th scope="row">{dimension.name}</th><td>2</td><td>0</td>' in page
    with django_assert_max_num_queries(12):
        portfolio = client.get("/projets/").text
    assert portfolio.count('class="card"') == 6
    filtered = client.get(f"/projets/?dimension={dimension.code}").text
    assert filtered.count('class="card"') == 1 and "2 besoins, 0 résolu" in filtered


@pytest.mark.django_db
def test_the_api_lists_projects_and_gives_one_with_its_group_and_needs(
    room, desk, client, needs_of_the_garden
):
    workshop = _decided(room, desk, needs_of_the_garden)
    project = services.create_from_workshop(workshop=workshop, by=desk)
    services.create_project(by=desk, title="Autre", purpose="Pour voir.")
    listed = client.get("/api/v1/projects").json()
    assert listed["count"] == 2
    dimension = Dimension.objects.first().code
    only = client.get(f"/api/v1/projects?dimension={dimension}").json()["items"]
    assert [p["id"] for p in only] == [project.pk] and only[0]["needs_count"] == 2
    one = client.get(f"/api/v1/projects/{project.pk}").json()
    assert one["workshop"] == workshop.pk
    assert one["members"] == [{"name": "Nadia Benali", "role": "pilote", "organisation": None}]
    assert sorted(n["reference"] for n in one["needs"]) == sorted(
        n.reference for n in needs_of_the_garden
    )
    assert "Le jardin est abandonné" not in str(one)
    assert one["steps"] == []
    assert [(d["title"], d["method"]) for d in one["decisions"]] == [
        ("Un jardin partagé", "jugement-majoritaire")
    ]
    assert client.get("/api/v1/projects/999999").status_code == 404
    assert client.get("/api/v1/projects?status=nimporte").status_code == 422


@pytest.mark.django_db
def test_someone_asks_to_join_a_pilot_accepts_and_the_group_keeps_a_pilot(desk, client):
    from tests.factories import MembershipFactory, OrganisationFactory

    project = services.create_project(by=desk, title="Un jardin", purpose="Cultiver ensemble.")
    awa_user = UserFactory(role="membre", email="awa@example.org")
    awa = PersonFactory(user=awa_user, first_name="Awa", last_name="Diallo")
    association = OrganisationFactory(name="Les Jardiniers")
    MembershipFactory(person=awa, organisation=association)
    client.force_login(awa_user)
    page = client.get(project.get_absolute_url()).text
    assert "Demander à rejoindre" in page and "Les Jardiniers" in page
    client.post(f"/projets/{project.pk}/rejoindre/",
                {"organisation": association.pk, "message": "Je sais tailler."})  # fmt: skip
    twice = client.post(f"/projets/{project.pk}/rejoindre/", follow=True)
    assert "votre demande attend" in html.unescape(twice.text)
    asked = project.members.requests().get()
    assert asked.organisation == association and not project.members.active().filter(person=awa)
    assert "1 membre" in client.get("/projets/").text  # a request is not a member yet
    # Awa cannot accept herself; the pilot can.
    client.post(f"/projets/{project.pk}/membres/{asked.pk}/accepter/", {"role": "pilote"})
    assert project.members.requests().exists()
    client.force_login(desk)
    assert "Je sais tailler." in html.unescape(client.get(project.get_absolute_url()).text)
    client.post(f"/projets/{project.pk}/membres/{asked.pk}/accepter/", {"role": "contributeur"})
    member = project.members.active().get(person=awa)
    assert member.role == "contributeur" and member.accepted_at is not None
    page = html.unescape(client.get(project.get_absolute_url()).text)
    assert "Awa Diallo — Contributeur (Les Jardiniers)" in page
    # The last pilot stays; others can be removed, and can leave.
    pilot = project.members.get(role="pilote")
    alone = client.post(f"/projets/{project.pk}/membres/{pilot.pk}/retirer/", follow=True)
    assert "au moins un pilote" in html.unescape(alone.text)
    unknown = client.post(
        f"/projets/{project.pk}/membres/", {"email": "x@example.org"}, follow=True
    )
    assert "Aucune personne de la plateforme" in read(unknown)
    client.force_login(awa_user)
    client.post(f"/projets/{project.pk}/membres/{member.pk}/retirer/")
    assert not project.members.filter(person=awa).exists()


@pytest.mark.django_db
def test_steps_follow_each_other_and_each_review_sets_the_next_goal(desk, client):
    from datetime import timedelta

    from django.utils import timezone

    from maillage.projects.models import Step

    project = services.create_project(by=desk, title="Un jardin", purpose="Cultiver ensemble.")
    client.force_login(desk)
    url = f"/projets/{project.pk}/etapes/"
    today = timezone.localdate()
    backwards = client.post(url, {"goal": "Défricher", "starts_on": today,
                                  "ends_on": today - timedelta(days=3)}, follow=True)  # fmt: skip
    assert "L'étape doit finir après son début." in html.unescape(backwards.text)
    too_long = client.post(url, {"goal": "Tout", "starts_on": today,
                                 "ends_on": today + timedelta(weeks=20)}, follow=True)  # fmt: skip
    assert "d'une à douze semaines" in html.unescape(too_long.text)
    assert not Step.objects.exists()
    client.post(url, {"goal": "Défricher la parcelle"})
    first = Step.objects.get()
    assert (first.number, first.starts_on, first.ends_on) == (1, today, today + timedelta(weeks=4))
    client.post(f"/projets/{project.pk}/etapes/{first.pk}/commencer/")
    early = client.post(f"/projets/{project.pk}/etapes/{first.pk}/revue/", {"delivered": ""},
                        follow=True)  # fmt: skip
    assert "Ce qui a été livré" in html.unescape(early.text)
    client.post(f"/projets/{project.pk}/etapes/{first.pk}/revue/", {
        "delivered": "La parcelle est prête.", "shown_to": "Les voisins",
        "feedback": "Ils veulent des bacs hauts.", "next_goal": "Installer des bacs hauts",
    })  # fmt: skip
    first.refresh_from_db()
    assert first.status == "terminee" and first.reviewed_at is not None
    second = Step.objects.get(number=2)
    assert second.goal == "Installer des bacs hauts" and second.starts_on == first.ends_on
    page = html.unescape(client.get(project.get_absolute_url()).text)
    assert "La parcelle est prête." in page and "Commencer l'étape 2" in page
    # Someone outside the pilots cannot move the steps.
    client.force_login(UserFactory(role="membre"))
    refused = client.post(f"/projets/{project.pk}/etapes/{second.pk}/commencer/", follow=True)
    assert "Seuls les pilotes" in html.unescape(refused.text)
    assert Step.objects.get(number=2).status == "prevue"


@pytest.mark.django_db
def test_the_decisions_log(desk, client):
    from datetime import timedelta

    from django.utils import timezone

    project = services.create_project(by=desk, title="Un jardin", purpose="Cultiver ensemble.")
    client.force_login(desk)
    url = f"/projets/{project.pk}/decisions/"
    decision = {"title": "Des bacs hauts", "context": "Des voisins ont mal au dos.",
                "options": "Pleine terre\nBacs hauts", "method": "consentement",
                "taken_by": "Le groupe, le 3 mars"}  # fmt: skip
    future = client.post(url, decision | {"decided_on": timezone.localdate() + timedelta(days=2)},
                         follow=True)  # fmt: skip
    assert "une fois prise, pas avant" in html.unescape(future.text)
    bad = client.post(url, decision | {"method": "tirage"}, follow=True)
    assert "tirage" in html.unescape(bad.text) and not project.decisions.exists()
    client.post(url, decision)
    logged = project.decisions.get()
    assert logged.method == "consentement" and logged.decided_on == timezone.localdate()
    page = html.unescape(client.get(project.get_absolute_url()).text)
    assert "Des bacs hauts" in page and "Consentement — Le groupe, le 3 mars" in page
    client.force_login(UserFactory(role="membre"))
    client.post(url, decision)
    assert project.decisions.count() == 1


@pytest.mark.django_db
def test_a_need_not_yet_qualified_is_qualified_on_the_way_into_the_project(
    room, desk, client, needs_of_the_garden
):
    from maillage.needs import services as needs
    from maillage.needs.models import SharedNeed

    shared = SharedNeed.objects.get()
    just_in = raise_test_need(description="Et des bancs autour du jardin ?")
    needs.link_to_shared_need(need=just_in, shared_need=shared, by=desk)
    just_in.refresh_from_db()
    assert just_in.status == Need.Status.RECU
    workshop = _decided(room, desk, needs_of_the_garden)
    client.force_login(desk)
    response = client.post(f"/ateliers/{workshop.pk}/creer-le-projet/")
    project = Project.objects.get()  # created, not refused for the one need
    assert response["Location"] == project.get_absolute_url()
    assert just_in in project.needs.all()
    just_in.refresh_from_db()
    assert just_in.status == Need.Status.EN_PROJET
    steps = {entry.data.get("status") for entry in JournalEntry.objects.about(just_in)
             if entry.verb == "need-status"}  # fmt: skip
    # Qualified on the way (at the decision), then in the workshop, then in the project.
    assert steps == {Need.Status.QUALIFIE, Need.Status.EN_ATELIER, Need.Status.EN_PROJET}


@pytest.mark.django_db
def test_a_project_takes_a_need_just_received_too(desk):
    from maillage.needs import services as needs

    just_in = raise_test_need(description="Un banc devant la poste")
    project = services.create_project(by=desk, title="Des bancs", purpose="S'asseoir en ville.",
                                      answers=[just_in])  # fmt: skip
    just_in.refresh_from_db()
    assert just_in.status == Need.Status.EN_PROJET and just_in in project.needs.all()
    with pytest.raises(DomainError, match="ne peut pas passer"):  # the desk's own step stays strict
        needs.change_status(need=raise_test_need(), to=Need.Status.EN_PROJET, by=desk)


@pytest.mark.django_db
def test_hostile_needs_to_attach_are_refused_clearly(desk, client, needs_of_the_garden):
    client.force_login(desk)
    form = {"title": "Un jardin", "purpose": "Cultiver ensemble."}
    for hostile in (["99999999999999999999999"], ["-1"], ["abc"], [""]):
        response = client.post("/projets/nouveau/", form | {"needs": hostile})
        assert response.status_code == 400 and not Project.objects.exists()
    long_search = client.post("/projets/nouveau/", form | {"besoin": "jardin " * 2000,
                                                           "chercher": "1"})  # fmt: skip
    assert long_search.status_code == 200
