"""A shared means that needs a training (a laser cutter): booked only by whoever holds the
training's badge, an authorisation that lapses after the path's set time without a booking."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.formation import trainings
from maillage.formation.models import Session, TrainingPath
from maillage.mutualisation import services
from maillage.mutualisation.models import Offer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _slot(days: int):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() > 4:
        day += timedelta(days=1)
    start = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(hours=1)


def _trained(user, path, trainer):
    starts = timezone.now() + timedelta(days=1)
    session = trainings.open_session(
        session=Session(path=path, starts_at=starts, ends_at=starts + timedelta(hours=3),
                        capacity=4, minimum=1), trainers=[trainer])  # fmt: skip
    registration = trainings.register(session=session, name="Membre", email=user.email, user=user)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    registration.refresh_from_db()
    trainings.mark(registration=registration, attended=True, by=trainer)
    return registration


def test_only_the_trained_book_the_means_and_the_authorisation_lapses_unused(room, member):
    trainer = UserFactory(role="animateur")
    path = TrainingPath.objects.create(slug="decoupe-laser", name="Découpe laser", hours=3,
                                       description="-", criteria="-", skill="-",
                                       authorisation_days=90)  # fmt: skip
    Offer.objects.filter(pk=room.pk).update(training_path=path)
    room.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.request_booking(offer=room, by=member, start=_slot(7)[0], end=_slot(7)[1])
    assert refused.value.status == 403 and "Découpe laser" in refused.value.message
    _trained(member, path, trainer)
    first = services.request_booking(offer=room, by=member, start=_slot(7)[0], end=_slot(7)[1])
    assert first.status == "acceptee"
    later = first.start + timedelta(days=91)
    with pytest.raises(DomainError, match="expiré"):
        start, end = _slot(100)
        services.request_booking(offer=room, by=member, start=start, end=end, now=later)
    # The team books whatever the badge (it supervises the machine).
    start, end = _slot(14)
    assert services.request_booking(offer=room, by=trainer, start=start, end=end).pk
