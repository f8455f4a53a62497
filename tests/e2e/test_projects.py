import re

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


@pytest.fixture
def decided(transactional_db):
    """A workshop that chose its scenario; the need of an inhabitant who left her e-mail is
    among those it worked on."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from maillage.needs import services as needs
    from maillage.workshops import live
    from maillage.workshops import services as workshops
    from tests.factories import raise_test_need

    load_reference_lists(apps)
    load_networks(apps)
    desk = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    PersonFactory(user=desk, first_name="Nadia", last_name="Benali")
    need = raise_test_need(description="Il n'y a pas de banc à l'arrêt du port, je suis âgée.",
                           email="awa@example.org", consent=True)  # fmt: skip
    needs.qualify_need(need=need, by=desk, title="Un banc à l'arrêt du port",
                       dimension=Dimension.objects.first())  # fmt: skip
    shared = needs.create_shared_need(title="Attendre le bus", by=desk, from_need=need)
    start = datetime.combine(timezone.localdate() + timedelta(days=1), time(18),
                             tzinfo=timezone.get_current_timezone())  # fmt: skip
    workshop = workshops.create_workshop(
        by=desk, question="Comment mieux attendre le bus ?", starts_at=start,
        ends_at=start + timedelta(hours=2), shared_need=shared,
    )  # fmt: skip
    chosen = live.add_scenario(workshop=workshop, by=desk, title="Des arrêts accueillants")
    live.add_scenario(workshop=workshop, by=desk, title="Plus de bus")
    live.decide(workshop=workshop, by=desk, scenario=chosen, decision="On commence par le port.")
    need.refresh_from_db()
    return workshop, need


def test_from_a_workshop_decision_to_the_requester_told_her_need_is_answered(
    new_page, live_server, decided
):
    from playwright.sync_api import expect

    workshop, need = decided
    page = new_page(DESKTOP)
    _log_in(page, live_server, "nadia@example.org")
    # The decision becomes the project.
    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/compte-rendu/")
    page.get_by_role("button", name="Créer le projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Des arrêts accueillants")
    # A first step, started.
    page.get_by_text("Prévoir une étape").click()
    page.get_by_label("Le but de l'étape").fill("Un premier arrêt accueillant")
    page.get_by_role("button", name="Prévoir l'étape").click()
    page.get_by_role("button", name="Commencer l'étape 1").click()
    # Items written from the users' side, linked to the need, into the step.
    page.get_by_role("link", name="Le carnet du groupe").click()
    for title in ("Les voyageurs s'assoient à l'arrêt du port", "L'arrêt est à l'ombre"):
        page.get_by_label("Ce que l'usager pourra faire").fill(title)
        page.get_by_label(need.reference, exact=False).check()
        page.locator("#id_step").select_option(label="Étape 1")
        page.get_by_role("button", name="Ajouter au carnet").click()
        expect(page.get_by_text(f"« {title} » est écrit.")).to_be_visible()
    # The board, with the keyboard alone: a card's buttons, then the focus stays on the card.
    page.get_by_role("link", name="Tableau de l'étape 1").click()
    board = page.locator("#board")
    first = board.locator(".item-card", has_text="s'assoient")
    first.get_by_role("button", name=re.compile("Vers « En cours »")).focus()
    page.keyboard.press("Enter")
    doing = board.locator("[data-column='en-cours']")
    expect(doing.locator(".item-card", has_text="s'assoient")).to_be_visible()
    expect(page.locator("[data-board-notice]")).to_have_text(
        "« Les voyageurs s'assoient à l'arrêt du port » est dans « En cours »."
    )
    assert page.evaluate("document.activeElement.classList.contains('item-card')")
    for _ in range(5):  # the card's link, ↑, ↓, « À faire », « Fait »
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent").replace("\u00a0", " ")
    assert "Vers « Fait »" in focused, focused
    page.keyboard.press("Enter")
    done = board.locator("[data-column='fait']")
    expect(done.locator(".item-card", has_text="s'assoient")).to_be_visible()
    # And with the mouse: dragged from « À faire » to « Fait ».
    board.locator(".item-card", has_text="ombre").drag_to(done)
    expect(done.locator(".item-card", has_text="ombre")).to_be_visible()
    # The step's review; then the need is offered for resolution, with words from the deliveries.
    page.get_by_role("link", name="Des arrêts accueillants").click()
    page.get_by_text("Faire la revue de l'étape 1").click()
    page.get_by_label("Ce qui a été livré").fill("Un banc à l'ombre à l'arrêt du port.")
    page.get_by_role("button", name="Enregistrer la revue").click()
    message = page.get_by_label("Le message au demandeur")
    expect(message).to_contain_text("Livré à l'étape 1 : Un banc à l'ombre à l'arrêt du port.")
    page.get_by_role("button", name="Résoudre et prévenir les demandeurs").click()
    expect(page.get_by_text("Les besoins sont résolus")).to_be_visible()
    # The requester, on her tracking page, sees the project's answer.
    inhabitant = new_page(PHONE)
    inhabitant.goto(f"{live_server.url}{need.tracking_url()}")
    expect(inhabitant.get_by_text("Des arrêts accueillants").first).to_be_visible()
    expect(inhabitant.get_by_text("Un banc à l'ombre à l'arrêt du port.").first).to_be_visible()
    expect(inhabitant.get_by_text("Résolu").first).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_group_pages_have_no_accessibility_violation(new_page, live_server, project, viewport):
    from maillage.projects import backlog
    from maillage.projects.models import Member

    desk = Member.objects.get(project=project).person.user
    step = services.plan_step(project=project, by=desk, goal="Défricher")
    services.start_step(step=step, by=desk)
    item = backlog.add_item(project=project, by=desk, title="Les voisins ont des outils",
                            step=step, assignee=Member.objects.get(project=project))  # fmt: skip
    backlog.add_item(project=project, by=desk, title="Les enfants plantent")
    backlog.add_card(step=step, by=desk, kind="garder", text="Se voir le samedi")
    page = new_page(viewport)
    _log_in(page, live_server, "nadia@example.org")
    group = f"/projets/{project.pk}"
    for path in [f"{group}/carnet/", f"{group}/etapes/{step.pk}/tableau/",
                 f"{group}/etapes/{step.pk}/retrospective/", "/projets/mon-a-faire/",
                 f"{group}/elements/{item.pk}/"]:  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
