"""The médiation numérique in a real browser: an accompaniment noted from a need by keyboard
alone, in under a minute; the pages read by a screen reader's rules at both widths."""

import re
import time

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from maillage.core.reference import load_networks, load_reference_lists
from maillage.mediation import services
from maillage.mediation.services import AccompanimentFacts, PersonFacts
from tests.factories import UserFactory, raise_test_need

from .conftest import DESKTOP, PHONE, axe_violations

PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def desk(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    return UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")


def _log_in(page: Page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_label(re.compile("courriel|e-mail", re.I)).fill(email)
    page.get_by_label(re.compile("mot de passe", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("connexion", re.I)).click()


def _tab_to(page: Page, selector: str, *, most: int = 200) -> None:
    """Press Tab until the element SELECTOR has the focus, as a keyboard user would."""
    for _press in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_from_a_need_a_mediateur_notes_an_accompaniment_by_keyboard_in_under_a_minute(
    new_page, live_server, desk
):
    need = raise_test_need(
        description="Je dois déclarer mes revenus en ligne.",
        name="Josiane Roux",
        phone="06 12 34 56 78",
        consent=True,
    )
    page = new_page(DESKTOP)
    _log_in(page, live_server, desk.email)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    started = time.monotonic()
    _tab_to(page, "a[href*='/mediation/noter/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Noter un accompagnement")).to_be_visible()
    # The requester is there already (she consented at the desk): 45 minutes, the income tax.
    expect(page.get_by_label("Prénom")).to_have_value("Josiane")
    _tab_to(page, "input[name=duration]:checked")
    page.keyboard.press("ArrowRight")
    _tab_to(page, "input[value=argent_impots]")
    page.keyboard.press("Space")
    _tab_to(page, "textarea[name=details]")
    page.keyboard.type("Déclaration de revenus faite ensemble")
    _tab_to(page, "input[value=ordinateur]")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]:not(.link-button)")
    page.keyboard.press("Enter")
    expect(page.get_by_text("L'accompagnement est noté.")).to_be_visible()
    assert time.monotonic() - started < 60
    assert page.url.endswith(need.get_absolute_url())
    expect(page.get_by_text("45 min, individuel — Argent, impôts")).to_be_visible()
    done = need.accompaniments.get()
    assert (done.duration, done.materials, done.details) == (
        45,
        ["ordinateur"],
        "Déclaration de revenus faite ensemble",
    )
    assert done.beneficiaries.get().phone == "+33612345678"


def test_the_mediation_pages_have_no_accessibility_violation(new_page, live_server, desk):
    need = raise_test_need(description="Créer mon compte ameli.")
    person = services.record_accompaniment(
        facts=AccompanimentFacts(duration=30, thematiques=["social_sante"]), by=desk, need=need,
        new_person=PersonFacts(first_name="Josiane", consent=True, commune="13056"),
    ).beneficiaries.get()  # fmt: skip
    services.record_accompaniment(
        facts=AccompanimentFacts(kind="collectif", duration=120, workshop_title="Le courriel",
                                 thematiques=["email"], anonymous_people=5), by=desk,
    )  # fmt: skip
    paths = ["/mediation/", "/mediation/noter/", f"/mediation/noter/?besoin={need.pk}",
             "/mediation/personnes/", person.get_absolute_url(),
             person.accompaniments.get().get_absolute_url()]  # fmt: skip
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport)
        _log_in(page, live_server, desk.email)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            assert axe_violations(page) == [], path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], (path, width)


def test_a_refused_form_lands_the_keyboard_on_what_to_mend(new_page, live_server, desk):
    page = new_page(DESKTOP)
    _log_in(page, live_server, desk.email)
    page.goto(f"{live_server.url}/mediation/noter/")
    page.get_by_label("Prénom").fill("Karim")
    page.get_by_label("Le courriel").check()
    page.get_by_role("button", name="Noter l'accompagnement").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Sans l'accord de la personne")


def _tomorrow_slot(mediator):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from maillage.mediation.models import Slot

    starts = datetime.combine(timezone.localdate() + timedelta(days=1), time(10),
                              tzinfo=timezone.get_current_timezone())  # fmt: skip
    return Slot.objects.create(mediator=mediator, starts_at=starts, minutes=45)


def test_an_inhabitant_books_on_a_phone_and_gets_the_reminder(new_page, live_server, desk):
    from maillage.core.models import TextMessage
    from maillage.mediation import agenda
    from maillage.mediation.models import Appointment

    slot = _tomorrow_slot(desk)
    page = new_page(PHONE)
    page.goto(f"{live_server.url}/permanence/")
    page.get_by_role("link", name="Prendre rendez-vous avec un médiateur numérique").click()
    expect(page.get_by_text("Étape 1 sur 3")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="10:00").click()
    expect(page.get_by_text("Étape 2 sur 3")).to_be_visible()
    page.get_by_label("Votre nom").fill("Josiane Roux")
    page.get_by_label("Votre numéro de téléphone portable").fill("06 12 34 56 78")
    page.get_by_label(re.compile("J'accepte que le laboratoire")).check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Prendre ce rendez-vous").click()
    expect(page.get_by_text("Étape 3 sur 3 : c'est fait.")).to_be_visible()
    expect(page.get_by_role("button", name="Annuler le rendez-vous")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    appointment = Appointment.objects.get(slot=slot)
    assert agenda.remind_tomorrow() == 1
    reminder = TextMessage.objects.get(key__startswith=f"appointment-reminder:{appointment.pk}:")
    assert reminder.to == "+33612345678" and appointment.private_url() in reminder.body


def test_the_desk_prints_a_slip_and_the_inhabitant_finds_the_need_with_it(
    new_page, live_server, desk
):
    need = raise_test_need(description="Je n'ai pas d'adresse de courriel.", name="Karim",
                           phone="06 23 45 67 89", consent=True)  # fmt: skip
    page = new_page(DESKTOP)
    _log_in(page, live_server, desk.email)
    page.goto(f"{live_server.url}{need.get_absolute_url()}")
    slip = page.get_by_role("link", name="Imprimer sa fiche")
    answer = page.request.get(f"{live_server.url}{slip.get_attribute('href')}")
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/suivi/")
    assert axe_violations(phone) == []
    phone.get_by_label("Numéro du besoin").fill(need.reference)
    phone.get_by_label("Code de suivi").fill(need.tracking_code_display)
    phone.get_by_role("button", name="Voir mon besoin").click()
    expect(phone.get_by_role("heading", name=f"Votre besoin {need.reference}")).to_be_visible()


def test_the_agenda_pages_have_no_accessibility_violation(new_page, live_server, desk):
    from datetime import time as hour
    from datetime import timedelta

    from django.utils import timezone

    from maillage.mediation import agenda
    from maillage.mediation.models import Absence, Opening

    appointment = agenda.book(slot=_tomorrow_slot(desk), name="Josiane Roux",
                              phone="0612345678", consent=True)  # fmt: skip
    Opening.objects.create(mediator=desk, weekday=2, start=hour(9), minutes=45, count=4)
    away = timezone.localdate() + timedelta(days=30)
    Absence.objects.create(mediator=desk, start=away, end=away, why="Formation")
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport)
        _log_in(page, live_server, desk.email)
        for path in ("/mediation/rendez-vous/", appointment.get_absolute_url(),
                     appointment.private_url(), "/mediation/permanences/"):  # fmt: skip
            page.goto(f"{live_server.url}{path}")
            assert axe_violations(page) == [], path
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
