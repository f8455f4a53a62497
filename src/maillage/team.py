"""The lab's team's home: what waits for one member today, gathered from every app.

Each part is a count and the first few rows, with the address of the queue or page that
handles the whole of it: the dashboard points, it does not duplicate the queues."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.formation.models import Session
from maillage.mutualisation.models import Booking, Offer, Orientation
from maillage.needs.models import Need
from maillage.projects.models import Item
from maillage.workshops.models import Workshop

SHOWN = 5  # rows per part; the link leads to the rest
MY_SESSIONS = timedelta(days=60)  # the trainings a trainer prepares


@dataclass
class Part:
    title: str
    rows: str  # how its rows read: "needs", "orientations", "answers", "bookings"…
    count: int
    first: list = field(default_factory=list)
    url: str = ""
    late: bool = False


def _part(title: str, rows: str, queryset: QuerySet, url: str, *, late: bool = False) -> Part:
    first = list(queryset[:SHOWN])
    count = len(first) if len(first) < SHOWN else queryset.count()
    return Part(title, rows, count, first, url, late=late and count > 0)


def _queue(**filters) -> str:
    return f"{reverse('needs:queue')}?{urlencode(filters)}"


def _this_week(now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to next Monday 00:00, in the lab's time."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, time.min, tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(days=7)


def home(user, *, now: datetime | None = None) -> list[Part]:
    """What waits for USER, a member of the lab's team."""
    now = now or timezone.now()
    mine = Need.objects.filter(owner=user)
    my_offers = Offer.objects.owned_by(user).values("pk")
    monday, next_monday = _this_week(now)
    person = getattr(user, "person", None)
    items = (
        Item.objects.open()
        .filter(assignee__person=person)
        .select_related("project")
        .order_by("due_on", "project__title", "position")
        if person
        else Item.objects.none()
    )
    return [
        _part(
            _("Mes besoins en retard"), "needs",
            mine.overdue(now=now).by_due_date(), _queue(owner="moi", overdue="on"), late=True,
        ),
        _part(
            _("Mes besoins à répondre aujourd'hui"), "needs",
            mine.due_by_tonight(now=now).filter(due_at__gte=now).by_due_date(),
            _queue(owner="moi", today="on"),
        ),
        _part(
            _("Besoins sans responsable"), "needs",
            Need.objects.for_queue().filter(owner__isnull=True), _queue(owner="personne"),
        ),
        _part(
            _("Mes orientations sans réponse"), "orientations",
            Orientation.objects.filter(status=Orientation.Status.PROPOSEE, need__owner=user)
            .select_related("need", "offer")
            .order_by("created_at", "pk"),
            _queue(owner="moi", status=Need.Status.ORIENTE),
        ),
        _part(
            _("Orientations à accepter ou décliner"), "answers",
            Orientation.objects.filter(offer__in=my_offers, status=Orientation.Status.PROPOSEE)
            .select_related("need", "offer")
            .order_by("created_at", "pk"),
            reverse("mutualisation:inbox"),
        ),
        _part(
            _("Réservations à décider"), "bookings",
            Booking.objects.filter(
                offer__in=my_offers, status=Booking.Status.DEMANDEE, end__gt=now
            )
            .select_related("offer")
            .order_by("start", "pk"),
            reverse("mutualisation:inbox"),
        ),
        _part(
            _("Ateliers de la semaine"), "workshops",
            Workshop.objects.filter(starts_at__gte=monday, starts_at__lt=next_monday)
            .exclude(status=Workshop.Status.ANNULE)
            .select_related("place")
            .order_by("starts_at", "pk"),
            reverse("workshops:list"),
        ),
        _part(
            _("Mes éléments de projet"), "items", items, reverse("projects:my_work")
        ),
        _part(
            _("Mes sessions de formation"), "trainings",
            Session.objects.open(now=now).filter(trainers=user, starts_at__lt=now + MY_SESSIONS)
            .with_seats_left().select_related("path", "place").order_by("starts_at", "pk"),
            f"{reverse('formation:team')}?mes=oui",
        ),
    ]  # fmt: skip
