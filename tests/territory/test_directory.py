import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory


def _names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.mark.django_db
def test_a_visitor_finds_an_organisation_by_words_of_its_description_without_accents(client):
    OrganisationFactory(
        name="Les Compagnons du numérique", description="Aide aux démarches en ligne"
    )
    OrganisationFactory(name="Boulangerie du Cours", description="Pain et viennoiseries")
    response = client.get("/structures/", {"q": "DEMARCHES numerique"})
    assert response.status_code == 200
    assert _names(response) == ["Les Compagnons du numérique"]
    assert "1 structure" in response.text


@pytest.mark.django_db
def test_the_directory_filters_by_kind_network_and_dimension(client):
    OrganisationFactory(
        name="France Services Martigues",
        kind="service-public",
        networks=["france-service"],
        dimensions=["dematerialisation"],
    )
    OrganisationFactory(
        name="Mission locale",
        kind="association",
        networks=["mission-locale"],
        dimensions=["travail"],
    )
    assert _names(client.get("/structures/", {"kind": "service-public"})) == [
        "France Services Martigues"
    ]
    assert _names(client.get("/structures/", {"network": "mission-locale"})) == ["Mission locale"]
    assert _names(client.get("/structures/", {"dimension": "dematerialisation"})) == [
        "France Services Martigues"
    ]


@pytest.mark.django_db
def test_an_unknown_filter_value_is_reported_on_the_page_and_not_applied(client):
    OrganisationFactory(name="Mission locale")
    response = client.get("/structures/", {"kind": "inconnu", "network": "zzz"})
    assert response.status_code == 200
    assert "ne sont pas valables" in response.text
    assert _names(response) == ["Mission locale"]


@pytest.mark.django_db
def test_an_oversized_search_is_refused_with_a_message_not_an_error(client):
    response = client.get("/structures/", {"q": "mot " * 200})
    assert response.status_code == 200
    assert "ne sont pas valables" in response.text


@pytest.mark.django_db
def test_the_directory_is_paginated(client):
    OrganisationFactory.create_batch(45, networks=["france-service"], dimensions=["travail"])
    response = client.get("/structures/", {"page": 3})
    assert len(_names(response)) == 5
    assert "Page 3 sur 3" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_the_directory_runs_the_same_queries_whatever_the_number_of_organisations(
    client, size, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(
        size, networks=["france-service", "caf"], dimensions=["travail"]
    )
    # count + page + networks + dimensions + the two filter lists: 6 queries, for 10 or 200.
    with django_assert_max_num_queries(6):
        response = client.get("/structures/", {"q": "association"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_directory_query_count_does_not_grow_with_data(client):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/structures/")
        return len(queries)

    OrganisationFactory.create_batch(10, networks=["caf"], dimensions=["travail"])
    small = count_queries()
    OrganisationFactory.create_batch(190, networks=["caf"], dimensions=["ecologie"])
    assert count_queries() == small


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_results_which_match_the_full_page(client):
    OrganisationFactory(name="Fab lab de Caronte")
    full = client.get("/structures/", {"q": "caronte"})
    partial = client.get("/structures/", {"q": "caronte"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    assert partial.text.strip() in full.text
    assert "Fab lab de Caronte" in partial.text


@pytest.mark.django_db
def test_archived_organisations_leave_the_directory(client):
    from django.utils import timezone

    OrganisationFactory(name="Ancienne association", archived_at=timezone.now())
    assert _names(client.get("/structures/")) == []
