import re

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from maillage.core.reference import load_networks, load_reference_lists
from maillage.needs import services
from maillage.needs.models import Need
from tests.factories import UserFactory

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


def test_an_inhabitant_raises_a_need_the_desk_answers_it_and_the_inhabitant_sees_it(
    new_page, live_server, desk
):
    phone = new_page(PHONE)
    phone.goto(live_server.url)
    phone.get_by_role("link", name="Exprimer un besoin").first.click()
    phone.get_by_label("Votre besoin ou votre problème, avec vos mots").fill(
        "Je n'arrive pas à prendre rendez-vous en ligne pour ma carte d'identité."
    )
    phone.get_by_label("Je ne sais pas").check()
    phone.get_by_role("button", name="Envoyer mon besoin").click()
    expect(phone.get_by_role("status")).to_contain_text("Votre besoin est enregistré")
    need = Need.objects.get()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(need.reference)
    tracking = phone.url

    # Another inhabitant had the same need: the desk will group them.
    other = services.raise_need(
        description="Rendez-vous carte d'identité impossible en ligne", consent=False
    )

    desk_page = new_page(DESKTOP)
    _log_in(desk_page, live_server, "nadia@example.org")
    desk_page.goto(f"{live_server.url}/permanence/file/")
    desk_page.get_by_role("link", name=re.compile(need.reference)).click()
    expect(desk_page.get_by_text(other.reference)).to_be_visible()  # a similar need
    # The page leads with the one action the need's state calls for; the others are folded.
    next_action = desk_page.get_by_role("region", name=re.compile("À faire maintenant"))
    expect(next_action).to_contain_text("Qualifier le besoin")
    note = desk_page.get_by_label("Note pour l'équipe (le demandeur ne la verra pas)")
    expect(note).to_be_hidden()
    desk_page.get_by_label("Titre court").fill("Rendez-vous carte d'identité")
    desk_page.get_by_role("button", name="Qualifier", exact=True).click()
    expect(next_action).to_contain_text("Répondre au demandeur")
    desk_page.get_by_label("Réponse au demandeur (il la verra)").fill(
        "Venez mardi matin : nous prendrons le rendez-vous ensemble."
    )
    desk_page.get_by_role("button", name="Envoyer la réponse").click()
    expect(desk_page.get_by_role("status")).to_contain_text("C'est fait")
    conversation = desk_page.locator(".timeline")
    expect(conversation.locator("li").first).to_contain_text("prendre rendez-vous en ligne")
    expect(conversation).to_contain_text("Venez mardi matin")

    desk_page.get_by_text("Rattacher à un besoin commun").click()  # unfolds
    desk_page.get_by_label("Titre public du besoin commun").fill(
        "Rendez-vous pour les papiers d'identité"
    )
    desk_page.get_by_role("button", name="Créer le besoin commun").click()
    expect(
        desk_page.get_by_role("link", name="Rendez-vous pour les papiers d'identité")
    ).to_be_visible()
    expect(next_action).to_contain_text("Changer l'état")
    desk_page.get_by_label("Nouvel état").select_option(label="Résolu")
    desk_page.get_by_label("Message au demandeur").fill("Rendez-vous pris pour le 3 décembre.")
    desk_page.get_by_role("button", name="Changer l'état").click()
    expect(desk_page.get_by_text("Résolu").first).to_be_visible()

    phone.goto(tracking)
    expect(phone.get_by_text("Venez mardi matin")).to_be_visible()
    expect(phone.get_by_text("Rendez-vous pris pour le 3 décembre.")).to_be_visible()
    expect(
        phone.get_by_role("link", name="Rendez-vous pour les papiers d'identité")
    ).to_be_visible()
    assert Need.objects.get(pk=need.pk).status == "resolu"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_permanence_pages_have_no_accessibility_violation(
    new_page, live_server, desk, viewport
):
    need = services.raise_need(description="Imprimante en panne", consent=False)
    shared = services.create_shared_need(title="Imprimantes", by=desk, from_need=need)
    page = new_page(viewport)
    public = ["/permanence/", need.tracking_url(), "/besoins-communs/", shared.get_absolute_url()]
    page.goto(f"{live_server.url}/permanence/")
    page.get_by_role("button", name="Envoyer mon besoin").click()  # the form with its errors
    assert axe_violations(page) == [], "form with errors"
    for path in public:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    _log_in(page, live_server, "nadia@example.org")
    for path in ["/permanence/file/", need.get_absolute_url(), "/permanence/saisir/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path


def test_the_need_form_says_the_room_left_and_a_refusal_takes_the_reader_to_it(
    new_page, live_server, desk
):
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/permanence/")
    words = phone.get_by_label("Votre besoin ou votre problème, avec vos mots")
    count = phone.locator(".char-count")
    words.fill("Un besoin court.")
    expect(count).to_be_hidden()  # far from the limit, nothing to count
    words.fill("a" * 3_900)
    expect(count).to_have_text("Encore 100 caractères possibles.")
    words.fill("")
    phone.get_by_role("button", name="Envoyer mon besoin").click()
    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    assert target != "#" and phone.locator(target).count() == 1  # each error leads to its field


def test_the_need_form_asks_for_details_only_once_a_way_to_answer_is_chosen(
    new_page, live_server, desk
):
    phone = new_page(PHONE)
    phone.goto(f"{live_server.url}/permanence/")
    email = phone.get_by_label("Votre adresse de courriel")
    number = phone.get_by_label("Votre numéro de téléphone")
    consent = phone.get_by_label("J'accepte que le laboratoire garde mes coordonnées")
    for field in (email, number, consent, phone.get_by_label("Votre prénom")):
        expect(field).to_be_hidden()  # « je suivrai avec le lien » is chosen: nothing to give
    phone.get_by_label("Par téléphone").check()
    expect(number).to_be_visible()
    expect(email).to_be_hidden()
    phone.get_by_label("Par courriel").check()
    expect(email).to_be_visible()
    expect(number).to_be_hidden()
    details = phone.get_by_text("effacés 365 jours après la fin du suivi")
    expect(details).to_be_hidden()  # one step away
    phone.get_by_text("Ce que nous gardons, et combien de temps").click()
    expect(details).to_be_visible()

    phone.get_by_label("Votre besoin ou votre problème, avec vos mots").fill(
        "Ma box ne marche plus."
    )
    email.fill("karim@example.org")
    phone.get_by_role("button", name="Envoyer mon besoin").click()
    expect(phone.locator(".error-summary")).to_contain_text("Cochez cette case")
    expect(consent).to_be_visible()
    consent.check()
    phone.get_by_role("button", name="Envoyer mon besoin").click()
    expect(phone.get_by_role("status")).to_contain_text("Votre besoin est enregistré")
    assert Need.objects.get().requester_email == "karim@example.org"
