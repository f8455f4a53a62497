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
