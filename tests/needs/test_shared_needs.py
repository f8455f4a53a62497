import pytest

from maillage.core.search import similar, stems
from maillage.needs import services
from maillage.needs.models import Need, SharedNeed
from tests.factories import OrganisationFactory, UserFactory, raise_test_need
from tests.pages import read


@pytest.fixture
def owner(db):
    return UserFactory(role="animateur")


def test_french_words_are_stemmed_and_folded():
    assert stems("Démarches ADMINISTRATIVES") == stems("démarche administrative")
    assert stems("le de la") == []


@pytest.mark.django_db
def test_similar_needs_are_found_across_word_forms_accents_and_case(owner):
    printer = raise_test_need(description="Les imprimantes de la médiathèque sont en panne")
    raise_test_need(description="Je cherche un stage dans la logistique")
    other = raise_test_need(description="Imprimante EN PANNE au centre social")
    found = similar(Need.objects.exclude(pk=other.pk), other.description)
    assert found[0] == printer and len(found) == 1
    assert list(Need.objects.search("imprimantes panne")) == [printer, other] or set(
        Need.objects.search("imprimantes panne")
    ) == {printer, other}
    assert not Need.objects.search("le la de").exists()
    assert list(Need.objects.search(printer.reference)) == [printer]


@pytest.mark.django_db
def test_the_search_index_follows_edits(owner):
    need = raise_test_need(description="Problème de connexion")
    services.qualify_need(need=need, by=owner, title="Wifi du quartier", dimension=None)
    assert list(Need.objects.search("wifi")) == [need]


@pytest.mark.django_db
def test_the_desk_groups_needs_into_a_shared_need_and_requesters_are_told(client, owner):
    first = raise_test_need(description="Pas de réseau mobile à Carro")
    second = raise_test_need(description="Le réseau mobile ne passe pas à Carro")
    client.force_login(owner)
    page = client.get(first.get_absolute_url()).text
    assert second.reference in page  # shown as a similar need
    client.post(f"/permanence/besoins/{first.pk}/share/", {"share-title": "Réseau mobile à Carro"})
    shared = SharedNeed.objects.get()
    client.post(f"/permanence/besoins/{second.pk}/link/", {"link-shared_need": shared.pk})
    assert set(shared.needs.all()) == {first, second}
    assert "Réseau mobile à Carro" in client.get(second.tracking_url()).text
    refused = client.post(f"/permanence/besoins/{second.pk}/link/", {"link-shared_need": shared.pk})
    assert refused.status_code == 400 and "déjà rattaché" in refused.text


@pytest.mark.django_db
def test_the_public_page_counts_people_and_organisations_without_personal_data(client, owner):
    shared = services.create_shared_need(title="Réseau mobile à Carro", by=owner)
    services.raise_need(
        description="Pas de réseau",
        consent=True,
        name="Karim",
        email="karim@example.org",
        neighbourhood="Carro",
        shared_need=shared,
    )
    services.raise_need(
        description="Réseau coupé",
        consent=False,
        organisation=OrganisationFactory(),
        shared_need=shared,
    )
    page = read(client.get(shared.get_absolute_url()))
    assert "Karim" not in page and "karim@example.org" not in page
    assert "Carro : 1" in page
    listing = client.get("/besoins-communs/").text
    assert "Réseau mobile à Carro" in listing and "2 demandes" in listing


@pytest.mark.django_db
def test_an_inhabitant_says_me_too_and_is_followed_like_any_requester(client, owner):
    shared = services.create_shared_need(title="Bus du dimanche", by=owner)
    response = client.post(
        shared.get_absolute_url(), {"contact": "aucun", "neighbourhood": "Ferrières"}
    )
    need = Need.objects.get()
    assert response.url == need.tracking_url()
    assert need.shared_need == shared and need.description == "Moi aussi : Bus du dimanche"
    assert need.owner == owner


@pytest.mark.django_db
def test_the_shared_pages_run_a_bounded_number_of_queries(
    client, owner, django_assert_max_num_queries
):
    for n in range(20):
        shared = services.create_shared_need(title=f"Besoin commun {n}", by=owner)
        raise_test_need(description=f"Demande {n}", shared_need=shared)
    with django_assert_max_num_queries(3):
        client.get("/besoins-communs/")
    with django_assert_max_num_queries(8):
        client.get(shared.get_absolute_url())


@pytest.mark.django_db
def test_the_search_index_survives_a_table_rebuild(owner):
    """A migration that alters the table on SQLite drops its triggers; migrate restores them."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER needs_need_fts_insert")
    call_command("migrate", verbosity=0)
    need = raise_test_need(description="Ordinateur à réparer")
    assert list(Need.objects.search("ordinateurs")) == [need]
