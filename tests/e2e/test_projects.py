import pytest
from django.apps import apps

from maillage.core.models import Dimension
from maillage.core.reference import load_networks, load_reference_lists
from maillage.projects import services
from tests.factories import PersonFactory, UserFactory

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def project(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    desk = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    PersonFactory(user=desk, first_name="Nadia", last_name="Benali")
    created = services.create_project(
        by=desk, title="Un jardin partagé à Carro", purpose="Cultiver ensemble, apprendre.",
        dimensions=[Dimension.objects.first()],
    )  # fmt: skip
    return created


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_project_pages_have_no_accessibility_violation(
    new_page, live_server, project, viewport
):
    page = new_page(viewport)
    for path in ["/projets/", project.get_absolute_url()]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    _log_in(page, live_server, "nadia@example.org")
    for path in ["/projets/nouveau/", project.get_absolute_url()]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
