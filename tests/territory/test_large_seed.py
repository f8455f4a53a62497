import pytest

from maillage.territory.models import Membership, Organisation, Person
from maillage.territory.seed import large


def _snapshot() -> list[tuple]:
    return list(Organisation.objects.order_by("slug").values_list("slug", "name", "kind", "city"))


@pytest.mark.django_db
def test_the_large_territory_is_reproducible_from_its_seed():
    counts = large.load(seed=7, organisations=60, people=400)
    assert counts["structures"] == Organisation.objects.count() == 60
    assert Person.objects.count() == 400
    assert Membership.objects.count() == counts["appartenances"] > 300
    first = _snapshot()
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    large.load(seed=7, organisations=60, people=400)
    assert _snapshot() == first


@pytest.mark.django_db
def test_the_same_seed_is_not_loaded_twice_and_its_organisations_are_searchable():
    large.load(seed=3, organisations=30, people=50)
    with pytest.raises(ValueError, match="déjà chargé"):
        large.load(seed=3, organisations=30, people=50)
    town = Organisation.objects.first().city
    assert Organisation.objects.search(town).exists()
