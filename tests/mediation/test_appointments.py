"""Appointments at the permanence: slots published from the weekly openings (holidays and
absences left out), never two people on one slot, confirmations and reminders by SMS for those
without e-mail, kept or missed, and the appointment becoming the accompaniment."""

from datetime import date, datetime, time, timedelta

import holidays
import pytest
import sms
from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.core import texts
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.mediation import agenda
from maillage.mediation.models import Absence, Appointment, Opening, Slot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARIS = timezone.get_current_timezone()


def _christmas_week() -> date:
    """The Monday before a Christmas that falls on a weekday, next year or after."""
    year = timezone.localdate().year + 1
    while date(year, 12, 25).weekday() > 4:
        year += 1
    christmas = date(year, 12, 25)
    return christmas - timedelta(days=christmas.weekday())


@pytest.fixture
def mediator(db):
    return UserFactory(role="animateur", email="ines@example.org", first_name="Inès")


@pytest.fixture
def slot(mediator):
    """A slot tomorrow at 10:00."""
    starts = datetime.combine(timezone.localdate() + timedelta(days=1), time(10), tzinfo=PARIS)
    return Slot.objects.create(mediator=mediator, starts_at=starts, minutes=45)


def _book(slot, **changes):
    return agenda.book(**({"slot": slot, "name": "Josiane Roux", "phone": "06 12 34 56 78",
                           "consent": True} | changes))  # fmt: skip


def test_openings_publish_slots_without_holidays_or_absences_and_again_adds_nothing(mediator):
    monday = _christmas_week()
    christmas = date(monday.year, 12, 25)
    Opening.objects.create(mediator=mediator, weekday=christmas.weekday(), start=time(9),
                           minutes=45, count=3, starts_on=monday)  # fmt: skip
    Absence.objects.create(mediator=mediator, start=christmas + timedelta(days=14),
                           end=christmas + timedelta(days=15))  # fmt: skip
    assert christmas in holidays.France(years=monday.year)
    agenda.publish(today=monday, weeks=4)
    days = sorted({timezone.localtime(s.starts_at).date() for s in Slot.objects.published()})
    # Christmas and New Year's Day (a week later) are holidays, the third week is the absence.
    assert days == [christmas + timedelta(days=21), christmas + timedelta(days=28)]
    times = [timezone.localtime(s.starts_at).time() for s in Slot.objects.order_by("starts_at")[:3]]
    assert times == [time(9), time(9, 45), time(10, 30)]
    assert agenda.publish(today=monday, weeks=4) == {"created": 0, "withdrawn": 0}


def test_an_absence_declared_later_takes_back_the_free_slots_but_not_the_booked(mediator):
    monday = _christmas_week() + timedelta(days=14)
    Opening.objects.create(mediator=mediator, weekday=0, start=time(14), minutes=60, count=2,
                           starts_on=monday)  # fmt: skip
    agenda.publish(today=monday - timedelta(days=1), weeks=1)
    first, _second = Slot.objects.order_by("starts_at")
    _book(first)
    Absence.objects.create(mediator=mediator, start=monday, end=monday)
    assert agenda.publish(today=monday - timedelta(days=1), weeks=1)["withdrawn"] == 1
    assert list(Slot.objects.published()) == [first]
    assert not Slot.objects.free().exists()


def test_a_booking_is_confirmed_by_sms_without_email_and_a_second_on_the_slot_is_refused(
    slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _book(slot, what="Ma déclaration de revenus")
    assert appointment.phone == "+33612345678" and appointment.status == "prevu"
    confirmation = texts.TextMessage.objects.get()
    assert appointment.private_url() in confirmation.body
    # Sent at once in the daytime; written at night, it waits for the morning.
    assert [m.body for m in sms.outbox] == ([confirmation.body] if confirmation.sent_at else [])
    with pytest.raises(agenda.SlotTaken) as taken:
        _book(slot, name="Karim Haddad", phone="0623456789")
    assert taken.value.status == 409
    assert not Slot.objects.free().exists()


def test_the_database_itself_refuses_two_appointments_on_one_slot(slot):
    _book(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=slot, name="Double", phone="+33623456789",
                                   consent_at=timezone.now())  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"name": "  "}, "name"), ({"phone": ""}, "contact"), ({"consent": False}, "consent"),
     ({"phone": "12"}, "phone"), ({"phone": "", "email": "pas-une-adresse"}, "email")],
)  # fmt: skip
def test_a_booking_that_cannot_be_right_says_why_and_books_nothing(slot, changes, code):
    with pytest.raises(DomainError) as refused:
        _book(slot, **changes)
    assert refused.value.code == code and refused.value.message
    assert not Appointment.objects.exists()


