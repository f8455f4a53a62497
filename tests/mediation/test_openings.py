"""The team sets the permanence's weekly openings and the médiateurs' absences on a page: the
slots follow at once, and the appointments an absence leaves uncovered are listed to be moved,
which the desk does from the appointment's page (the person is told)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from maillage.core import texts
from maillage.core.models import JournalEntry
from maillage.mediation import agenda
from maillage.mediation.models import Absence, Appointment, Opening, Slot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARIS = timezone.get_current_timezone()


@pytest.fixture
def mediator(db):
    return UserFactory(role="animateur", first_name="Inès", last_name="Martin")


def _next(weekday: int):
    """The next WEEKDAY, at least two days from today."""
    day = timezone.localdate() + timedelta(days=2)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


FORMS = {"/mediation/permanences/ajouter/": ("opening_form", "permanence"),
         "/mediation/absences/declarer/": ("absence_form", "absence")}  # fmt: skip


def _form(client, url: str, data: dict, **options):
    """Send the page's form that posts to URL, with its fresh key, as a browser would."""
    name, prefix = FORMS[url]
    key = client.get("/mediation/permanences/").context[name]["cle"].initial
    sent = {f"{prefix}-{field}": value for field, value in (data | {"cle": key}).items()}
    return client.post(url, sent, **options)


def _opening(mediator, **changes):
    return {"mediator": mediator.pk, "weekday": 1, "start": "09:00", "minutes": 45, "count": 4,
            "starts_on": timezone.localdate().isoformat()} | changes  # fmt: skip


def test_an_opening_added_on_the_page_publishes_its_slots_once(client, mediator):
    client.force_login(mediator)
    response = _form(client, "/mediation/permanences/ajouter/", _opening(mediator), follow=True)
    assert response.redirect_chain[-1][0] == "/mediation/permanences/"
    assert "créneaux publiés" in response.content.decode()
    published = Slot.objects.published().count()
    assert published >= 4 * 7  # eight weeks of Tuesdays, a holiday or two left out
    assert {timezone.localtime(s.starts_at).time() for s in Slot.objects.all()} == {
        time(9), time(9, 45), time(10, 30), time(11, 15)}  # fmt: skip
    again = response.wsgi_request.POST.dict()
    client.post("/mediation/permanences/ajouter/", again)  # a second click, the same key
    assert Opening.objects.count() == 1 and Slot.objects.count() == published
    assert JournalEntry.objects.filter(verb="opening-added").count() == 1
    assert "Mardi 09:00" in client.get("/mediation/permanences/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "said"),
    [
        ({"start": "19:00", "count": 4}, "count", "finirait après 21 h"),
        ({"minutes": 5}, "minutes", "supérieure ou égale à 15"),
        ({"count": 40, "minutes": 15, "start": "08:00"}, "count", "inférieure ou égale à 16"),
        ({"ends_on": "2020-01-01"}, "ends_on", "La fin vient avant le début"),
        ({"weekday": 9}, "weekday", "n’en fait pas partie"),
        ({"start": "25:99"}, "start", "heure valide"),
    ],
)
def test_a_wrong_opening_is_refused_with_its_field_named_and_nothing_written(
    client, mediator, changes, field, said
):
    client.force_login(mediator)
    response = _form(client, "/mediation/permanences/ajouter/", _opening(mediator, **changes))
    assert response.status_code == 400
    errors = response.context["opening_form"].errors[field]
    assert any(said in error for error in errors), errors
    assert not Opening.objects.exists() and not Slot.objects.exists()


