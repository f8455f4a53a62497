import pytest
from django.core.cache import cache
from django.utils import translation

from maillage.core import similarity, vectors
from maillage.territory import geography
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Run background tasks at once; start every test in French with an empty cache."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    vectors.reset_all()  # rows the indexes read were rolled back
    similarity.reset()
    geography.reset()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def facilitator(db):
    return UserFactory(role="animateur", email="animatrice@example.org")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Centre social Jonquières")


@pytest.fixture
def referent(organisation):
    """A member's account who is référent of `organisation`."""
    user = UserFactory(role="membre", email="referente@example.org")
    MembershipFactory(person=PersonFactory(user=user), organisation=organisation, role="referent")
    return user
