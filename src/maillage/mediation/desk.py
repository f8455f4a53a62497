"""The desk's side of the appointments: the agenda of the coming days, a booking for a caller
in a few keystrokes, kept or missed, and each médiateur's agenda as iCalendar."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.core import idempotency
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry, User
from maillage.core.permissions import facilitator_required

from . import agenda
from .booking import BookingForm, book_from, days_of
from .models import Appointment, Slot
from .views import need_asked

AGENDA_DAYS = 14


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
        today = timezone.localdate()
        # One médiateur's free slots of the coming two weeks: a few dozen to choose from.
        self.fields["slot"].queryset = (
            agenda.free_slots(today, today + timedelta(days=AGENDA_DAYS))
            .filter(mediator=mediator)
            .select_related("mediator")
        )
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


@facilitator_required
def agenda_page(request: HttpRequest) -> HttpResponse:
    mediators = _mediators()
    asked = request.GET.get("mediateur", "")
    mediator = next((m for m in mediators if str(m.pk) == asked), None) or next(
        (m for m in mediators if m == request.user), mediators[0] if mediators else request.user
    )
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
    now = timezone.now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    coming = (
        Appointment.objects.holding()
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=now + timedelta(days=AGENDA_DAYS))
        .select_related("slot", "slot__mediator", "slot__place")
    )
    if request.GET.get("mine"):
        coming = coming.filter(slot__mediator=request.user)
    context = {"form": form, "days": days_of_appointments(coming[:300]), "now": now,
               "mediators": mediators, "mediator": mediator, "need": need}  # fmt: skip
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
    context = {"appointment": found, "when": timezone.localtime(found.slot.starts_at),
               "started": found.slot.starts_at <= timezone.now(),
               "journal": JournalEntry.objects.about(found).order_by("at", "pk")}  # fmt: skip
    return render(request, "mediation/appointment.html", context)


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
