"""The workshops of the demo territory: one upcoming, open for registration."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core.models import User
from maillage.needs.models import SharedNeed
from maillage.territory.models import Person, Place

from . import services


@transaction.atomic
def load_demo(*, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    lab = User.objects.filter(email="animatrice@maillage.localhost").first()
    lab = lab or User.objects.filter(role=User.Role.ANIMATEUR).first()
    day = timezone.localdate() + timedelta(days=12)
    while day.weekday() != 3:  # a Thursday evening
        day += timedelta(days=1)
    start = datetime.combine(day, time(18), tzinfo=timezone.get_current_timezone())
    shared = SharedNeed.objects.active().order_by("pk").first()
    workshop = services.create_workshop(
        by=lab,
        question="Comment aider les habitants à faire leurs démarches en ligne sans se décourager ?",
        description="Un atelier de scénarisation ouvert à tous : habitants, agents des services "
        "publics, associations. Nous partirons des besoins reçus à la permanence, imaginerons "
        "plusieurs façons d'y répondre, puis les jugerons ensemble.",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        place=Place.objects.filter(name__startswith="Tiers-lieu").first(),
        capacity=30,
        shared_need=shared,
    )
    people = list(Person.objects.filter(user__isnull=False).select_related("user")[:40])
    for person in rng.sample(people, min(12, len(people))):
        services.register(
            workshop=workshop, name=person.first_name, email=person.user.email, user=person.user
        )
    return {"ateliers": 1, "inscriptions": workshop.registrations.count()}
