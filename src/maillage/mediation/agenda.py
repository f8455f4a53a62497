"""The permanence's agenda: slots published from the weekly openings, appointments booked,
moved, cancelled, kept or missed, each change in the appointment's journal; confirmations and
reminders by e-mail, or by SMS for people without one."""

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event

from maillage.core import outbox, texts
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.needs.models import Need

from .models import Absence, Appointment, Opening, Slot
from .models.appointments import appointment_token

VERB_LABELS.update(
    {
        "appointment-booked": gettext_lazy("Rendez-vous pris"),
        "appointment-moved": gettext_lazy("Rendez-vous déplacé"),
        "appointment-cancelled": gettext_lazy("Rendez-vous annulé"),
        "appointment-kept": gettext_lazy("Venu au rendez-vous"),
        "appointment-missed": gettext_lazy("Pas venu au rendez-vous"),
        "appointment-reminded": gettext_lazy("Rappel envoyé"),
        "appointment-erased": gettext_lazy("Nom et coordonnées effacés"),
        "opening-added": gettext_lazy("Permanence ajoutée"),
        "opening-closed": gettext_lazy("Permanence fermée"),
        "absence-declared": gettext_lazy("Absence déclarée"),
        "absence-withdrawn": gettext_lazy("Absence retirée"),
    }
)
PUBLISHED_WEEKS = 8  # how far ahead the slots are published
Status = Appointment.Status


# The field each of `book`'s refusals (by its code) is about, for the forms and the API.
REFUSED_FIELDS = {"name": "name", "consent": "consent", "phone": "phone", "email": "email",
                  "contact": "phone"}  # fmt: skip


class SlotTaken(DomainError):
    status = 409

    def __init__(self):
        super().__init__(_("Ce créneau vient d'être pris : choisissez-en un autre."),
                         code="slot-taken")  # fmt: skip


def _at(day: date, opening: Opening, n: int) -> datetime:
    start = datetime.combine(day, opening.start, tzinfo=timezone.get_current_timezone())
    return start + timedelta(minutes=opening.minutes * n)


@transaction.atomic
def publish(*, today: date | None = None, weeks: int = PUBLISHED_WEEKS) -> dict[str, int]:
    """Publish the slots of the coming WEEKS from the openings, leaving out French public
    holidays and the médiateurs' absences; take back the free slots an absence or a closed
    opening now covers (a booked one stays: the desk moves it). Run again, it adds nothing."""
    today = today or timezone.localdate()
    until = today + timedelta(weeks=weeks)
    closed = holidays.France(years=range(today.year, until.year + 1))
    away = {}
    for absence in Absence.objects.filter(end__gte=today, start__lte=until):
        away.setdefault(absence.mediator_id, []).append((absence.start, absence.end))
    wanted: dict[tuple[int, datetime], Opening] = {}  # two openings may give one time: once
    for opening in Opening.objects.filter(archived_at__isnull=True, starts_on__lte=until):
        day = max(today, opening.starts_on)
        day += timedelta(days=(opening.weekday - day.weekday()) % 7)
        while day <= until and (opening.ends_on is None or day <= opening.ends_on):
            absent = any(start <= day <= end for start, end in away.get(opening.mediator_id, []))
            if day not in closed and not absent:
                for n in range(opening.count):
                    wanted.setdefault((opening.mediator_id, _at(day, opening, n)), opening)
            day += timedelta(days=7)
    now = timezone.now()
    future = Slot.objects.filter(starts_at__gt=now, starts_at__lt=_end_of(until))
    known = {(s.mediator_id, s.starts_at): s for s in future}
    created = 0
    for (mediator, starts_at), opening in wanted.items():
        slot = known.get((mediator, starts_at))
        if slot is None:
            if starts_at > now:
                Slot.objects.create(mediator_id=mediator, starts_at=starts_at, opening=opening,
                                    minutes=opening.minutes, place=opening.place)  # fmt: skip
                created += 1
        elif slot.withdrawn_at is not None:
            Slot.objects.filter(pk=slot.pk).update(withdrawn_at=None)
    stale = [s.pk for s in known.values() if s.opening_id and s.withdrawn_at is None
             and (s.mediator_id, s.starts_at) not in wanted]  # fmt: skip
    withdrawn = (
        Slot.objects.filter(pk__in=stale)
        .exclude(pk__in=Appointment.objects.holding().values("slot"))
        .update(withdrawn_at=now)
    )
    return {"created": created, "withdrawn": withdrawn}


