import pytest

from maillage.core.models import Dimension, Thematique
from maillage.core.services import issue_api_token
from maillage.needs import services as needs
from tests.factories import OfferFactory, UserFactory, raise_test_need
from tests.mutualisation.test_bookings import _slot


def _auth(user):
    return {"Authorization": f"Bearer {issue_api_token(user=user)}"}


@pytest.mark.django_db
def test_offers_are_listed_and_filtered(client, organisation):
    theme = Thematique.objects.get(code="mobilite")
    bikes = OfferFactory(organisation=organisation, title="Vélos cargos", dimension=theme.dimension)
    bikes.thematiques.set([theme])
    OfferFactory(kind="service", category="", service_type="atelier", title="Atelier couture")
    OfferFactory(title="Ancienne salle", status="retiree")
    body = client.get("/api/v1/offers").json()
    assert body["count"] == 2
    assert (
        client.get("/api/v1/offers", {"kind": "service"}).json()["items"][0]["title"]
        == "Atelier couture"
    )
    found = client.get("/api/v1/offers", {"thematique": "mobilite", "q": "velo"}).json()
    assert [o["id"] for o in found["items"]] == [bikes.pk]
    assert found["items"][0]["owner"] == {
        "kind": "organisation",
        "id": organisation.pk,
        "name": organisation.name,
    }
    assert client.get("/api/v1/offers", {"organisation": organisation.pk}).json()["count"] == 1
    assert client.get(f"/api/v1/offers/{bikes.pk}").json()["thematiques"] == ["mobilite"]


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"kind": "vaisseau"}, {"thematique": "x"}, {"dimension": "y"}])
def test_bad_offer_filters_answer_422(client, params):
    response = client.get("/api/v1/offers", params)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_the_matches_of_a_need_come_ranked_with_reasons(client, facilitator, room):
    need = raise_test_need(description="Notre association cherche une salle de réunion")
    needs.qualify_need(
        need=need, by=facilitator, title="Salle", dimension=Dimension.objects.first()
    )
    assert client.get(f"/api/v1/needs/{need.pk}/matches").status_code == 401
    assert (
        client.get(f"/api/v1/needs/{need.pk}/matches", headers=_auth(UserFactory())).status_code
        == 403
    )
    body = client.get(f"/api/v1/needs/{need.pk}/matches", headers=_auth(facilitator)).json()
    assert body["need"] == need.pk and body["matching"] in ("semantique", "lexical")
    first = body["items"][0]
    assert first["offer"]["id"] == room.pk and 0 < first["score"] <= 1
    assert any(r["code"] == "words" for r in first["reasons"])
    scores = [m["score"] for m in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert client.get("/api/v1/needs/999999/matches", headers=_auth(facilitator)).status_code == 404


@pytest.mark.django_db
def test_booking_through_the_api_201_then_409_with_the_conflicting_slot(client, room, member):
    start, end = _slot()
    headers = _auth(member)
    body = {"offer": room.pk, "start": start.isoformat(), "end": end.isoformat()}
    created = client.post(
        "/api/v1/bookings", body, content_type="application/json", headers=headers
    )
    assert created.status_code == 201 and created.json()["status"] == "acceptee"
    conflict = client.post(
        "/api/v1/bookings", body, content_type="application/json", headers=headers
    )
    problem = conflict.json()
    assert conflict.status_code == 409 and problem["code"] == "slot-taken"
    assert problem["conflict"]["id"] == created.json()["id"]
    assert "déjà réservé" in problem["detail"]
    assert (
        client.get(f"/api/v1/bookings/{created.json()['id']}", headers=headers).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"end": "2020-01-01T10:00:00+01:00"}, 422),
        ({"start": "2020-01-01T10:00:00+01:00", "end": "2020-01-01T12:00:00+01:00"}, 422),
        ({"start": "pas une date"}, 422),
        ({"offer": 999999}, 422),
    ],
)
def test_bad_bookings_are_refused_with_a_problem(client, room, member, change, status):
    start, end = _slot()
    body = {"offer": room.pk, "start": start.isoformat(), "end": end.isoformat()} | change
    response = client.post(
        "/api/v1/bookings", body, content_type="application/json", headers=_auth(member)
    )
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_booking_needs_a_token(client, room):
    start, end = _slot()
    body = {"offer": room.pk, "start": start.isoformat(), "end": end.isoformat()}
    assert client.post("/api/v1/bookings", body, content_type="application/json").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("far", ["9999-12-31T23:00:00+00:00", "9999-12-31T23:00:00-12:00"])
def test_a_booking_at_the_end_of_the_calendar_is_refused_and_not_stored(client, room, member, far):
    end = far.replace("T23:00", "T23:59")
    body = {"offer": room.pk, "start": far, "end": end}
    answer = client.post("/api/v1/bookings", body, content_type="application/json",
                         headers=_auth(member))  # fmt: skip
    assert answer.status_code == 422 and answer.json()["code"] == "too-far"
    assert "deux ans à l'avance" in answer.json()["detail"]
    assert not room.bookings.exists()
    client.force_login(member)
    assert client.get("/projets/mon-a-faire/").status_code == 200
