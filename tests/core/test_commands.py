import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from maillage.core.models import ApiToken
from tests.factories import UserFactory


@pytest.mark.django_db
def test_token_create_prints_a_key_that_authenticates_on_the_api(client, capsys):
    UserFactory(email="animatrice@example.org", role="animateur")
    call_command("token", "create", "Animatrice@Example.org")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.find(key).user.email == "animatrice@example.org"
    response = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_token_create_refuses_an_unknown_account():
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("token", "create", "personne@example.org")


def test_serve_refuses_the_development_secret_key_in_production(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    with pytest.raises(CommandError, match="SECRET_KEY"):
        call_command("serve")


@pytest.mark.django_db
def test_demo_seed_loads_a_martigues_like_territory_once():
    from maillage.territory.models import Organisation, Person, Place

    call_command("seed", "--scale", "demo")
    assert 40 <= Organisation.objects.count() <= 60
    assert 180 <= Person.objects.count() <= 220
    assert Place.objects.filter(kind="site-labo").count() == 2
    assert set(Organisation.objects.values_list("kind", flat=True)) >= {
        "service-municipal",
        "service-public",
        "entreprise",
        "association",
        "enseignement",
        "collectif-habitants",
        "tiers-lieu",
    }
    for organisation in Organisation.objects.all():
        organisation.full_clean()  # every SIRET, RNA and phone of the demo is valid

    from maillage.core.models import JournalEntry
    from maillage.needs.models import Need, SharedNeed

    assert Need.objects.count() >= 300
    assert set(Need.objects.values_list("status", flat=True)) == set(Need.Status.values)
    assert Need.objects.overdue().exists()
    assert SharedNeed.objects.filter(needs__isnull=False).distinct().count() >= 3
    assert JournalEntry.objects.filter(verb="need-answered").exists()
    assert not Need.objects.open().filter(owner__isnull=True).exists()

    from maillage.workshops.models import Workshop

    past, upcoming = Workshop.objects.past().get(), Workshop.objects.upcoming().get()
    assert upcoming.is_open_for_registration and upcoming.registrations.exists()
    assert past.status == "termine" and past.chosen_scenario and past.decision
    assert past.ideas.filter(cluster__isnull=False).count() >= 10
    assert past.ideas.filter(merged_into__isnull=False).exists()
    assert past.scenarios.count() == 3
    assert past.results_revealed_at < past.decided_at < past.ends_at
    # Every participant graded every scenario on every criterion.
    assert (
        past.participants.count() * 3 * past.criteria.count()
        == (past.scenarios.aggregate(n=Count("grades"))["n"])
    )
    assert past.project.title == past.chosen_scenario.title  # the project born from it

    # The story holds: each workshop starts from the shared need it is about, and the project
    # born from it answers those needs, in their dimension.
    assert past.shared_need.title.startswith("Bus du dimanche")
    assert set(past.project.needs.values_list("shared_need", flat=True)) == {past.shared_need_id}
    assert {d.code for d in past.project.dimensions.all()} == {"ecologie"}  # mobility is there
    about = upcoming.shared_need
    assert about.dimension.code == "dematerialisation" and "en ligne" in upcoming.question
    assert about.needs.open().count() >= 10
    # A desk that keeps up: a few open needs late, not most of them.
    open_needs = Need.objects.open().count()
    assert 0.02 <= Need.objects.overdue().count() / open_needs <= 0.15
    # Delays that vary from month to month, as a real year's do.
    from maillage.observatory import indicators
    from maillage.observatory.indicators import Period

    delays = indicators.delays(Period.parse(None, None)).rows
    medians = {row["premiere_reponse_mediane"] for row in delays} - {None}
    assert len(medians) >= 4, delays
    with pytest.raises(CommandError, match="déjà chargé"):
        call_command("seed", "--scale", "demo")
