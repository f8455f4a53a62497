import pytest

from maillage.core import semantic
from maillage.mutualisation.matching import offers_for
from maillage.mutualisation.models import Offer
from maillage.mutualisation.seed import load_large
from tests.factories import OrganisationFactory, raise_test_need


@pytest.mark.django_db
def test_the_large_seed_adds_matchable_offers_in_bulk():
    OrganisationFactory.create_batch(5)
    assert load_large(seed=2, count=120, batch=50) == 120
    offers = Offer.objects.matchable()
    assert offers.count() == 120
    assert (
        not offers.filter(thematiques=None).exists() and not offers.filter(dimension=None).exists()
    )
    assert offers.filter(embedding__isnull=not semantic.available()).count() == 120
    assert Offer.objects.search("velo").exists()
    need = raise_test_need(description="Je cherche un vélo pour faire mes courses")
    assert offers_for(need)[0].record.title.endswith("Vélos cargos en prêt")
