"""The ledger of what was pooled: counted from accepted orientations and bookings, so that it is
never out of step with them. What an organisation gave are the orientations its offers accepted
and the bookings of its means; what it received, the bookings made in its name and the answers
to the needs it raised."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from maillage.core.models import Dimension
from maillage.territory.models import Organisation

from .models import Booking, Orientation

ACCEPTED_ORIENTATIONS = Orientation.objects.filter(status=Orientation.Status.ACCEPTEE)
ACCEPTED_BOOKINGS = Booking.objects.filter(status=Booking.Status.ACCEPTEE)
BOOKED_TIME = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())


@dataclass
class Account:
    orientations: int = 0
    skill_hours: Decimal = Decimal(0)
    bookings: int = 0
    booked_hours: float = 0.0
    partners: int = 0  # organisations helped, or organisations that helped

    @property
    def is_empty(self) -> bool:
        return not (self.orientations or self.bookings)


def hours(duration) -> float:
    """A duration in hours, to a tenth (0 for none)."""
    return round(duration.total_seconds() / 3600, 1) if duration else 0.0


def given_by(organisation: Organisation) -> Account:
    orientations = ACCEPTED_ORIENTATIONS.filter(offer__organisation=organisation)
    bookings = ACCEPTED_BOOKINGS.filter(offer__organisation=organisation)
    o = orientations.aggregate(n=Count("pk"), hours=Sum("hours"))
    b = bookings.aggregate(n=Count("pk"), time=Sum(BOOKED_TIME))
    helped = set(
        orientations.exclude(need__organisation=None).values_list("need__organisation", flat=True)
    )
    helped |= set(bookings.exclude(organisation=None).values_list("organisation", flat=True))
    helped.discard(organisation.pk)
    return Account(o["n"], o["hours"] or Decimal(0), b["n"], hours(b["time"]), len(helped))


def received_by(organisation: Organisation) -> Account:
    orientations = ACCEPTED_ORIENTATIONS.filter(need__organisation=organisation)
    bookings = ACCEPTED_BOOKINGS.filter(organisation=organisation)
    o = orientations.aggregate(n=Count("pk"), hours=Sum("hours"))
    b = bookings.aggregate(n=Count("pk"), time=Sum(BOOKED_TIME))
    helpers = set(
        orientations.exclude(offer__organisation=None).values_list("offer__organisation", flat=True)
    )
    helpers |= set(
        bookings.exclude(offer__organisation=None).values_list("offer__organisation", flat=True)
    )
    helpers.discard(organisation.pk)
    return Account(o["n"], o["hours"] or Decimal(0), b["n"], hours(b["time"]), len(helpers))


def by_dimension() -> list[tuple[Dimension, Account]]:
    """What was pooled in each dimension of the method (an offer's dimension)."""
    orientations = {
        row["offer__dimension"]: row
        for row in ACCEPTED_ORIENTATIONS.values("offer__dimension").annotate(
            n=Count("pk"), hours=Sum("hours"), partners=Count("need__organisation", distinct=True)
        )
    }
    bookings = {
        row["offer__dimension"]: row
        for row in ACCEPTED_BOOKINGS.values("offer__dimension").annotate(
            n=Count("pk"), time=Sum(BOOKED_TIME), partners=Count("organisation", distinct=True)
        )
    }
    rows = []
    for dimension in Dimension.objects.all():
        o = orientations.get(dimension.pk, {})
        b = bookings.get(dimension.pk, {})
        rows.append((dimension, Account(
            o.get("n", 0), o.get("hours") or Decimal(0), b.get("n", 0), hours(b.get("time")),
            o.get("partners", 0) + b.get("partners", 0),
        )))  # fmt: skip
    return rows


def top_givers(limit: int = 20) -> list[tuple[Organisation, int, int]]:
    """The organisations that gave the most: (organisation, orientations, bookings)."""
    accepted_o = Q(offers__orientations__status=Orientation.Status.ACCEPTEE)
    accepted_b = Q(offers__bookings__status=Booking.Status.ACCEPTEE)
    organisations = (
        Organisation.objects.annotate(
            given_o=Count("offers__orientations", filter=accepted_o, distinct=True),
            given_b=Count("offers__bookings", filter=accepted_b, distinct=True),
        )
        .filter(Q(given_o__gt=0) | Q(given_b__gt=0))
        .order_by((F("given_o") + F("given_b")).desc(), "name")[:limit]
    )
    return [(o, o.given_o, o.given_b) for o in organisations]