@transaction.atomic
def add_opening(*, opening: Opening, by: User) -> dict[str, int]:
    """A new weekly opening: its slots are published at once."""
    opening.save()
    record(opening, "opening-added", actor=by)
    return publish()


@transaction.atomic
def close_opening(*, opening: Opening, by: User) -> dict[str, int]:
    """No more slots from OPENING: its free ones are taken back, its booked ones stay to be
    moved (see `to_move`)."""
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.archived_at is not None:
        raise DomainError(_("Cette permanence est déjà fermée."), code="closed")
    opening.archived_at = timezone.now()
    opening.save(update_fields=["archived_at"])
    record(opening, "opening-closed", actor=by)
    return publish()


@transaction.atomic
def declare_absence(*, absence: Absence, by: User) -> dict[str, int]:
    absence.save()
    record(absence, "absence-declared", actor=by)
    return publish()


@transaction.atomic
def withdraw_absence(*, absence: Absence, by: User) -> dict[str, int]:
    """The médiateur is there after all: the slots come back (the journal keeps the entry)."""
    record(absence, "absence-withdrawn", actor=by, mediator=absence.mediator_id,
           start=absence.start.isoformat(), end=absence.end.isoformat())  # fmt: skip
    absence.delete()
    return publish()


def to_move():
    """The appointments still to come that an absence or a closed opening now covers: the desk
    moves them, or tells the person."""
    away = Absence.objects.filter(mediator=OuterRef("slot__mediator"), start__lte=OuterRef("day"),
                                  end__gte=OuterRef("day"))  # fmt: skip
    closed = Q(slot__opening__archived_at__isnull=False) | Q(slot__opening__ends_on__lt=F("day"))
    return (
        Appointment.objects.filter(status=Status.PREVU, slot__starts_at__gt=timezone.now())
        .annotate(day=TruncDate("slot__starts_at"))
        .filter(Exists(away) | closed)
        .select_related("slot", "slot__mediator")
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(),
                            tzinfo=timezone.get_current_timezone())  # fmt: skip