def test_a_past_or_withdrawn_slot_cannot_be_booked(mediator, slot):
    past = Slot.objects.create(mediator=mediator, minutes=30,
                               starts_at=timezone.now() - timedelta(hours=1))  # fmt: skip
    Slot.objects.filter(pk=slot.pk).update(withdrawn_at=timezone.now())
    for gone in (past, slot):
        with pytest.raises(DomainError, match="n'est plus proposé"):
            _book(gone)


def test_cancelled_the_slot_is_free_again_moved_the_old_one_is(mediator, slot):
    later = Slot.objects.create(mediator=mediator, minutes=45,
                                starts_at=slot.starts_at + timedelta(hours=1))  # fmt: skip
    appointment = _book(slot)
    agenda.move(appointment=appointment, to=later)
    assert list(Slot.objects.free()) == [slot]
    agenda.cancel(appointment=appointment)
    assert set(Slot.objects.free()) == {slot, later}
    with pytest.raises(DomainError):
        agenda.cancel(appointment=appointment)
    assert _book(later, name="Karim Haddad").status == "prevu"
    journal = JournalEntry.objects.about(appointment).order_by("at", "pk")
    verbs = list(journal.values_list("verb", flat=True))
    assert verbs == ["appointment-booked", "appointment-moved", "appointment-cancelled"]


def test_kept_or_missed_is_said_once_it_has_begun(mediator, slot):
    appointment = _book(slot)
    with pytest.raises(DomainError, match="pas encore commencé"):
        agenda.mark(appointment=appointment, kept=False, by=mediator)
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    assert agenda.mark(appointment=appointment, kept=False, by=mediator).status == "absent"


def test_the_day_before_each_person_is_reminded_once(slot):
    by_sms = _book(slot)
    other = Slot.objects.create(mediator=slot.mediator, minutes=45,
                                starts_at=slot.starts_at + timedelta(hours=2))  # fmt: skip
    by_mail = _book(other, phone="", email="karim@example.org", name="Karim")
    texts.opt_out("0612345678", why="test")  # Josiane said stop: no reminder by SMS
    assert agenda.remind_tomorrow() == 2
    assert agenda.remind_tomorrow() == 0
    assert texts.TextMessage.objects.filter(body__contains="rappel").count() == 0
    from maillage.core.models import Email

    assert Email.objects.about(by_mail).filter(subject__contains="Rappel").count() == 1
    assert Appointment.objects.get(pk=by_sms.pk).reminded_at is not None


def test_an_inhabitant_books_in_three_steps_and_cancels_from_the_private_link(client, slot):
    step1 = client.get("/rendez-vous/").content.decode()
    assert f"/rendez-vous/creneaux/{slot.pk}/" in step1 and "Étape 1 sur 3" in step1
    step2 = client.get(f"/rendez-vous/creneaux/{slot.pk}/")
    assert "Étape 2 sur 3" in step2.content.decode()
    key = step2.context["form"]["cle"].initial
    form = {"name": "Josiane Roux", "phone": "06 12 34 56 78", "consent": "on", "cle": key}
    done = client.post(f"/rendez-vous/creneaux/{slot.pk}/", form)
    again = client.post(f"/rendez-vous/creneaux/{slot.pk}/", form)  # the back button, a 2nd tap
    assert done.status_code == again.status_code == 302 and Appointment.objects.count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "Étape 3 sur 3" in page and "Annuler le rendez-vous" in page
    token = Appointment.objects.get().token
    client.post(f"/rendez-vous/{token}/changer/", {"action": "cancel"})
    assert Appointment.objects.get().status == "annule"
    refused = client.post(f"/rendez-vous/creneaux/{slot.pk}/", {"name": "Karim", "consent": "on"})
    assert (
        refused.status_code == 400
        and "numéro de téléphone ou une adresse" in refused.content.decode()
    )


