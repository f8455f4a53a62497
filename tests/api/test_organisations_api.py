import pytest

from maillage.core.services import issue_api_token
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_list_organisations_with_filters(client):
    OrganisationFactory(
        name="France Services Martigues",
        kind="service-public",
        networks=["france-service"],
        dimensions=["dematerialisation"],
    )
    OrganisationFactory(name="Mission locale", networks=["mission-locale"], dimensions=["travail"])
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 2
    assert {o["name"] for o in body["items"]} == {"France Services Martigues", "Mission locale"}
    for params, expected in [
        ({"kind": "service-public"}, ["France Services Martigues"]),
        ({"network": "mission-locale"}, ["Mission locale"]),
        ({"dimension": "dematerialisation"}, ["France Services Martigues"]),
        ({"q": "MARTIGUES services"}, ["France Services Martigues"]),
    ]:
        response = client.get("/api/v1/organisations", params)
        assert [o["name"] for o in response.json()["items"]] == expected, params


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"kind": "ovni"},
        {"network": "inconnu"},
        {"dimension": "espace"},
        {"limit": 0},
        {"limit": "beaucoup"},
        {"offset": -1},
        {"q": "x" * 201},
    ],
)
def test_bad_filters_answer_a_422_problem_document(client, params):
    response = client.get("/api/v1/organisations", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["title"] == "Données invalides"
    assert problem["errors"]


@pytest.mark.django_db
def test_get_one_organisation_with_its_members(client):
    organisation = OrganisationFactory(name="Centre social", siret="73282932000074")
    MembershipFactory(organisation=organisation, role="referent", title="Directrice")
    body = client.get(f"/api/v1/organisations/{organisation.pk}").json()
    assert body["siret"] == "73282932000074"
    assert body["address"]["insee_code"] == "13056"
    assert body["members"][0]["role"] == "referent"
    assert "email" not in body["members"][0]


@pytest.mark.django_db
def test_an_unknown_organisation_is_a_404_problem(client):
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert response.json()["title"] == "Ressource introuvable"


@pytest.mark.django_db
def test_a_wrong_bearer_token_is_refused(client):
    response = client.get("/api/v1/organisations", headers={"Authorization": "Bearer faux"})
    assert response.status_code == 401
    assert response.json()["status"] == 401
    key = issue_api_token(user=UserFactory())
    ok = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200


@pytest.mark.django_db
def test_a_token_records_its_last_use_to_the_minute(client):
    from datetime import timedelta

    from maillage.core.models import ApiToken

    headers = {"Authorization": f"Bearer {issue_api_token(user=UserFactory())}"}
    client.get("/api/v1/organisations", headers=headers)
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/organisations", headers=headers)
    assert first is not None and ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/organisations", headers=headers)
    assert ApiToken.objects.get().last_used_at > first


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_the_list_runs_a_bounded_number_of_queries(client, size, django_assert_max_num_queries):
    OrganisationFactory.create_batch(size, networks=["caf"], dimensions=["travail"])
    with django_assert_max_num_queries(4):
        client.get("/api/v1/organisations", {"limit": 200})


def test_the_openapi_document_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/organisations" in response.json()["paths"]


@pytest.mark.django_db
def test_unknown_paths_and_methods_answer_problem_documents(client):
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    response = client.delete("/api/v1/organisations")
    assert response.status_code == 405
    assert response.json()["title"] == "Méthode non autorisée"
    assert response["Allow"] == "GET"


def test_the_openapi_document_names_every_problem_and_the_open_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    booking = document["paths"]["/api/v1/bookings"]["post"]
    assert {"201", "400", "401", "403", "409", "413", "422", "429"} <= set(booking["responses"])
    problem = booking["responses"]["409"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    assert booking["security"] == [{"BearerToken": []}]
    listing = document["paths"]["/api/v1/organisations"]["get"]
    assert listing["security"] == [{}, {"BearerToken": []}]  # open to all, a token checked
    assert "Sans jeton : ouvert à tous." in listing["description"]
    assert "404" in document["paths"]["/api/v1/organisations/{organisation_id}"]["get"]["responses"]


def test_invalid_values_are_explained_in_french(client):
    answer = client.get("/api/v1/organisations", {"limit": "beaucoup"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"loc": ["query", "limit"],
                                        "msg": "Un nombre entier est attendu."}]  # fmt: skip
    too_many = client.get("/api/v1/organisations", {"limit": "500"})
    assert too_many.json()["errors"][0]["msg"] == "Au plus 200."
