import pytest

from maillage.core.services import issue_api_token
from maillage.needs.models import Need
from tests.factories import MembershipFactory, PersonFactory, UserFactory, raise_test_need


@pytest.fixture
def facilitator_token(db):
    return issue_api_token(user=UserFactory(role="animateur", email="nadia@example.org"))


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _post(client, body, **headers):
    return client.post("/api/v1/needs", body, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_anyone_raises_a_need_through_the_api(client, facilitator_token):
    response = _post(client, {"description": "Besoin d'aide pour Parcoursup", "consent": True,
                              "email": "lea@example.org", "dimension": "travail"})  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    need = Need.objects.get(pk=body["id"])
    assert body["reference"] == need.reference and body["status"] == "recu"
    assert body["tracking_url"].endswith(need.tracking_url())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"description": "  ", "consent": False},
        {"description": "x" * 4001, "consent": False},
        {"description": "ok", "consent": False, "email": "karim@example.org"},
        {"description": "ok", "consent": True, "email": "pas-une-adresse"},
        {"description": "ok", "consent": True, "phone": "12"},
        {"description": "ok", "consent": False, "dimension": "espace"},
        {"description": "ok", "consent": False, "channel": "pigeon"},
        {"description": "ok", "consent": False, "organisation": 999999},
        {"description": "ok"},
        {"consent": True},
    ],
)
def test_bad_input_answers_422_and_saves_nothing(client, body):
    response = _post(client, body)
    assert response.status_code == 422, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_only_members_speak_for_their_organisation(client, organisation):
    body = {
        "description": "Salle pour un atelier",
        "consent": False,
        "organisation": organisation.pk,
    }
    assert _post(client, body).status_code == 403
    member = UserFactory(role="membre")
    MembershipFactory(person=PersonFactory(user=member), organisation=organisation)
    response = _post(client, body, **_auth(issue_api_token(user=member)))
    assert response.status_code == 201
    assert Need.objects.get().organisation == organisation


@pytest.mark.django_db
def test_the_public_endpoint_is_rate_limited_but_not_for_facilitators(
    client, settings, facilitator_token
):
    settings.NEEDS_RATE_LIMIT = 1
    assert _post(client, {"description": "Un", "consent": False}).status_code == 201
    limited = _post(client, {"description": "Deux", "consent": False})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    ok = _post(client, {"description": "Trois", "consent": False}, **_auth(facilitator_token))
    assert ok.status_code == 201


@pytest.mark.django_db
def test_listing_needs_is_for_the_lab_team(client, facilitator_token):
    raise_test_need()
    assert client.get("/api/v1/needs").status_code == 401
    member_token = issue_api_token(user=UserFactory(role="membre"))
    assert client.get("/api/v1/needs", headers=_auth(member_token)).status_code == 403
    body = client.get("/api/v1/needs", headers=_auth(facilitator_token)).json()
    assert body["count"] == 1 and body["items"][0]["owner"] == "nadia@example.org"


@pytest.mark.django_db
def test_list_filters(client, facilitator_token):
    from datetime import timedelta

    from django.utils import timezone

    late = raise_test_need(description="Imprimante en panne au centre social")
    raise_test_need(description="Démarche retraite", dimension=None)
    Need.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    get = lambda **p: client.get("/api/v1/needs", p, headers=_auth(facilitator_token))  # noqa: E731
    assert [n["id"] for n in get(overdue=True).json()["items"]] == [late.pk]
    assert get(q="imprimante").json()["count"] == 1
    assert get(owner="nadia@example.org").json()["count"] == 2
    assert get(status="recu").json()["count"] == 2
    assert get(dimension="espace").status_code == 422
    assert get(status="perdu").status_code == 422


@pytest.mark.django_db
def test_detail_has_the_journal_and_transitions_answer_409_when_refused(client, facilitator_token):
    need = raise_test_need()
    detail = client.get(f"/api/v1/needs/{need.pk}", headers=_auth(facilitator_token)).json()
    assert [e["verb"] for e in detail["journal"]] == ["need-raised", "need-assigned"]
    url = f"/api/v1/needs/{need.pk}/transitions"
    refused = client.post(
        url, {"to": "en-projet"}, content_type="application/json", headers=_auth(facilitator_token)
    )
    assert refused.status_code == 409 and "ne peut pas passer" in refused.json()["detail"]
    ok = client.post(
        url, {"to": "qualifie"}, content_type="application/json", headers=_auth(facilitator_token)
    )
    assert ok.status_code == 200 and ok.json()["status"] == "qualifie"
    assert client.get("/api/v1/needs/999999", headers=_auth(facilitator_token)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 100])
def test_the_list_runs_a_bounded_number_of_queries(
    client, facilitator_token, size, django_assert_max_num_queries
):
    for n in range(size):
        raise_test_need(description=f"Besoin {n}")
    with django_assert_max_num_queries(5):
        client.get("/api/v1/needs", {"limit": 200}, headers=_auth(facilitator_token))
