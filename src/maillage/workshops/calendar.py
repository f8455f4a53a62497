"""A workshop as an iCalendar event, for the participants' agendas."""

from icalendar import Calendar, Event

from .models import Workshop


def ics(workshop: Workshop, url: str, host: str) -> bytes:
    feed = Calendar()
    feed.add("prodid", "-//Maillage//Ateliers//FR")
    feed.add("version", "2.0")
    event = Event()
    event.add("uid", f"atelier-{workshop.pk}@{host.split(':')[0]}")
    event.add("dtstamp", workshop.created_at)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", f"Atelier : {workshop.question}")
    if workshop.place:
        event.add(
            "location",
            ", ".join(filter(None, [workshop.place.name, workshop.place.one_line_address])),
        )
    event.add("description", workshop.description)
    event.add("url", url)
    event.add("status", "CANCELLED" if workshop.status == Workshop.Status.ANNULE else "CONFIRMED")
    feed.add_component(event)
    return feed.to_ical()
