import pytest
from django.apps import apps

from maillage.core.reference import load_networks, load_reference_lists
from tests.factories import UserFactory, raise_test_need

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def coordinator(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    for text in ("Un banc", "Un bus le dimanche", "Un ordinateur"):
        raise_test_need(description=text)
    return UserFactory(role="coordinateur", email="marc@example.org")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_dashboard_has_no_accessibility_violation(new_page, live_server, coordinator, viewport):
    page = new_page(viewport)
    _log_in(page, live_server, "marc@example.org")
    for path in (
        "/observatoire/",
        "/chiffres/",
        "/donnees/",
        "/observatoire/carte/",
        "/observatoire/import/",
        "/observatoire/rapports/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    page.goto(f"{live_server.url}/observatoire/")
    assert page.get_by_role("heading", name="Besoins reçus et résolus par mois").is_visible()