def test_an_absence_takes_back_the_free_slots_and_lists_the_booked_ones_to_move(client, mediator):
    tuesday = _next(1)
    Opening.objects.create(mediator=mediator, weekday=1, start=time(9), minutes=45, count=2)
    agenda.publish()
    first, second = Slot.objects.filter(starts_at__date=tuesday)
    booked = agenda.book(slot=first, name="Josiane Roux", phone="0612345678", consent=True)
    client.force_login(mediator)
    away = {"mediator": mediator.pk, "start": tuesday.isoformat(), "end": tuesday.isoformat(),
            "why": "Formation"}  # fmt: skip
    response = _form(client, "/mediation/absences/declarer/", away)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.withdrawn_at is not None and first not in Slot.objects.free()
    page = client.get("/mediation/permanences/").content.decode()
    assert "1 rendez-vous à déplacer" in page and "Josiane Roux" in page
    assert list(agenda.to_move()) == [booked]

    colleague = UserFactory(role="animateur", first_name="Thomas")
    elsewhere = Slot.objects.create(mediator=colleague, minutes=45,
                                    starts_at=first.starts_at + timedelta(hours=3))  # fmt: skip
    shown = client.get(f"{booked.get_absolute_url()}?mediateur={colleague.pk}")
    assert list(shown.context["move_form"].fields["slot"].queryset) == [elsewhere]
    moved = client.post(f"{booked.get_absolute_url()}deplacer/", {"slot": elsewhere.pk},
                        follow=True)  # fmt: skip
    assert "la personne est prévenue" in moved.content.decode()
    booked.refresh_from_db()
    assert booked.slot == elsewhere and not agenda.to_move().exists()
    assert texts.TextMessage.objects.about(booked).count() == 2  # booked, then moved

    taken = client.post(f"{booked.get_absolute_url()}deplacer/", {"slot": elsewhere.pk},
                        follow=True)  # fmt: skip
    assert "plus libre" in taken.content.decode()
    absence = Absence.objects.get()
    client.post(f"/mediation/absences/{absence.pk}/retirer/")
    assert not Absence.objects.exists() and Slot.objects.free().filter(pk=second.pk).exists()
    again = client.post(f"/mediation/absences/{absence.pk}/retirer/", follow=True)
    assert "déjà retirée" in again.content.decode()


def test_closing_an_opening_stops_its_slots_and_a_past_absence_is_refused(client, mediator):
    opening = Opening.objects.create(mediator=mediator, weekday=3, start=time(14), minutes=60,
                                     count=2)  # fmt: skip
    agenda.publish()
    client.force_login(mediator)
    client.post(f"/mediation/permanences/{opening.pk}/fermer/")
    assert not Slot.objects.free().exists()
    twice = client.post(f"/mediation/permanences/{opening.pk}/fermer/", follow=True)
    assert "déjà fermée" in twice.content.decode()
    assert "Jeudi 14:00" not in twice.content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    gone = {"mediator": mediator.pk, "start": yesterday, "end": yesterday}
    past = _form(client, "/mediation/absences/declarer/", gone)
    assert past.status_code == 400 and not Absence.objects.exists()
    assert "déjà passée" in past.content.decode()


def test_only_the_team_sets_the_openings(client):
    client.force_login(UserFactory(role="membre"))
    assert client.get("/mediation/permanences/").status_code == 404
    assert client.post("/mediation/permanences/ajouter/", {}).status_code == 404
    client.logout()
    assert client.get("/mediation/permanences/").status_code == 302


def test_the_agenda_shows_a_week_at_a_time(client, mediator):
    start = datetime.combine(timezone.localdate() + timedelta(days=9), time(10), tzinfo=PARIS)
    slot = Slot.objects.create(mediator=mediator, starts_at=start, minutes=45)
    agenda.book(slot=slot, name="Karim Haddad", phone="0623456789", consent=True)
    client.force_login(mediator)
    assert "Karim Haddad" not in client.get("/mediation/rendez-vous/").content.decode()
    later = (timezone.localdate() + timedelta(days=7)).isoformat()
    assert "Karim Haddad" in client.get(f"/mediation/rendez-vous/?du={later}").content.decode()
    for wrong in ("demain", "2026-13-40", "9999-01-01"):
        assert client.get(f"/mediation/rendez-vous/?du={wrong}").status_code == 200
    assert Appointment.objects.count() == 1


def test_a_busy_week_is_shown_by_whole_days_with_the_rest_on_the_next_page(
    client, mediator, monkeypatch
):
    from maillage.mediation import desk

    monkeypatch.setattr(desk, "LISTED_MOST", 3)
    tomorrow = timezone.localdate() + timedelta(days=1)
    for day, hours in ((tomorrow, (9, 10)), (tomorrow + timedelta(days=1), (9, 10, 11))):
        for hour in hours:
            starts = datetime.combine(day, time(hour), tzinfo=PARIS)
            slot = Slot.objects.create(mediator=mediator, starts_at=starts, minutes=45)
            agenda.book(slot=slot, name=f"Personne {day.day}-{hour}", phone="0623456789",
                        consent=True)  # fmt: skip
    client.force_login(mediator)
    page = client.get("/mediation/rendez-vous/")
    assert [len(slots) for _day, slots in page.context["days"]] == [2]  # the whole first day
    assert page.context["after"] == tomorrow + timedelta(days=1)
    rest = client.get(f"/mediation/rendez-vous/?du={page.context['after'].isoformat()}")
    assert [len(slots) for _day, slots in rest.context["days"]] == [3]
