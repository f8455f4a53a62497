"""One team member's agenda for the calendar app on their phone: the appointments they hold at
the permanence, the training sessions they teach, the workshops they facilitate — a month back
and all to come. The app subscribes to a secret address; a calendar leaves the lab's walls, so
it carries a first name at most: no surname, phone number or e-mail address."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import CalendarFeed, User
from maillage.formation.models import Session
from maillage.mediation import agenda
from maillage.workshops.models import Workshop

VERB_LABELS.update(
    {
        "calendar-feed-issued": gettext_lazy("Adresse d'abonnement à l'agenda créée"),
        "calendar-feed-withdrawn": gettext_lazy("Adresse d'abonnement à l'agenda supprimée"),
    }
)
SINCE = timedelta(days=30)
READ_EVERY = timedelta(minutes=10)  # how often a read is written down: apps poll often


@transaction.atomic
def issue(user: User) -> str:
    """A new secret address for USER's agenda (the former one stops answering); return its key,
    which is never stored."""
    feed, key = CalendarFeed.issue(user=user)
    record(feed, "calendar-feed-issued", actor=user)
    return key


@transaction.atomic
def withdraw(user: User) -> bool:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return False
    record(feed, "calendar-feed-withdrawn", actor=user)
    feed.delete()
    return True


def read(key: str, host: str) -> bytes | None:
    """The agenda behind KEY as iCalendar, or None when the address is unknown, withdrawn, or
    its owner has left the team."""
    feed = CalendarFeed.find(key)
    if feed is None or not feed.user.is_facilitator:
        return None
    now = timezone.now()
    if feed.last_read_at is None or feed.last_read_at < now - READ_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    return calendar(feed.user, host, now=now)


def calendar(user: User, host: str, *, now=None) -> bytes:
    since = (now or timezone.now()) - SINCE
    found = Calendar()
    found.add("prodid", "-//Maillage//Agenda//FR")
    found.add("version", "2.0")
    found.add("x-wr-calname", _("Maillage — agenda de %(name)s") % {"name": user.first_name
                                                                     or user.email})  # fmt: skip
    for event in agenda.appointment_events(user, host, since=since):
        found.add_component(event)
    taught = Session.objects.filter(trainers=user, ends_at__gte=since, cancelled_at__isnull=True)
    for session in taught.select_related("path", "place"):
        found.add_component(_event(
            f"formation-{session.pk}@{host}", session.starts_at, session.ends_at,
            _("Formation : %(path)s") % {"path": session.path.name}, session.place,
        ))  # fmt: skip
    workshops = Workshop.objects.filter(facilitators=user, ends_at__gte=since)
    for workshop in workshops.exclude(status=Workshop.Status.ANNULE).select_related("place"):
        found.add_component(_event(
            f"atelier-{workshop.pk}@{host}", workshop.starts_at, workshop.ends_at,
            _("Atelier : %(question)s") % {"question": workshop.question}, workshop.place,
        ))  # fmt: skip
    return found.to_ical()


def _event(uid: str, starts_at, ends_at, summary: str, place) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    if place is not None:
        event.add("location", place.name)
    return event
