import pytest

from maillage.core.models import JournalEntry
from maillage.needs.models import Need
from maillage.needs.seed import load_large
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_large_seed_adds_needs_with_their_journals_searchable_and_keeping_the_guarantee():
    UserFactory(role="animateur")
    assert load_large(seed=2, count=300, batch=120) == 300
    assert Need.objects.count() == 300
    assert JournalEntry.objects.filter(verb__in=["need-raised", "need-assigned"]).count() == 600
    assert len(set(Need.objects.values_list("reference", flat=True))) == 300
    assert not Need.objects.open().filter(due_at__isnull=True).exists()
    assert Need.objects.search("ordinateurs").exists()
    load_large(seed=3, count=10)  # a second load continues the references
    assert Need.objects.count() == 310
