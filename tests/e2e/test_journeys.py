import re
from datetime import time

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import Page, expect

from maillage.core.reference import load_networks, load_reference_lists
from maillage.territory.models import OpeningPeriod, Organisation
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PlaceFactory,
    UserFactory,
)

from .conftest import DESKTOP, PHONE, axe_violations


@pytest.fixture
def territory(transactional_db):
    # A transactional test flushes the tables, reference lists included: load them again.
    load_reference_lists(apps)
    load_networks(apps)
    OrganisationFactory.create_batch(25, networks=["caf"], dimensions=["travail"])
    lab = OrganisationFactory(
        name="Les Compagnons du numérique",
        description="Espace public numérique : aide aux démarches en ligne.",
        networks=["espaces-publics-numeriques"],
        dimensions=["dematerialisation"],
    )
    MembershipFactory(
        organisation=lab, person=PersonFactory(first_name="Yasmina", last_name="Amar")
    )
    place = PlaceFactory(name="Tiers-lieu — site de Ferrières", organisation=lab)
    OpeningPeriod.objects.create(place=place, weekday=0, opens=time(9), closes=time(12))
    return lab


def test_a_visitor_finds_an_organisation_in_the_directory_and_opens_its_page(
    page: Page, live_server, territory
):
    page.goto(live_server.url)
    page.get_by_role("navigation", name="La méthode").get_by_role("link", name="Structures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuaire des structures")
    page.get_by_label("Rechercher").fill("démarches en ligne")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", name="1 structure")).to_be_visible()
    page.get_by_role("link", name="Les Compagnons du numérique").click()
    expect(page).to_have_url(re.compile(r"/structures/les-compagnons-du-numerique/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les Compagnons du numérique")
    expect(page.get_by_text("Yasmina Amar")).to_be_visible()


def test_the_directory_filters_without_javascript(new_page, live_server, territory):
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/structures/")
    page.get_by_text("Affiner la recherche").click()
    page.get_by_role("combobox", name="Réseau").select_option(label="Espaces Publics Numériques")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("heading", name="1 structure")).to_be_visible()


def test_a_referent_logs_in_with_an_emailed_code_and_edits_the_organisation_page(
    page: Page, live_server, territory
):
    user = UserFactory(email="referente@example.org", role="membre")
    MembershipFactory(person=PersonFactory(user=user), organisation=territory, role="referent")

    page.goto(f"{live_server.url}/structures/{territory.slug}/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name=re.compile("code", re.I)).first.click()
    page.get_by_label(re.compile("courriel|e-mail", re.I)).fill("referente@example.org")
    page.get_by_role("button", name=re.compile("code", re.I)).click()

    message = mail.outbox[-1]
    assert message.subject.endswith("Votre code de connexion à Maillage")
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.M).group(1)
    page.get_by_label(re.compile("code", re.I)).fill(code)
    page.get_by_role("button", name=re.compile("confirmer|connexion", re.I)).click()

    page.goto(f"{live_server.url}/structures/{territory.slug}/")
    page.get_by_role("link", name="Modifier la page").click()
    page.get_by_label("Présentation").fill("Nouvel horaire : ouvert le samedi matin.")
    page.get_by_label("SIRET").fill("73282932000075")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("clé de contrôle invalide")
    page.get_by_label("SIRET").fill("73282932000074")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("La page de la structure est à jour.")
    expect(page.get_by_text("Nouvel horaire : ouvert le samedi matin.")).to_be_visible()
    assert Organisation.objects.get(pk=territory.pk).siret == "73282932000074"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_have_no_accessibility_violation(page: Page, live_server, territory, viewport):
    page.set_viewport_size(viewport)
    pages = [
        "/",
        "/structures/",
        "/structures/?kind=ovni",  # the page with an error message
        f"/structures/{territory.slug}/",
        "/lieux/",
        f"/lieux/{territory.places.get().pk}/",
        "/compte/login/",
        "/compte/login/code/",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], f"{path} scrolls sideways"


def test_the_accessibility_check_does_catch_violations(page: Page):
    page.set_content('<html><body><input type="text"><img src="x.png"></body></html>')
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"label", "image-alt", "html-has-lang"} <= found