def free_slots(start: date, end: date):
    """The free slots from START to END (both days included), soonest first."""
    begin = datetime.combine(start, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    return (Slot.objects.free().filter(starts_at__gte=begin, starts_at__lt=_end_of(end))
            .select_related("place").order_by("starts_at", "pk"))  # fmt: skip


def _contact(phone: str, email: str) -> tuple[str, str]:
    phone = texts.number(phone) if phone.strip() else ""
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise DomainError(_("Adresse de courriel invalide."), code="email",
                              status=422) from error  # fmt: skip
    if not (phone or email):
        raise DomainError(_("Donnez un numéro de téléphone ou une adresse de courriel, pour "
                            "confirmer et rappeler le rendez-vous."), code="contact",
                          status=422)  # fmt: skip
    return phone, email


def _tell(appointment: Appointment, template: str, subject: str, *, key: str) -> None:
    """By e-mail if there is one, else by SMS (a number that said stop is not written to)."""
    context = {"appointment": appointment, "SITE_URL": settings.SITE_URL,
               "when": timezone.localtime(appointment.slot.starts_at)}  # fmt: skip
    if appointment.email:
        body = render_to_string(f"mediation/emails/{template}.txt", context)
        outbox.send(to=appointment.email, subject=subject, body=body, about=appointment, key=key)
    elif appointment.phone:
        with contextlib.suppress(texts.OptedOut):
            texts.send(to=appointment.phone, about=appointment, key=key,
                       body=render_to_string(f"mediation/sms/{template}.txt", context))  # fmt: skip


def _locked_free(slot: Slot) -> Slot:
    # Only the slot's own row is locked: PostgreSQL locks no row of an outer join (the place).
    slot = Slot.objects.select_for_update(of=("self",)).select_related("place").get(pk=slot.pk)
    if slot.withdrawn_at is not None or slot.starts_at <= timezone.now():
        raise DomainError(_("Ce créneau n'est plus proposé : choisissez-en un autre."),
                          code="slot-gone")  # fmt: skip
    return slot


@transaction.atomic
def book(*, slot: Slot, name: str, phone: str = "", email: str = "", consent: bool,
         what: str = "", channel: str = Appointment.Channel.EN_LIGNE, by: User | None = None,
         need: Need | None = None) -> Appointment:  # fmt: skip
    """Book SLOT for someone; confirmed to them at once. Two people never hold one slot: the
    database refuses the second (SlotTaken)."""
    name = " ".join(name.split())[:120]
    if not name:
        raise DomainError(_("Donnez un nom : c'est ce que le médiateur appellera."),
                          code="name", status=422)  # fmt: skip
    if not consent:
        raise DomainError(_("Sans votre accord, le laboratoire ne peut pas garder vos "
                            "coordonnées pour confirmer le rendez-vous."), code="consent",
                          status=422)  # fmt: skip
    phone, email = _contact(phone, email)
    slot = _locked_free(slot)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                slot=slot, name=name, phone=phone, email=email, what=what.strip()[:300],
                consent_at=timezone.now(), channel=channel, need=need,
                booked_by=by if by is not None and by.is_authenticated else None,
            )  # fmt: skip
    except IntegrityError as taken:
        raise SlotTaken() from taken
    record(appointment, "appointment-booked", actor=by, channel=channel)
    _tell(appointment, "confirmed", _("Votre rendez-vous à la permanence"),
          key=f"appointment-confirmed:{appointment.pk}:{slot.pk}")  # fmt: skip
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__place")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def move(*, appointment: Appointment, to: Slot, by: User | None = None) -> Appointment:
    appointment = _locked(appointment)
    if appointment.status != Status.PREVU or appointment.slot.starts_at <= timezone.now():
        raise DomainError(_("Ce rendez-vous ne peut plus être déplacé."), code="not-movable")
    to = _locked_free(to)
    before = appointment.slot
    appointment.slot, appointment.reminded_at = to, None
    try:
        with transaction.atomic():
            appointment.save(update_fields=["slot", "reminded_at"])
    except IntegrityError as taken:
        raise SlotTaken() from taken
    record(appointment, "appointment-moved", actor=by, before=before.starts_at.isoformat())
    _tell(appointment, "confirmed", _("Votre rendez-vous est déplacé"),
          key=f"appointment-confirmed:{appointment.pk}:{to.pk}")  # fmt: skip
    return appointment


@transaction.atomic
def cancel(*, appointment: Appointment, by: User | None = None) -> Appointment:
    """Free the slot for someone else; the appointment stays, cancelled, in the journal."""
    appointment = _locked(appointment)
    if appointment.status != Status.PREVU:
        raise DomainError(_("Ce rendez-vous n'est plus prévu."), code="not-planned")
    appointment.status = Status.ANNULE
    appointment.save(update_fields=["status"])
    record(appointment, "appointment-cancelled", actor=by, by_person=by is None)
    return appointment


@transaction.atomic
def mark(*, appointment: Appointment, kept: bool, by: User) -> Appointment:
    """The person came, or did not (a no-show): said once the appointment has begun."""
    appointment = _locked(appointment)
    if appointment.status == Status.ANNULE:
        raise DomainError(_("Ce rendez-vous est annulé."), code="cancelled")
    if appointment.slot.starts_at > timezone.now():
        raise DomainError(_("Le rendez-vous n'a pas encore commencé."), code="not-yet")
    appointment.status = Status.HONORE if kept else Status.ABSENT
    appointment.save(update_fields=["status"])
    record(appointment, "appointment-kept" if kept else "appointment-missed", actor=by)
    return appointment


