"""Fuzz the API from its own OpenAPI document: whatever is sent, no 500, and every answer
matches the documented schema and statuses (problem documents included)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def territory(db):
    from tests.factories import MembershipFactory, OfferFactory, OrganisationFactory

    organisation = OrganisationFactory(networks=["caf"], dimensions=["travail"])
    MembershipFactory(organisation=organisation)
    OfferFactory(organisation=organisation, bookable=True)
    # Called directly, the WSGI handler would close the test's database connection after each
    # request; Django's own test client detaches this handler the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case, territory):
    """All of schemathesis's checks (schemathesis.toml): no 500, every status and body as the
    document says, problems included; a refusal always says why, in French."""
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    if response.status_code >= 400:
        assert response.headers["content-type"] == ["application/problem+json"]
        assert response.json()["detail"]


# The team's operations, with a token schemathesis knows it sends (so that it does not take a
# request it stripped of its token for one the API should have refused).
team_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
TEAM_KEY = "mlg_fuzzing-the-team-operations"  # only ever in the test database


@team_schema.auth()
class TeamToken:
    def get(self, case, context):
        return TEAM_KEY

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def team_token(territory):
    from maillage.core.models import ApiToken, _hash_token
    from tests.factories import UserFactory

    ApiToken.objects.create(user=UserFactory(role="animateur"), key_hash=_hash_token(TEAM_KEY))


@team_schema.include(path_regex="^/api/v1/(accompaniments|appointments)").parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_team_api_answers_as_its_document_says(case, team_token):
    """The same checks with the team's token, where the operations do their work."""
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    if response.status_code >= 400:
        assert response.headers["content-type"] == ["application/problem+json"]
        assert response.json()["detail"]


def _tuples(node, where="") -> list[str]:
    """Where NODE describes a tuple (`prefixItems`, or `items` as a list): valid OpenAPI 3.1,
    but schemathesis rewrites it into a schema its own validator refuses, and so may a
    client's generator. A list of given length says the same."""
    if isinstance(node, dict):
        found = [where] if "prefixItems" in node or isinstance(node.get("items"), list) else []
        return found + [p for k, v in node.items() for p in _tuples(v, f"{where}/{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _tuples(v, f"{where}/{i}")]
    return []


def test_no_schema_of_the_document_is_a_tuple(client):
    assert _tuples(client.get("/api/v1/openapi.json").json()) == []
