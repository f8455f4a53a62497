from datetime import datetime, time, timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.reference import load_networks, load_reference_lists
from maillage.workshops import live, services
from maillage.workshops.models import Registration
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def workshop(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    desk = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    start = datetime.combine(
        timezone.localdate() + timedelta(days=8), time(18), tzinfo=timezone.get_current_timezone()
    )
    return services.create_workshop(
        by=desk, question="Que faire du jardin de Carro ?", starts_at=start,
        ends_at=start + timedelta(hours=2),
    )  # fmt: skip


def test_an_inhabitant_registers_from_a_phone_and_can_free_the_place(
    new_page, live_server, workshop
):
    phone = new_page(PHONE)
    phone.goto(live_server.url)
    phone.get_by_role("link", name="Ateliers").first.click()
    phone.get_by_role("link", name=workshop.question).click()
    phone.get_by_label("Votre prénom ou un pseudonyme").fill("Awa")
    phone.get_by_label("Votre courriel").fill("awa@example.org")
    phone.get_by_role("button", name="Je m'inscris").click()
    expect(phone.get_by_role("status")).to_contain_text("Vous êtes inscrit")
    assert Registration.objects.active().count() == 1
    phone.get_by_role("button", name="Je ne pourrai pas venir : libérer ma place").click()
    expect(phone.get_by_text("Vous êtes désinscrit.")).to_be_visible()
    assert Registration.objects.active().count() == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_workshop_pages_have_no_accessibility_violation(
    new_page, live_server, workshop, viewport
):
    registration, _ = services.register(workshop=workshop, name="Awa", email="awa@example.org")
    desk = workshop.facilitators.get()
    for title in ("Un jardin partagé", "Un marché"):
        live.add_scenario(workshop=workshop, by=desk, title=title)
    awa = live.join(code=workshop.join_code, name="Awa")
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="evaluation"), by=desk)
    for n, scenario in enumerate(workshop.scenarios.all()):
        live.grade(
            participant=awa, scenario=scenario, criterion=workshop.criteria.first(), value=4 + n
        )
    live.reveal_results(workshop=workshop, by=desk)
    page = new_page(viewport)
    report = f"/ateliers/{workshop.pk}/compte-rendu/"
    for path in [
        "/ateliers/",
        workshop.get_absolute_url(),
        registration.get_absolute_url(),
        report,
    ]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    _log_in(page, live_server, "nadia@example.org")
    for path in ["/ateliers/preparer/", f"/ateliers/{workshop.pk}/appel/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
