import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.models import Dimension
from maillage.core.reference import load_networks, load_reference_lists
from maillage.mutualisation.models import Booking, Offer
from maillage.needs import services as needs
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def people(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    desk = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    centre = OrganisationFactory(name="Centre social Jonquières")
    referent = UserFactory(role="membre", email="sophie@example.org", first_name="Sophie")
    MembershipFactory(person=PersonFactory(user=referent, first_name="Sophie"),
                      organisation=centre, role="referent")  # fmt: skip
    member = UserFactory(role="membre", email="julien@example.org", first_name="Julien")
    MembershipFactory(person=PersonFactory(user=member), organisation=OrganisationFactory())
    return {"desk": desk, "referent": referent, "member": member, "centre": centre}


def _next_weekday():
    day = timezone.localdate() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_a_room_and_a_skill_are_declared_a_need_oriented_accepted_and_the_room_booked(
    new_page, live_server, people
):
    # The référent declares a room of the centre, then a skill of her own.
    owner = new_page(DESKTOP)
    _log_in(owner, live_server, "sophie@example.org")
    owner.goto(f"{live_server.url}/mutualisation/")
    owner.get_by_role("link", name="Proposer un moyen, une compétence ou un service").click()
    owner.get_by_label("Proposée par").select_option(label="Centre social Jonquières")
    owner.get_by_role("radio", name="Moyen").check()
    owner.get_by_label("Titre").fill("Salle de réunion du centre social")
    owner.get_by_label("Description").fill(
        "Une salle de 20 places pour les réunions d'association."
    )
    owner.get_by_label("Lien social").check()
    owner.get_by_label("Type de moyen").select_option(label="Salle")
    owner.get_by_label("Se réserve par créneaux").check()
    owner.get_by_label("Réservations acceptées d'office").check()
    owner.get_by_role("button", name="Enregistrer").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Salle de réunion du centre social")
    owner.goto(f"{live_server.url}/mutualisation/proposer/")
    owner.get_by_label("Proposée par").select_option(value=f"person:{people['referent'].person.pk}")
    owner.get_by_role("radio", name="Compétence").check()
    owner.get_by_label("Titre").fill("Aide aux démarches en ligne")
    owner.get_by_label("Description").fill("J'aide à faire ses démarches sur internet.")
    owner.get_by_label("Démarches administratives").check()
    owner.get_by_label("Temps proposé").fill("2 h par mois")
    owner.get_by_role("button", name="Enregistrer").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Aide aux démarches en ligne")
    room = Offer.objects.get(kind="moyen")

    # A facilitator opens a need, sees the room among the suggestions and orients the need.
    need = needs.raise_need(
        description="Notre association cherche une salle pour ses réunions", consent=False
    )
    needs.qualify_need(need=need, by=people["desk"], title="Une salle pour une association",
                       dimension=Dimension.objects.get(code="pratiques-sociales"))  # fmt: skip
    desk = new_page(DESKTOP)
    _log_in(desk, live_server, "nadia@example.org")
    desk.goto(f"{live_server.url}{need.get_absolute_url()}")
    suggestions = desk.get_by_role("region", name="Offres qui pourraient répondre")
    expect(suggestions.get_by_role("link", name=room.title)).to_be_visible()
    expect(suggestions).to_contain_text("parle aussi de")
    suggestions.get_by_role("button", name=f"Orienter vers « {room.title} »").click()
    expect(desk.get_by_role("status")).to_contain_text("Le besoin est orienté")

    # The owner accepts.
    owner.goto(f"{live_server.url}/mutualisation/a-traiter/")
    owner.get_by_role("link", name=re.compile(need.reference)).click()
    owner.get_by_role("button", name="J'accepte de m'en occuper").click()
    expect(owner.get_by_role("status")).to_contain_text("Merci pour votre réponse")
    assert need.orientations.get().status == "acceptee"

    # A member books the room; the same slot asked again is refused, with the reason.
    booker = new_page(PHONE)
    _log_in(booker, live_server, "julien@example.org")
    for attempt in range(2):
        booker.goto(f"{live_server.url}{room.get_absolute_url()}")
        booker.get_by_label("Jour").fill(_next_weekday())
        booker.get_by_label(re.compile(r"^De\b")).fill("10:00")
        booker.get_by_label(re.compile(r"^À\s")).fill("12:00")
        booker.get_by_role("button", name="Demander ce créneau").click()
        if attempt == 0:
            expect(booker.get_by_role("status")).to_contain_text("C'est réservé")
    expect(booker.get_by_role("alert")).to_contain_text("Ce créneau est déjà réservé")
    assert Booking.objects.accepted().count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_mutualisation_pages_have_no_accessibility_violation(
    new_page, live_server, people, viewport
):
    from maillage.mutualisation import services

    room = services.declare_offer(
        by=people["referent"], organisation=people["centre"], kind="moyen", category="salle",
        title="Salle", description="Une salle.", bookable=True, auto_accept=True,
    )  # fmt: skip
    page = new_page(viewport)
    paths = ["/mutualisation/", room.get_absolute_url(), f"/mutualisation/offres/{room.pk}/calendrier/",  # noqa: E501
             "/mutualisation/bilan/", people["centre"].get_absolute_url()]  # fmt: skip
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    _log_in(page, live_server, "sophie@example.org")
    for path in ["/mutualisation/proposer/", "/mutualisation/a-traiter/", room.get_absolute_url()]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