@transaction.atomic
def attach(*, appointment: Appointment, accompaniment, by: User) -> Appointment:
    """The appointment happened: it is the accompaniment noted for it (and so, kept)."""
    appointment = _locked(appointment)
    if appointment.accompaniment_id is not None:
        raise DomainError(_("Un accompagnement est déjà noté pour ce rendez-vous."),
                          code="already-noted")  # fmt: skip
    appointment.accompaniment = accompaniment
    kept = appointment.status == Status.PREVU
    if kept:
        appointment.status = Status.HONORE
    appointment.save(update_fields=["accompaniment", "status"])
    if kept:
        record(appointment, "appointment-kept", actor=by)
    return appointment


def remind_tomorrow(*, today: date | None = None) -> int:
    """The day before: a reminder to each person expected tomorrow (by SMS in the daytime
    only: one written at night waits for the morning)."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    expected = Appointment.objects.filter(
        status=Status.PREVU, reminded_at__isnull=True,
        slot__starts_at__gte=_end_of(today), slot__starts_at__lt=_end_of(tomorrow),
    ).select_related("slot", "slot__place")  # fmt: skip
    sent = 0
    for appointment in expected:
        with transaction.atomic():
            _tell(appointment, "reminder", _("Rappel : votre rendez-vous demain"),
                  key=f"appointment-reminder:{appointment.pk}:{appointment.slot_id}")  # fmt: skip
            Appointment.objects.filter(pk=appointment.pk).update(reminded_at=timezone.now())
            record(appointment, "appointment-reminded")
        sent += 1
    return sent


@transaction.atomic
def erase_appointment(*, appointment: Appointment, by: User | None, why: str) -> Appointment:
    """Erase who came (name, contact, what for) and the messages sent to them; the
    appointment stays, for the counts. Its private link no longer opens."""
    appointment = _locked(appointment)
    if appointment.contact_erased_at is None:
        appointment.name = appointment.phone = appointment.email = appointment.what = ""
        appointment.token, appointment.contact_erased_at = appointment_token(), timezone.now()
        appointment.save(update_fields=["name", "phone", "email", "what", "token",
                                        "contact_erased_at"])  # fmt: skip
        outbox.forget(appointment)
        texts.forget(appointment)
        record(appointment, "appointment-erased", actor=by, why=why)
    return appointment


def erase_expired_appointments(*, now: datetime | None = None) -> int:
    """The permanence's retention rule: who came goes NEEDS_RETENTION_DAYS after the
    appointment's time."""
    limit = (now or timezone.now()) - timedelta(days=settings.NEEDS_RETENTION_DAYS)
    expired = Appointment.objects.filter(contact_erased_at__isnull=True,
                                         slot__starts_at__lt=limit)  # fmt: skip
    erased = 0
    for appointment in expired.iterator(chunk_size=500):
        erase_appointment(appointment=appointment, by=None, why="retention")
        erased += 1
    return erased


def appointment_events(mediator: User, host: str, *, since) -> Iterator[Event]:
    """The médiateur's appointments since SINCE as calendar events (the person's first name
    only: a calendar leaves the lab's walls)."""
    for appointment in Appointment.objects.holding().filter(
        slot__mediator=mediator, slot__starts_at__gte=since
    ).select_related("slot", "slot__place"):  # fmt: skip
        slot = appointment.slot
        event = Event()
        event.add("uid", f"rendez-vous-{appointment.pk}@{host}")
        event.add("dtstart", slot.starts_at)
        event.add("dtend", slot.starts_at + timedelta(minutes=slot.minutes))
        first_name = (appointment.name.split() or [_("personne effacée")])[0]
        event.add("summary", _("Rendez-vous : %(name)s") % {"name": first_name})
        if slot.place:
            event.add("location", slot.place.name)
        yield event


def ics(mediator: User, host: str) -> bytes:
    """The médiateur's agenda as iCalendar: their appointments of the last month and to come."""
    calendar = Calendar()
    calendar.add("prodid", "-//Maillage//Permanence//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Rendez-vous de %(name)s") % {"name": mediator})
    for event in appointment_events(mediator, host, since=timezone.now() - timedelta(days=30)):
        calendar.add_component(event)
    return calendar.to_ical()