def test_the_desk_books_for_a_caller_and_notes_the_accompaniment_from_it(client, mediator, slot):
    client.force_login(mediator)
    page = client.get("/mediation/rendez-vous/")
    key = page.context["form"]["cle"].initial
    response = client.post("/mediation/rendez-vous/", {
        "slot": slot.pk, "name": "Ahmed Belkacem", "phone": "0623456789", "channel": "telephone",
        "what": "Compte ameli", "consent": "on", "cle": key})  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    appointment = Appointment.objects.get()
    assert response["Location"] == appointment.get_absolute_url()
    assert appointment.booked_by == mediator and appointment.channel == "telephone"
    assert "Ahmed Belkacem" in client.get("/mediation/rendez-vous/").content.decode()
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(minutes=50))
    form = client.get(f"/mediation/noter/?rendez-vous={appointment.pk}")
    assert form.context["form"]["first_name"].initial == "Ahmed"
    assert form.context["form"]["duration"].initial == "45"
    client.post(f"/mediation/noter/?rendez-vous={appointment.pk}", {
        "kind": "individuel", "date": timezone.localdate().isoformat(), "duration": "45",
        "thematiques": ["social_sante"], "place_type": "lieu_activite",
        "age_band": "non_communique", "gender": "masculin",
        "social_status": "non_communique_ou_heterogene", "first_name": "Ahmed",
        "last_name": "Belkacem", "phone": "0623456789", "consent": "on"})  # fmt: skip
    appointment.refresh_from_db()
    assert appointment.status == "honore" and appointment.accompaniment is not None
    ics = client.get(f"/mediation/agendas/{mediator.pk}.ics").content.decode()
    assert "BEGIN:VEVENT" in ics and "Ahmed" in ics and "Belkacem" not in ics


def test_the_api_lists_free_slots_without_names_and_books_one(client, slot):
    listed = client.get("/api/v1/appointments/slots").json()
    assert [s["id"] for s in listed] == [slot.pk] and set(listed[0]) == {
        "id",
        "starts_at",
        "minutes",
        "place",
    }
    body = {"slot": slot.pk, "name": "Josiane", "phone": "0612345678", "consent": True}
    created = client.post("/api/v1/appointments", body, content_type="application/json")
    assert created.status_code == 201 and "/rendez-vous/" in created.json()["url"]
    assert client.get("/api/v1/appointments/slots").json() == []
    taken = client.post("/api/v1/appointments", body, content_type="application/json")
    assert taken.status_code == 409 and taken.json()["detail"]
    for wrong, field in (({"phone": "12"}, "phone"), ({"consent": False}, "consent"),
                         ({"slot": 999999}, "slot")):  # fmt: skip
        answer = client.post("/api/v1/appointments", body | wrong, content_type="application/json")
        assert answer.status_code == 422 and answer.json()["errors"][0]["loc"][-1] == field
    backwards = client.get("/api/v1/appointments/slots", {"from": "2026-12-10", "to": "2026-12-01"})
    assert backwards.status_code == 422


def test_two_openings_giving_the_same_time_publish_one_slot(mediator):
    monday = _christmas_week() + timedelta(days=14)
    for count in (2, 3):
        Opening.objects.create(mediator=mediator, weekday=1, start=time(9), minutes=30,
                               count=count, starts_on=monday)  # fmt: skip
    agenda.publish(today=monday, weeks=1)
    assert Slot.objects.count() == 3


def test_the_desk_books_from_one_mediateurs_free_slots_at_a_time(client, mediator, slot):
    other = UserFactory(role="animateur", first_name="Thomas")
    theirs = Slot.objects.create(mediator=other, minutes=30,
                                 starts_at=slot.starts_at + timedelta(hours=2))  # fmt: skip
    client.force_login(mediator)
    mine = client.get("/mediation/rendez-vous/").context["form"].fields["slot"].queryset
    assert list(mine) == [slot]
    page = client.get(f"/mediation/rendez-vous/?mediateur={other.pk}")
    assert list(page.context["form"].fields["slot"].queryset) == [theirs]
    assert client.get("/mediation/rendez-vous/?mediateur=nimporte").status_code == 200


