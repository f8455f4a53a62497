"""Matching needs to offers: its quality on the labelled evaluation set, and what users see."""

import pytest

from maillage.core import semantic
from maillage.core.embedding import embed_all_missing
from maillage.core.models import Dimension, Thematique
from maillage.mutualisation import evaluation
from maillage.mutualisation.matching import offers_for
from maillage.mutualisation.seed import load_catalogue
from maillage.mutualisation.seed.catalogue import OFFERS
from maillage.needs import services as needs
from maillage.needs.similarity import needs_like
from tests.factories import OfferFactory, raise_test_need

needs_model = pytest.mark.skipif(not semantic.available(), reason="no e5 wheel on this platform")


@pytest.fixture
def catalogue(facilitator):
    offers = load_catalogue(by=facilitator)
    embed_all_missing()
    assert len(offers) == len(OFFERS)
    return offers


@needs_model
@pytest.mark.django_db
def test_the_right_offer_is_in_the_top_3_for_nine_needs_in_ten(catalogue):
    result = evaluation.evaluate(catalogue)
    assert result["path"] == "semantic" and result["pairs"] >= 40
    assert result["top3"] / result["pairs"] >= 0.9, result["misses"]


@pytest.mark.django_db
def test_the_lexical_path_alone_still_finds_most_offers(catalogue):
    """Where the model cannot be installed, words, thématiques and places carry the matching."""
    result = evaluation.evaluate(catalogue, semantic_path=False)
    assert result["path"] == "lexical"
    assert result["top3"] / result["pairs"] >= 0.85, result["misses"]


@pytest.mark.django_db
def test_an_acronym_finds_its_offer_and_not_a_cafe(facilitator, settings):
    settings.MATCHING_SEMANTIC = False  # the words alone decide here
    semantic._model.cache_clear()
    try:
        caf = OfferFactory(
            kind="service",
            category="",
            service_type="information",
            title="Rendez-vous avec un conseiller de la CAF",
            description="Allocations familiales, APL, RSA.",
        )
        cafe = OfferFactory(
            kind="service",
            category="",
            service_type="atelier",
            title="Repair café",
            description="Réparer ses objets le samedi.",
        )
        need = raise_test_need(description="mon dossier CAF est bloqué depuis 2 mois")
        ranked = [s.record for s in offers_for(need)]
        assert ranked[0] == caf and cafe not in ranked
        words = next(r for r in offers_for(need)[0].reasons if r.code == "words")
        assert words.value == ["CAF"]  # as the need wrote it
    finally:
        semantic._model.cache_clear()


@pytest.mark.django_db
def test_suggestions_say_why_thematique_dimension_and_distance(facilitator, organisation):
    organisation.latitude, organisation.longitude, organisation.neighbourhood = (
        43.405,
        5.048,
        "Ferrières",
    )
    organisation.save()
    thematique = Thematique.objects.get(code="mobilite")
    offer = OfferFactory(
        organisation=organisation,
        title="Vélos cargos en prêt",
        description="Pour transporter ses courses sans voiture.",
        dimension=thematique.dimension,
    )
    offer.thematiques.set([thematique])
    need = raise_test_need(
        description="Je voudrais un vélo pour faire mes courses", neighbourhood="Ferrières"
    )
    need = needs.qualify_need(
        need=need,
        by=facilitator,
        title="Vélo",
        dimension=thematique.dimension,
        thematique=thematique,
    )
    best = offers_for(need)[0]
    labels = {r.code: r.label for r in best.reasons}
    assert best.record == offer and 0 < best.score <= 1
    assert labels["thematique"] == "Même thématique : Mobilité"
    assert labels["dimension"].startswith("Même dimension")
    assert labels["distance"] == "À 0,0 km"
    assert "velo" in labels["words"] or "vélo" in labels["words"]


@pytest.mark.django_db
def test_similar_needs_come_with_their_reasons(facilitator):
    printer = raise_test_need(description="Les imprimantes de la médiathèque sont en panne")
    raise_test_need(description="Je cherche un stage dans la logistique")
    other = raise_test_need(description="Imprimante EN PANNE au centre social")
    found = needs_like(other)
    assert found[0].record == printer
    assert any(r.code == "words" for r in found[0].reasons)


@pytest.mark.django_db
def test_the_need_page_shows_suggestions_and_orients_one(client, facilitator, referent, room):
    need = raise_test_need(description="Notre association cherche une salle de réunion")
    needs.qualify_need(
        need=need, by=facilitator, title="Salle", dimension=Dimension.objects.first()
    )
    client.force_login(facilitator)
    page = client.get(need.get_absolute_url()).text
    assert "Offres qui pourraient répondre" in page and room.title in page
    assert "parle aussi de salle et réunion" in page  # words as the need wrote them
    assert "score 0" not in page  # no raw number shown
    response = client.post(f"/mutualisation/besoins/{need.pk}/orienter/", {"offer": room.pk})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "oriente" and need.orientations.get().offer == room
    gone = client.post(f"/mutualisation/besoins/{need.pk}/orienter/", {"offer": 999999})
    assert gone.status_code == 302 and need.orientations.count() == 1
