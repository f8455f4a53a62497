"""The desk's side of the appointments: the agenda of the coming days, a booking for a caller
in a few keystrokes, kept or missed, and each médiateur's agenda as iCalendar."""

from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.core import idempotency, params
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry, User
from maillage.core.permissions import facilitator_required

from . import agenda
from .booking import BookingForm, book_from, days_of
from .models import Appointment, Slot
from .views import need_asked

AGENDA_DAYS = 14  # how far ahead the desk books
LISTED_DAYS = 7  # the agenda shows a week at a time…
LISTED_MOST = 100  # …or the whole days of its first hundred appointments, if they are more


def _whole_days(appointments: list, until: date) -> tuple[list, date]:
    """APPOINTMENTS (soonest first, one more than shown) cut after the last whole day, and the
    day the next page starts."""
    if len(appointments) <= LISTED_MOST:
        return appointments, until
    cut = timezone.localtime(appointments[-1].slot.starts_at).date()
    whole = [a for a in appointments if timezone.localtime(a.slot.starts_at).date() < cut]
    if not whole:  # a hundred on one day: that day, as far as it goes
        return appointments[:LISTED_MOST], cut + timedelta(days=1)
    return whole, cut


def _first_day(request: HttpRequest) -> date:
    """The agenda's first day: ?du=, within a year of today, else today."""
    today = timezone.localdate()
    asked = params.day(request.GET.get("du"))
    return asked if asked and abs((asked - today).days) <= 366 else today


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot: Slot) -> str:
        when = timezone.localtime(slot.starts_at)
        return f"{when:%d/%m %H:%M} — {slot.mediator}"


