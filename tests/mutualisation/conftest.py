from datetime import time

import pytest

from maillage.core.models import Thematique
from maillage.mutualisation import services
from maillage.territory.models import OpeningPeriod, Place
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, UserFactory


@pytest.fixture
def room(referent, organisation):
    """A room of `organisation`, open on weekdays from 9:00 to 18:00, booked without waiting."""
    place = Place.objects.create(
        name="Maison de quartier", kind=Place.Kind.PARTNER_VENUE, organisation=organisation,
        latitude=43.41, longitude=5.05,
    )  # fmt: skip
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(place=place, weekday=d, opens=time(9), closes=time(18)) for d in range(5)
    )
    return services.declare_offer(
        by=referent, organisation=organisation, kind="moyen", category="salle",
        title="Salle de réunion 20 places", description="Une salle lumineuse pour se réunir.",
        thematiques=[Thematique.objects.get(code="lien-social")], place=place,
        bookable=True, auto_accept=True,
    )  # fmt: skip


@pytest.fixture
def member(db):
    """Someone who belongs to another organisation of the territory."""
    user = UserFactory(role="membre", email="membre@example.org")
    MembershipFactory(person=PersonFactory(user=user), organisation=OrganisationFactory())
    return user


@pytest.fixture
def inhabitant(db):
    return UserFactory(role="habitant", email="habitant@example.org")
