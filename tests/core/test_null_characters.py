"""A NUL character fits in no field: refused up front, in French, before PostgreSQL fails."""

import json

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/mutualisation/?thematique=%00", "/structures/?network=a%00b", "/permanence/file/?q=%00"],
)
def test_pages_refuse_a_nul_character(client, url):
    response = client.get(url)
    assert response.status_code == 400 and "caractère nul" in response.text


@pytest.mark.django_db
def test_forms_refuse_a_nul_character(client):
    response = client.post("/permanence/", {"description": "Bonjour\x00", "consent": "on"})
    assert response.status_code == 400 and "caractère nul" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/offers?thematique=%00", None),
        ("get", "/api/v1/organisations?network=%00", None),
        ("post", "/api/v1/needs", {"description": "Besoin\u0000", "consent": False}),
    ],
)
def test_the_api_answers_422_to_a_nul_character(client, method, url, body):
    if body is None:
        response = client.get(url)
    else:
        response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "caractère nul" in response.json()["detail"]