class DeskBookingForm(BookingForm):
    slot = SlotChoiceField(label=gettext_lazy("Créneau"), queryset=Slot.objects.none())
    channel = forms.ChoiceField(
        label=gettext_lazy("Pris"), initial=Appointment.Channel.TELEPHONE,
        choices=[(c.value, c.label) for c in Appointment.Channel
                 if c != Appointment.Channel.EN_LIGNE],
    )  # fmt: skip
    field_order = ["slot", "name", "phone", "email", "what", "channel", "consent"]

    def __init__(self, *args, mediator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = _free_slots_of(mediator)
        # The desk speaks of the person, not to them.
        self.fields["name"].label = _("Nom de la personne")
        self.fields["phone"].label = _("Son téléphone portable (SMS)")
        self.fields["phone"].help_text = ""
        self.fields["email"].label = _("Ou son courriel")
        self.fields["what"].help_text = ""
        self.fields["what"].label = _("Pour quelle démarche (facultatif)")
        self.fields["consent"].label = _("La personne accepte que le laboratoire garde son "
                                         "nom et son numéro pour ce rendez-vous.")  # fmt: skip


def _mediators() -> list[User]:
    """Those who hold the permanence: whoever has slots to come."""
    with_slots = Slot.objects.free().values("mediator")
    return list(User.objects.filter(pk__in=with_slots).order_by("first_name", "last_name"))


def _chosen(request: HttpRequest, mediators: list[User], default: User) -> User:
    """The médiateur whose free slots are offered: ?mediateur=, else DEFAULT if they hold
    the permanence, else the first who does."""
    asked = request.GET.get("mediateur", "")
    return next((m for m in mediators if str(m.pk) == asked), None) or next(
        (m for m in mediators if m == default), mediators[0] if mediators else default
    )


def _free_slots_of(mediator: User):
    today = timezone.localdate()
    # One médiateur's free slots of the coming two weeks: a few dozen to choose from.
    return (agenda.free_slots(today, today + timedelta(days=AGENDA_DAYS))
            .filter(mediator=mediator).select_related("mediator"))  # fmt: skip


class MoveForm(forms.Form):
    slot = SlotChoiceField(label=gettext_lazy("Nouveau créneau"), queryset=Slot.objects.none())

    def __init__(self, *args, mediator: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = _free_slots_of(mediator)


@facilitator_required
def agenda_page(request: HttpRequest) -> HttpResponse:
    mediators = _mediators()
    mediator = _chosen(request, mediators, request.user)
    need = need_asked(request)
    initial = {}
    if need is not None and need.consent_at and not need.contact_erased_at:
        initial = {"name": need.requester_name, "phone": need.requester_phone,
                   "email": need.requester_email, "what": need.display_title}  # fmt: skip
    form = DeskBookingForm(request.POST or None, mediator=mediator, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = book_from(request, form, slot=data["slot"], url=Appointment.get_absolute_url,
                        channel=data["channel"], need=need)  # fmt: skip
        if url:
            messages.success(request, _("Le rendez-vous est pris et confirmé à la personne."))
            return redirect(url)
    first = _first_day(request)
    start = datetime.combine(first, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    coming = (
        Appointment.objects.holding()
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=start + timedelta(days=LISTED_DAYS))
        .select_related("slot", "slot__mediator")
    )
    mine = bool(request.GET.get("mine"))
    if mine:
        coming = coming.filter(slot__mediator=request.user)
    shown, until = _whole_days(list(coming[: LISTED_MOST + 1]), first + timedelta(LISTED_DAYS))
    context = {"form": form, "days": days_of_appointments(shown), "mine": mine,
               "mediators": mediators, "mediator": mediator, "need": need, "first": first,
               "before": first - timedelta(days=LISTED_DAYS), "last": until - timedelta(1),
               "after": until, "cut": until < first + timedelta(LISTED_DAYS)}  # fmt: skip
    response = render(request, "mediation/agenda.html", context,
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


def days_of_appointments(appointments) -> list[tuple]:
    slots = []
    for appointment in appointments:
        appointment.slot.appointment = appointment
        slots.append(appointment.slot)
    return days_of(slots)


def _appointment_or_404(pk: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("slot", "slot__mediator", "slot__place", "need",
                                           "accompaniment"), pk=pk,
    )  # fmt: skip


@facilitator_required
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _appointment_or_404(pk)
    started = found.slot.starts_at <= timezone.now()
    context = {"appointment": found, "when": timezone.localtime(found.slot.starts_at),
               "started": started,
               "journal": JournalEntry.objects.about(found).order_by("at", "pk")}  # fmt: skip
    if found.status == Appointment.Status.PREVU and not started:
        mediators = _mediators()
        mediator = _chosen(request, mediators, found.slot.mediator)
        context |= {"mediators": mediators, "mediator": mediator,
                    "move_form": MoveForm(mediator=mediator)}  # fmt: skip
    return render(request, "mediation/appointment.html", context)


@facilitator_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk moves an appointment (an absence, a call from the person); they are told."""
    found = _appointment_or_404(pk)
    asked = params.record_id(request.POST.get("slot"))
    to = Slot.objects.free().filter(pk=asked).first() if asked else None
    if to is None:
        messages.error(request, _("Ce créneau n'est plus libre : choisissez-en un autre."))
        return redirect(found)
    try:
        agenda.move(appointment=found, to=to, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Le rendez-vous est déplacé ; la personne est prévenue."))
    return redirect(found)


ACTIONS = {
    "venu": (lambda a, user: agenda.mark(appointment=a, kept=True, by=user),
             gettext_lazy("C'est noté : la personne est venue.")),
    "absent": (lambda a, user: agenda.mark(appointment=a, kept=False, by=user),
               gettext_lazy("C'est noté : la personne n'est pas venue.")),
    "annuler": (lambda a, user: agenda.cancel(appointment=a, by=user),
                gettext_lazy("Le rendez-vous est annulé : le créneau est libre.")),
}  # fmt: skip


@facilitator_required
@require_POST
def appointment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = _appointment_or_404(pk)
    if action not in ACTIONS:
        raise Http404
    run, done = ACTIONS[action]
    try:
        run(found, request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, str(done))
    return redirect(found)


@facilitator_required
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = get_object_or_404(User, pk=pk, is_active=True)
    response = HttpResponse(agenda.ics(mediator, request.get_host()),
                            content_type="text/calendar; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{mediator.pk}.ics"'
    return response
