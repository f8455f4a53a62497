"""The formation in a real browser: from a method card to the workshop whose console runs it,
and from registering to a session to the badge and its verification; the pages read by a
screen reader's rules at both widths."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.reference import load_reference_lists
from maillage.formation import library, trainings
from maillage.formation.models import Registration, Session, TrainingPath
from maillage.workshops import services
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, axe_violations
from .test_mediation import _log_in


@pytest.fixture
def lab(transactional_db):
    load_reference_lists(apps)
    library.load_cards()
    return UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")


@pytest.fixture
def session(lab):
    path = TrainingPath.objects.create(
        slug="animer-un-atelier", name="Animer un atelier de scénarisation", hours=7,
        description="De l'inspiration à la décision.", criteria="Avoir suivi le parcours.",
        skill="Je peux animer un atelier de scénarisation",
    )  # fmt: skip
    starts = timezone.now() + timedelta(days=9)
    return trainings.open_session(
        session=Session(path=path, starts_at=starts, ends_at=starts + timedelta(hours=7),
                        capacity=8, minimum=1), trainers=[lab])  # fmt: skip


def test_from_a_card_to_the_workshop_console_that_runs_it(new_page, live_server, lab):
    start = timezone.now() + timedelta(days=7)
    end = start + timedelta(hours=3)
    workshop = services.create_workshop(by=lab, question="Un tiers-lieu pour Carro ?",
                                        starts_at=start, ends_at=end)  # fmt: skip
    page = new_page(DESKTOP)
    _log_in(page, live_server, lab.email)
    page.goto(f"{live_server.url}/methodes/")
    page.get_by_label("Objectif").select_option("choisir")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("link", name="Pré-mortem").click()
    page.get_by_label("L'atelier").select_option(str(workshop.pk))
    page.get_by_role("button", name="Ajouter à son déroulé").click()
    expect(page.get_by_text("est ajoutée au déroulé")).to_be_visible()
    page.goto(f"{live_server.url}/ateliers/{workshop.pk}/console/")
    page.get_by_role("button", name="Passer à « Pré-mortem »").click()
    expect(page.locator(".phase-card")).to_contain_text("causes possibles de l")


def test_from_registration_to_the_badge_and_its_verification(new_page, live_server, lab, session):
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/formations/")
    phone.get_by_role("link", name="Animer un atelier de scénarisation").first.click()
    phone.get_by_role("link", name="places libres").first.click()
    phone.get_by_label("Votre nom").fill("Josiane Roux")
    phone.get_by_label("Votre adresse de courriel").fill("josiane@exemple.fr")
    phone.get_by_role("button", name="M'inscrire").click()
    expect(phone.get_by_role("heading", name="Votre inscription")).to_be_visible()
    mine = phone.url
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(starts_at=now - timedelta(hours=7),
                                                 ends_at=now - timedelta(minutes=5))  # fmt: skip
    desk = new_page(DESKTOP)
    _log_in(desk, live_server, lab.email)
    desk.goto(f"{live_server.url}/formations/sessions/{session.pk}/presences/")
    desk.get_by_role("button", name="Présent : Josiane Roux").click()
    expect(desk.get_by_role("link", name="badge délivré")).to_be_visible()
    phone.goto(mine)
    phone.get_by_role("link", name="Votre badge").click()
    expect(phone.get_by_text("Badge délivré à Josiane Roux")).to_be_visible()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="L'image du badge (PNG)").click()
    baked = download.value.path()
    phone.goto(f"{live_server.url}/badges/verifier/")
    phone.get_by_label("L'image du badge (PNG)").set_input_files(baked)
    phone.get_by_role("button", name="Vérifier").click()
    expect(phone.get_by_text("Badge authentique")).to_be_visible()
    assert Registration.objects.get().assertion.revoked_at is None


def test_a_trainer_plans_a_session_that_inhabitants_then_find(new_page, live_server, lab, session):
    page = new_page(DESKTOP)
    _log_in(page, live_server, lab.email)
    page.goto(f"{live_server.url}{session.path.get_absolute_url()}")
    page.get_by_role("link", name="Programmer une session de ce parcours").click()
    day = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Premier jour").fill(day.isoformat())
    page.get_by_label("Commence à").fill("14:00")
    page.get_by_label("Finit à").fill("17:30")
    page.get_by_label("Places").fill("5")
    page.get_by_label("Minimum d'inscrits").fill("2")
    page.get_by_role("button", name="Programmer la session").click()
    expect(page.get_by_text("La session est programmée")).to_be_visible()
    expect(page.get_by_text("5 places libres sur 5")).to_be_visible()
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/formations/")
    expect(phone.get_by_text("14:00")).to_be_visible()


def test_the_formation_pages_have_no_accessibility_violation(new_page, live_server, lab, session):
    registration = trainings.register(session=session, name="Karim", email="karim@exemple.fr")
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport)
        _log_in(page, live_server, lab.email)
        for path in ("/methodes/", "/methodes/world-cafe/", "/formations/",
                     session.path.get_absolute_url(), session.get_absolute_url(),
                     f"/formations/sessions/{session.pk}/presences/", "/formations/equipe/",
                     "/formations/sessions/nouvelle/", "/equipe/", "/equipe/agenda/",
                     f"/formations/sessions/{session.pk}/modifier/",
                     registration.private_url(), "/badges/verifier/"):  # fmt: skip
            page.goto(f"{live_server.url}{path}")
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