def test_from_a_need_the_desk_books_for_its_requester_and_the_slip_shows_it(client, mediator, slot):
    from tests.factories import raise_test_need

    need = raise_test_need(name="Karim Haddad", phone="0623456789", consent=True)
    client.force_login(mediator)
    assert (
        f"/mediation/rendez-vous/?besoin={need.pk}"
        in client.get(need.get_absolute_url()).content.decode()
    )
    page = client.get(f"/mediation/rendez-vous/?besoin={need.pk}")
    form = page.context["form"]
    assert form["name"].initial == "Karim Haddad" and form["phone"].initial == need.requester_phone
    client.post(f"/mediation/rendez-vous/?mediateur={mediator.pk}&besoin={need.pk}", {
        "slot": slot.pk, "name": "Karim Haddad", "phone": "0623456789", "channel": "accueil",
        "consent": "on", "cle": form["cle"].initial})  # fmt: skip
    assert Appointment.objects.get().need == need
    import pypdfium2

    slip = pypdfium2.PdfDocument(client.get(f"/permanence/besoins/{need.pk}/fiche.pdf").content)
    text = slip[0].get_textpage().get_text_range()
    slip.close()
    assert (
        "Prochain rendez-vous" in text
        and timezone.localtime(slot.starts_at).strftime("%H:%M") in text
    )


def test_a_wrong_email_is_said_next_to_the_email(client, slot):
    page = client.post(f"/rendez-vous/creneaux/{slot.pk}/",
                       {"name": "Karim", "email": "pas-une-adresse", "consent": "on"})  # fmt: skip
    assert page.status_code == 400
    assert page.context["form"].errors["email"] == ["Adresse de courriel invalide."]


def test_who_came_is_erased_after_the_retention_delay_and_their_link_no_longer_opens(
    client, mediator, slot, settings
):
    appointment = _book(slot, what="Dossier CAF de Josiane")
    link = appointment.private_url()
    assert texts.TextMessage.objects.about(appointment).exists()
    later = slot.starts_at + timedelta(days=settings.NEEDS_RETENTION_DAYS - 1)
    assert agenda.erase_expired_appointments(now=later) == 0
    after = slot.starts_at + timedelta(days=settings.NEEDS_RETENTION_DAYS + 1)
    assert agenda.erase_expired_appointments(now=after) == 1
    appointment.refresh_from_db()
    assert (appointment.name, appointment.phone, appointment.what) == ("", "", "")
    assert appointment.status == "prevu" and appointment.slot == slot  # still counted
    assert not texts.TextMessage.objects.about(appointment).exists()
    assert client.get(link).status_code == 404
    client.force_login(mediator)
    page = client.get(appointment.get_absolute_url()).content.decode()
    assert "Personne effacée" in page and "Josiane" not in page
    assert agenda.erase_expired_appointments(now=after) == 0


def test_erasing_a_person_erases_the_appointment_that_became_their_accompaniment(mediator, slot):
    from maillage.mediation import services
    from maillage.mediation.models import Accompaniment, Beneficiary, Participation

    appointment = _book(slot)
    person = Beneficiary.objects.create(
        first_name="Josiane", last_name="Roux", phone="+33612345678", consent_at=timezone.now()
    )
    accompaniment = Accompaniment.objects.create(
        mediator=mediator, date=timezone.localdate(), duration=45, thematiques=["email"]
    )
    Participation.objects.create(accompaniment=accompaniment, beneficiary=person, first=True)
    Appointment.objects.filter(pk=appointment.pk).update(accompaniment=accompaniment)
    services.erase_person(person=person, by=mediator, why="request")
    appointment.refresh_from_db()
    assert appointment.contact_erased_at is not None and appointment.phone == ""


def test_the_appointment_page_shows_the_phone_as_people_read_it(client, mediator, slot):
    appointment = _book(slot)
    client.force_login(mediator)
    assert "06 12 34 56 78" in client.get(appointment.get_absolute_url()).content.decode()
