"""The mutualisation of the demo territory (`load_demo`) and of the large one (`load_large`)."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maillage.core import semantic
from maillage.core.models import Dimension, Thematique, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.needs.models import Need
from maillage.territory import services as territory
from maillage.territory.models import Organisation, Person, Place

from .. import services
from ..models import Offer
from .catalogue import OFFERS

# Demo accounts that own an offer, so that they can be logged in as its owner.
PERSON_OWNERS = {"skill-velo": "habitant@maillage.localhost"}
PLACES = {"salle-tiers-lieu": "Tiers-lieu — site de Ferrières"}


def _owner_for(name: str | None, key: str, by: User, rng: random.Random):
    """The organisation named NAME (created if the territory lacks it), or a person."""
    if name is not None:
        organisation = Organisation.objects.filter(name=name).first()
        return organisation or territory.create_organisation(
            by=by, name=name, kind=Organisation.Kind.ASSOCIATION
        ), None
    if email := PERSON_OWNERS.get(key):
        person = Person.objects.filter(user__email=email).first()
        if person is not None:
            return None, person
    people = list(Person.objects.filter(memberships__isnull=False).order_by("pk")[:200])
    person = rng.choice(people) if people else Person.objects.create(first_name="Camille")
    return None, person


def load_catalogue(*, by: User, seed: int = 1) -> dict[str, Offer]:
    """Declare the catalogue's offers through the services; return them by key."""
    rng = random.Random(seed)
    thematiques = {t.code: t for t in Thematique.objects.select_related("dimension")}
    offers = {}
    for key, owner, kind, subtype, title, description, codes, extra in OFFERS:
        organisation, person = _owner_for(owner, key, by, rng)
        chosen = [thematiques[c] for c in codes]
        fields = {"category": subtype} if kind == "moyen" else {}
        if kind == "service":
            fields = {"service_type": subtype}
        if kind == "competence":
            fields = {"time_offered": subtype}
        extra = dict(extra)
        if "hours_per_month" in extra:
            extra["hours_per_month"] = Decimal(extra["hours_per_month"])
        place = Place.objects.filter(name=PLACES[key]).first() if key in PLACES else None
        offers[key] = services.declare_offer(
            by=by, organisation=organisation, person=person, kind=kind, title=title,
            description=description, thematiques=chosen, dimension=chosen[0].dimension,
            place=place, **fields, **extra,
        )  # fmt: skip
    return offers


def _next_weekday(day: datetime, hour: int) -> datetime:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day.date(), time(hour)))


@transaction.atomic
def load_demo(*, seed: int = 1) -> dict[str, int]:
    """Offers of the demo organisations and people, bookings, and orientations of needs."""
    from ..matching import offers_for

    rng = random.Random(seed)
    lab = User.objects.filter(email="animatrice@maillage.localhost").first()
    lab = lab or User.objects.filter(role=User.Role.ANIMATEUR).first()
    offers = load_catalogue(by=lab, seed=seed)
    members = list(User.objects.filter(person__memberships__isnull=False).distinct()[:30])
    members.append(User.objects.get(email="membre@maillage.localhost"))
    today = timezone.localtime()
    bookable = [o for o in offers.values() if o.bookable]
    for n in range(40):
        offer = rng.choice(bookable)
        day = _next_weekday(today + timedelta(days=1 + n // 3), rng.choice([9, 10, 14, 15]))
        try:
            booking = services.request_booking(
                offer=offer, by=rng.choice(members), start=day, end=day + timedelta(hours=2),
                purpose=rng.choice(["Réunion d'équipe", "Atelier avec des habitants",
                                    "Préparation de la fête de quartier", "Formation"]),
            )  # fmt: skip
        except services.DomainError:
            continue  # the slot was taken by an earlier demo booking: as in life
        if booking.status == "demandee" and rng.random() < 0.6:
            services.decide_booking(booking=booking, by=lab, accept=True)
    oriented = 0
    for need in Need.objects.filter(status="qualifie").order_by("pk")[:12]:
        if suggestions := offers_for(need, limit=3):
            orientation = services.orient(need=need, offer=suggestions[0].record, by=lab,
                                          score=suggestions[0].score)  # fmt: skip
            oriented += 1
            if oriented % 3:
                services.answer_orientation(orientation=orientation, by=lab, accept=True,
                                            hours=Decimal(2))  # fmt: skip
    return {"offres": len(offers), "réservations": offers_booked(), "orientations": oriented}


def offers_booked() -> int:
    from ..models import Booking

    return Booking.objects.count()


LARGE_PREFIXES = ["", "Nouveau : ", "{hood} : "]


@transaction.atomic
def load_large(*, seed: int = 1, count: int = 20_000, batch: int = 5_000) -> int:
    """Add COUNT offers, variations of the catalogue's across the territory, in bulk; their
    vectors are computed once per distinct text."""
    rng = random.Random(seed)
    organisations = list(Organisation.objects.values_list("pk", "neighbourhood")[:5000])
    thematiques = {t.code: t for t in Thematique.objects.all()}
    dimensions = {d.pk: d for d in Dimension.objects.all()}
    vectors: dict[str, bytes] = {}
    now = timezone.now()
    created = 0
    through = Offer.thematiques.through
    while created < count:
        rows, codes = [], []
        for _ in range(min(batch, count - created)):
            _key, _owner, kind, subtype, title, description, theme_codes, extra = rng.choice(OFFERS)
            organisation_id, hood = rng.choice(organisations)
            title = rng.choice(LARGE_PREFIXES).format(hood=hood or "Martigues") + title
            first = thematiques[theme_codes[0]]
            offer = Offer(
                kind=kind, title=title[:160], description=description, organisation_id=organisation_id,
                dimension=dimensions[first.dimension_id],
                category=subtype if kind == "moyen" else "",
                service_type=subtype if kind == "service" else "",
                time_offered=subtype if kind == "competence" else "",
                bookable=bool(extra.get("bookable")), audience=extra.get("audience", "tout-public"),
                confirmed_at=now - timedelta(days=rng.uniform(0, 200)),
                search_text=search_document(title, description),
                search_stems=stem_document(title, description),
            )  # fmt: skip
            if semantic.available():
                text = offer.embedding_text()
                if text not in vectors:
                    vectors[text] = semantic.to_bytes(semantic.embed([text], query=False)[0])
                offer.embedding, offer.embedded_at = vectors[text], now
            rows.append(offer)
            codes.append(theme_codes)
        Offer.objects.bulk_create(rows, batch_size=batch)
        through.objects.bulk_create(
            [through(offer_id=o.pk, thematique_id=thematiques[c].pk)
             for o, cs in zip(rows, codes, strict=True) for c in cs],
            batch_size=batch,
        )  # fmt: skip
        created += len(rows)
    return created
