from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry, Thematique
from maillage.mutualisation import services
from maillage.mutualisation.models import Offer
from tests.factories import OfferFactory, PersonFactory, UserFactory


def _theme(code="services-en-ligne"):
    return Thematique.objects.get(code=code)


@pytest.mark.django_db
def test_a_referent_declares_a_means_and_a_person_a_skill(referent, organisation):
    means = services.declare_offer(
        by=referent, organisation=organisation, kind="moyen", category="vehicule",
        title="Minibus 9 places", description="Pour les sorties.", thematiques=[_theme("mobilite")],
    )  # fmt: skip
    person = PersonFactory(user=UserFactory(email="benevole@example.org"))
    skill = services.declare_offer(
        by=person.user, person=person, kind="competence", time_offered="2 h par mois",
        title="Aide aux démarches en ligne", description="J'aide les aînés.",
        thematiques=[_theme()], category="salle",  # ignored: not a means
    )  # fmt: skip
    assert means.owner == organisation and means.dimension is None
    assert skill.owner == person and skill.category == "" and skill.status == "active"
    assert JournalEntry.objects.about(skill).get().verb == "offer-declared"
    assert list(Offer.objects.search("demarche")) == [skill]


@pytest.mark.django_db
def test_only_the_owner_declares_and_each_kind_says_what_it_needs(referent, organisation):
    stranger = UserFactory(email="autre@example.org")
    with pytest.raises(DomainError) as refused:
        services.declare_offer(
            by=stranger, organisation=organisation, kind="service", service_type="atelier",
            title="Atelier", description="…",
        )  # fmt: skip
    assert refused.value.status == 403
    for kind, missing in [("moyen", "type de moyen"), ("competence", "combien de temps"),
                          ("service", "type de service")]:  # fmt: skip
        with pytest.raises(DomainError, match=missing):
            services.declare_offer(
                by=referent, organisation=organisation, kind=kind, title="X", description="Y"
            )
    assert not Offer.objects.exists()


@pytest.mark.django_db
def test_the_catalogue_finds_offers_by_words_and_filters(client, organisation):
    OfferFactory(organisation=organisation, title="Vélos cargos en prêt", kind="moyen")
    OfferFactory(title="Atelier de couture", kind="service", category="", service_type="atelier")
    page = client.get("/mutualisation/", {"q": "velo cargo"})
    assert "Vélos cargos en prêt" in page.text and "couture" not in page.text
    assert "Atelier de couture" in client.get("/mutualisation/", {"kind": "service"}).text
    wrong = client.get("/mutualisation/", {"thematique": "nimporte"})
    assert wrong.status_code == 200 and "pas valables" in wrong.text
    partial = client.get("/mutualisation/", {"q": "velo"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<section id="results"')


@pytest.mark.django_db
def test_offers_show_on_their_owners_pages(client, organisation):
    OfferFactory(organisation=organisation, title="Salle polyvalente")
    assert "Salle polyvalente" in client.get(organisation.get_absolute_url()).text


@pytest.mark.django_db
def test_the_declaration_page_refuses_bad_input_in_french(client, referent, organisation):
    client.force_login(referent)
    assert f"organisation:{organisation.pk}" in client.get("/mutualisation/proposer/").text
    refused = client.post("/mutualisation/proposer/", {
        "owner": f"organisation:{organisation.pk}", "kind": "moyen", "title": "Salle",
        "description": "Grande salle", "conditions": "gratuit", "audience": "tout-public",
    })  # fmt: skip
    assert refused.status_code == 400 and "au moins une thématique" in refused.text
    done = client.post("/mutualisation/proposer/", {
        "owner": f"organisation:{organisation.pk}", "kind": "moyen", "title": "Salle",
        "description": "Grande salle", "conditions": "gratuit", "audience": "tout-public",
        "thematiques": [_theme().pk], "category": "salle", "bookable": "on",
    })  # fmt: skip
    offer = Offer.objects.get()
    assert done.status_code == 302 and done["Location"] == offer.get_absolute_url()
    assert offer.bookable and offer.dimension.code == "dematerialisation"
    hijack = client.post("/mutualisation/proposer/", {"owner": "organisation:999999"})
    assert hijack.status_code == 400 and Offer.objects.count() == 1


@pytest.mark.django_db
def test_the_owner_edits_and_withdraws_and_others_cannot(client, referent, organisation):
    offer = OfferFactory(organisation=organisation, title="Salle")
    client.force_login(UserFactory(email="passant@example.org"))
    assert client.get(f"/mutualisation/offres/{offer.pk}/modifier/").status_code == 404
    client.post(f"/mutualisation/offres/{offer.pk}/retirer/")
    assert Offer.objects.get().status == "active"
    client.force_login(referent)
    services.update_offer(offer=offer, by=referent, thematiques=[_theme()], title="Grande salle")
    assert JournalEntry.objects.about(offer).get().data["changes"]["title"] == [
        "Salle",
        "Grande salle",
    ]
    client.post(f"/mutualisation/offres/{offer.pk}/retirer/")
    assert Offer.objects.get().status == "retiree"
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert "Grande salle" not in client.get("/mutualisation/").text


@pytest.mark.django_db
def test_offers_are_confirmed_every_six_months_or_fall_asleep(
    referent, organisation, django_capture_on_commit_callbacks
):
    now = timezone.now()
    stale = OfferFactory(organisation=organisation, confirmed_at=now - timedelta(days=200))
    fresh = OfferFactory(organisation=organisation, confirmed_at=now - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ask_confirmations(now=now) == (1, 0)
    assert mail.outbox[0].to == [referent.email] and stale.title in mail.outbox[0].subject
    assert services.ask_confirmations(now=now + timedelta(days=10)) == (0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ask_confirmations(now=now + timedelta(days=31)) == (0, 1)
    stale.refresh_from_db()
    assert stale.status == "en-sommeil" and "sommeil" in mail.outbox[1].subject
    assert list(Offer.objects.matchable()) == [fresh]
    services.confirm_offer(offer=stale, by=referent)
    stale.refresh_from_db()
    assert stale.status == "active" and stale.confirmation_asked_at is None
    assert set(Offer.objects.matchable()) == {stale, fresh}


@pytest.mark.django_db
def test_the_team_declares_for_the_organisation_whose_page_it_comes_from(
    client, facilitator, organisation
):
    client.force_login(facilitator)
    url = f"/mutualisation/proposer/?pour=organisation:{organisation.pk}"
    page = client.get(url).text
    assert organisation.name in page and "Association numéro" not in page
    assert (
        client.get("/mutualisation/proposer/?pour=organisation:99999999999999999999").status_code
        == 302
    )
    client.post(url, {
        "owner": f"organisation:{organisation.pk}", "kind": "service", "title": "Atelier CV",
        "description": "Écrire son CV.", "conditions": "gratuit", "audience": "tout-public",
        "thematiques": [_theme("cv-candidature").pk], "service_type": "atelier",
    })  # fmt: skip
    assert Offer.objects.get().organisation == organisation
