import datetime

import pytest

from maillage.territory.models import OpeningPeriod
from tests.factories import MembershipFactory, PersonFactory, PlaceFactory, UserFactory


@pytest.mark.django_db
def test_a_members_profile_lists_their_organisations(client, organisation):
    membership = MembershipFactory(organisation=organisation, title="Bénévole")
    response = client.get(membership.person.get_absolute_url())
    assert response.status_code == 200
    assert "Centre social Jonquières" in response.text


@pytest.mark.django_db
def test_an_inhabitants_profile_is_hidden_from_others_but_not_from_facilitators(
    client, facilitator
):
    person = PersonFactory(user=UserFactory())
    assert client.get(person.get_absolute_url()).status_code == 404
    client.force_login(person.user)
    assert client.get(person.get_absolute_url()).status_code == 200
    client.force_login(facilitator)
    assert client.get(person.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_person_edits_their_own_profile(client):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    response = client.post(
        f"/personnes/{person.pk}/modifier/",
        {"first_name": "Lina", "last_name": "Durand", "neighbourhood": "Carro", "bio": "Bonjour"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.neighbourhood == "Carro"


@pytest.mark.django_db
def test_a_place_shows_its_opening_hours_and_their_osm_form(client):
    place = PlaceFactory(name="Tiers-lieu — site de Ferrières")
    for day in (0, 1):
        OpeningPeriod.objects.create(
            place=place, weekday=day, opens=datetime.time(9), closes=datetime.time(12)
        )
    response = client.get(place.get_absolute_url())
    assert "Lundi" in response.text and "09h00 – 12h00" in response.text
    assert place.osm_opening_hours() == "Mo 09:00-12:00; Tu 09:00-12:00"
    assert "Tiers-lieu — site de Ferrières" in client.get("/lieux/").text


@pytest.mark.django_db
def test_the_header_shows_the_four_parts_and_unbuilt_parts_say_what_they_will_hold(client):
    home = client.get("/")
    for part in ("Permanence", "Mutualisation", "Ateliers", "Projets"):
        assert part in home.text
    response = client.get("/methode/ateliers/")
    assert "ateliers de scénarisation" in response.text
    assert client.get("/methode/inconnu/").status_code == 404


@pytest.mark.django_db
def test_the_interface_is_french_first_and_exists_in_english(client, organisation):
    assert "Annuaire des structures" in client.get("/structures/").text
    client.post("/i18n/setlang/", {"language": "en", "next": "/structures/"})
    response = client.get("/structures/")
    assert "Directory of organisations" in response.text
    assert '<html lang="en">' in response.text
