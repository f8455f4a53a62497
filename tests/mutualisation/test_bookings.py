import threading
from datetime import datetime, time, timedelta

import pytest
from django.apps import apps
from django.db import connection, connections
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.reference import load_reference_lists
from maillage.mutualisation import ledger, services
from maillage.mutualisation.models import Booking
from maillage.mutualisation.services import SlotTaken
from tests.factories import OfferFactory, UserFactory
from tests.pages import read


def _slot(days: int = 7, start: int = 10, hours: int = 2):
    """A slot on a weekday DAYS ahead (or the next weekday)."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    begin = datetime.combine(day, time(start), tzinfo=timezone.get_current_timezone())
    return begin, begin + timedelta(hours=hours)


@pytest.mark.django_db
def test_a_free_slot_is_booked_at_once_and_the_same_slot_is_refused(room, member):
    start, end = _slot()
    first = services.request_booking(offer=room, by=member, start=start, end=end)
    assert first.status == "acceptee"
    with pytest.raises(SlotTaken) as taken:
        services.request_booking(
            offer=room, by=member, start=start + timedelta(hours=1), end=end + timedelta(hours=1)
        )
    assert taken.value.status == 409 and taken.value.details["conflict"]["id"] == first.pk
    assert "déjà réservé" in taken.value.message
    back_to_back = services.request_booking(
        offer=room, by=member, start=end, end=end + timedelta(hours=1)
    )
    assert back_to_back.status == "acceptee"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("shift", "message"),
    [
        (lambda s, e: (e, s), "après son début"),
        (lambda s, e: (s - timedelta(days=30), e - timedelta(days=30)), "déjà passé"),
        (lambda s, e: (s.replace(hour=19), e.replace(hour=21)), "horaires d'ouverture"),
        (lambda s, e: (s, e + timedelta(days=1)), "horaires d'ouverture"),
    ],
)
def test_impossible_slots_are_refused_with_a_reason(room, member, shift, message):
    start, end = shift(*_slot())
    with pytest.raises(DomainError, match=message) as refused:
        services.request_booking(offer=room, by=member, start=start, end=end)
    assert refused.value.status == 422 and not Booking.objects.exists()


@pytest.mark.django_db
def test_who_may_ask_follows_the_offer_audience(room, member, inhabitant):
    room.audience = "structures"
    room.save()
    with pytest.raises(DomainError, match="réservé à") as refused:
        services.request_booking(offer=room, by=inhabitant, start=_slot()[0], end=_slot()[1])
    assert refused.value.status == 403
    assert services.request_booking(offer=room, by=member, start=_slot()[0], end=_slot()[1])


@pytest.mark.django_db
def test_the_owner_decides_and_two_accepted_requests_never_overlap(room, referent, member):
    room.auto_accept = False
    room.save()
    start, end = _slot()
    first = services.request_booking(offer=room, by=member, start=start, end=end)
    second = services.request_booking(offer=room, by=UserFactory(), start=start, end=end)
    assert first.status == second.status == "demandee"
    with pytest.raises(DomainError):
        services.decide_booking(booking=first, by=member, accept=True)
    services.decide_booking(booking=first, by=referent, accept=True)
    with pytest.raises(SlotTaken):
        services.decide_booking(booking=second, by=referent, accept=True)
    with pytest.raises(DomainError, match="pourquoi"):
        services.decide_booking(booking=second, by=referent, accept=False)
    services.decide_booking(booking=second, by=referent, accept=False, reason="Déjà pris")
    assert Booking.objects.get(pk=second.pk).status == "refusee"
    assert ledger.given_by(room.organisation).bookings == 1


@pytest.mark.django_db
def test_the_pages_book_show_the_calendar_and_the_ical_feed(client, room, member):
    client.force_login(member)
    start, _end = _slot()
    form = {"day": start.date().isoformat(), "start": "10:00", "end": "12:00", "purpose": "AG"}
    booked = client.post(f"/mutualisation/offres/{room.pk}/reserver/", form)
    booking = Booking.objects.get()
    assert booked.status_code == 302 and booked["Location"] == booking.get_absolute_url()
    again = client.post(f"/mutualisation/offres/{room.pk}/reserver/", form)
    assert again.status_code == 400 and "Ce créneau est déjà réservé" in again.text
    week = client.get(
        f"/mutualisation/offres/{room.pk}/calendrier/", {"semaine": start.date().isoformat()}
    )
    assert "10:00–12:00" in week.text and "09:00–18:00" in week.text
    feed = client.get(f"/mutualisation/offres/{room.pk}/calendrier.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and f"reservation-{booking.pk}@" in body
    assert start.astimezone(timezone.UTC).strftime("%Y%m%dT%H%M%SZ") in body
    assert member.email not in body
    client.post(f"/mutualisation/reservations/{booking.pk}/annuler/")
    assert Booking.objects.get().status == "annulee"
    assert (
        "BEGIN:VEVENT"
        not in client.get(f"/mutualisation/offres/{room.pk}/calendrier.ics").content.decode()
    )


@pytest.mark.django_db
def test_only_means_that_book_by_slots_can_be_booked(member):
    skill = OfferFactory(kind="competence", category="", time_offered="2 h", bookable=False)
    with pytest.raises(DomainError, match="ne se réserve pas") as refused:
        services.request_booking(offer=skill, by=member, start=_slot()[0], end=_slot()[1])
    assert refused.value.status == 422


@pytest.fixture
def reference_lists(transactional_db):
    """Transactional tests empty the tables that migrations filled: fill them again."""
    load_reference_lists(apps)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections")
def test_concurrent_requests_for_one_slot_one_wins(reference_lists, room, member):
    """Real concurrent connections: exactly one of eight requests for one slot is accepted.

    PostgreSQL only: SQLite serialises write transactions by design, and the test database
    pytest-django gives threads is an in-memory one whose shared cache locks whole tables."""
    start, end = _slot()
    barrier, outcomes = threading.Barrier(8), []

    def ask():
        try:
            barrier.wait()
            outcomes.append(
                services.request_booking(offer=room, by=member, start=start, end=end).status
            )
        except SlotTaken:
            outcomes.append("taken")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["acceptee"] + ["taken"] * 7
    assert Booking.objects.accepted().count() == 1


@pytest.mark.django_db
def test_postgresql_refuses_an_overlap_even_behind_the_services_back(room, member):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    from django.db import IntegrityError, transaction

    start, end = _slot()
    services.request_booking(offer=room, by=member, start=start, end=end)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            offer=room, requester=member, start=start, end=end, status="acceptee"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "9999-99-99"])
def test_a_week_off_the_calendar_shows_this_week(client, room, week):
    page = client.get(f"/mutualisation/offres/{room.pk}/calendrier/", {"semaine": week})
    assert page.status_code == 200
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert f"semaine={(monday + timedelta(days=7)).isoformat()}" in page.content.decode()


def test_the_calendar_offers_each_free_slot_as_a_link_and_shows_past_days_as_past(
    client, room, member
):
    start, end = _slot()  # a weekday next week, from 10:00 to 12:00
    services.request_booking(offer=room, by=member, start=start, end=end)
    client.force_login(member)
    day = start.date().isoformat()
    week = read(client.get(f"/mutualisation/offres/{room.pk}/calendrier/", {"semaine": day}))
    row = week.split(start.strftime("%d").lstrip("0") + " ", 1)[1].split("</tr>")[0]
    assert "Réserver 09:00–10:00" in row and "Réserver 12:00–18:00" in row
    assert f"?jour={day}&de=12:00&a=18:00#booking-title" in row
    asked = read(client.get(f"/mutualisation/offres/{room.pk}/?jour={day}&de=12:00&a=18:00"))
    assert f'value="{day}"' in asked and 'value="12:00"' in asked and 'value="18:00"' in asked
    hostile = client.get(f"/mutualisation/offres/{room.pk}/?jour=9999-99-99&de=25:00&a=x")
    assert hostile.status_code == 200  # what does not read is simply not filled in
    last_week = (start - timedelta(days=14)).date().isoformat()
    past = read(client.get(f"/mutualisation/offres/{room.pk}/calendrier/", {"semaine": last_week}))
    assert past.count('class="past"') == 7 and "Réserver" not in past
