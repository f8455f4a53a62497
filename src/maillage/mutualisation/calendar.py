"""A shared means' calendar: a week of its opening hours and bookings, and an iCalendar feed."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from .models import Booking, Offer

FEED_DAYS_BACK, FEED_DAYS_AHEAD = 30, 365
MIN_FREE = timedelta(minutes=30)  # a shorter gap between bookings is not offered


@dataclass
class Day:
    day: date
    opening: list[str] = field(default_factory=list)  # "09:00-12:30", as shown
    bookings: list[Booking] = field(default_factory=list)
    hours: list[tuple[time, time]] = field(default_factory=list)  # the opening periods
    past: bool = False

    @property
    def free(self) -> list[tuple[time, time]]:
        """The day's open hours that no accepted booking takes, each at least half an hour."""
        zone = timezone.get_current_timezone()
        taken = sorted(
            (max(timezone.localtime(b.start, zone), _at(self.day, time.min)),
             min(timezone.localtime(b.end, zone), _at(self.day, time.max)))
            for b in self.bookings
        )  # fmt: skip
        now = timezone.localtime()
        soonest = now.replace(minute=0, second=0, microsecond=0) + timedelta(
            minutes=30 if now.minute < 30 else 60
        )  # today, from the next half hour
        slots = []
        for opens, closes in sorted(self.hours):
            cursor, end = max(_at(self.day, opens), soonest), _at(self.day, closes)
            for start, stop in taken:
                if start > cursor:
                    slots.append((cursor, min(start, end)))
                cursor = max(cursor, stop)
            slots.append((cursor, end))
        return [(a.time(), b.time()) for a, b in slots if b - a >= MIN_FREE]


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


@dataclass
class Week:
    monday: date
    days: list[Day]

    @property
    def previous(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date:
        return self.monday + timedelta(days=7)


def week(offer: Offer, any_day: date) -> Week:
    """The week holding ANY_DAY: each day's opening hours and accepted bookings."""
    monday = any_day - timedelta(days=any_day.weekday())
    today = timezone.localdate()
    days = [Day(monday + timedelta(days=n)) for n in range(7)]
    for day in days:
        day.past = day.day < today
    periods = offer.place.opening_periods.all() if offer.place_id else []
    for period in periods:
        days[period.weekday].opening.append(f"{period.opens:%H:%M}–{period.closes:%H:%M}")
        days[period.weekday].hours.append((period.opens, period.closes))
    zone = timezone.get_current_timezone()
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    bookings = offer.bookings.accepted().overlapping(start, start + timedelta(days=7))
    for booking in bookings.select_related("organisation").order_by("start"):
        first = timezone.localtime(booking.start).date()
        last = timezone.localtime(booking.end - timedelta(microseconds=1)).date()
        for day in days:
            if first <= day.day <= last:
                day.bookings.append(booking)
    return Week(monday, days)


def ics(offer: Offer, url: str, host: str) -> bytes:
    """The accepted bookings of OFFER as an iCalendar feed. It is public like the offer: it
    says when the means is taken and for which organisation, never by whom."""
    feed = Calendar()
    feed.add("prodid", "-//Maillage//Mutualisation//FR")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", offer.title)
    now = timezone.now()
    window = offer.bookings.accepted().filter(
        end__gt=now - timedelta(days=FEED_DAYS_BACK),
        start__lt=now + timedelta(days=FEED_DAYS_AHEAD),
    )
    for booking in window.select_related("organisation").order_by("start"):
        event = Event()
        event.add("uid", f"reservation-{booking.pk}@{host.split(':')[0]}")
        event.add("dtstamp", booking.decided_at or booking.created_at)
        event.add("dtstart", booking.start)
        event.add("dtend", booking.end)
        event.add(
            "summary", f"Réservé — {booking.organisation}" if booking.organisation else "Réservé"
        )
        event.add("status", "CONFIRMED")
        event.add("url", url)
        feed.add_component(event)
    return feed.to_ical()
