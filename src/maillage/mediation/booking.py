"""Booking an appointment at the permanence, without an account, in three steps on a phone: a
time among the free slots, a name and a way to reach you, then the confirmation with a private
link to cancel or move it. Works without JavaScript."""

from datetime import timedelta
from itertools import groupby

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
from maillage.core.idempotency import SentOnceForm
from maillage.core.ratelimit import limited

from . import agenda
from .models import Appointment, Slot

SHOWN_DAYS = 21


class BookingForm(SentOnceForm):
    name = forms.CharField(label=gettext_lazy("Votre nom"), max_length=120)
    phone = forms.CharField(
        label=gettext_lazy("Votre numéro de téléphone portable"), max_length=30, required=False,
        help_text=gettext_lazy("Pour recevoir la confirmation et un rappel la veille, par SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    email = forms.CharField(
        label=gettext_lazy("Ou votre adresse de courriel"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    what = forms.CharField(
        label=gettext_lazy("Pour quelle démarche ? (facultatif)"), max_length=300,
        required=False, help_text=gettext_lazy("Par exemple : ma déclaration de revenus."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=gettext_lazy("J'accepte que le laboratoire garde mon nom et mon numéro (ou mon "
                           "courriel) pour ce rendez-vous."),
    )  # fmt: skip


def days_of(slots) -> list[tuple]:
    """SLOTS grouped by their day, as the page lists them."""
    local = [(timezone.localtime(s.starts_at), s) for s in slots]
    return [(day, [s for _when, s in group])
            for day, group in groupby(local, key=lambda pair: pair[0].date())]  # fmt: skip


def choose(request: HttpRequest) -> HttpResponse:
    """Step 1: the free times of the coming weeks, day by day."""
    today = timezone.localdate()
    slots = agenda.free_slots(today, today + timedelta(days=SHOWN_DAYS))[:200]
    return render(request, "mediation/booking/choose.html", {"days": days_of(slots)})


def _free_or_404(pk: int) -> Slot:
    return get_object_or_404(Slot.objects.free().select_related("place"), pk=pk)


def book_from(request: HttpRequest, form: BookingForm, *, slot: Slot, url, **more) -> str | None:
    """Book SLOT as the valid FORM says, once for its key; the address to go to next (URL of
    the appointment), or None with the refusal put on the form."""
    data = form.cleaned_data

    def write() -> dict:
        done = agenda.book(slot=slot, name=data["name"], phone=data["phone"],
                           email=data["email"], what=data["what"], consent=data["consent"],
                           by=request.user, **more)  # fmt: skip
        return {"url": url(done)}

    try:
        answer, _again = idempotency.form_once(request, form, write=write)
    except DomainError as refused:
        form.add_error(agenda.REFUSED_FIELDS.get(refused.code) if refused.status == 422 else None,
                       refused.message)  # fmt: skip
        return None
    return answer["url"]


@limited("appointments")
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: who comes, and how to reach them."""
    slot = get_object_or_404(Slot.objects.published().select_related("place"), pk=pk)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if url := book_from(request, form, slot=slot, url=Appointment.private_url):
            messages.success(request, _("Votre rendez-vous est pris."))
            return redirect(url)
    elif request.method != "POST" and not Slot.objects.free().filter(pk=slot.pk).exists():
        messages.error(request, _("Ce créneau vient d'être pris : choisissez-en un autre."))
        return redirect("mediation:book-choose")
    response = render(request, "mediation/booking/book.html", {"form": form, "slot": slot},
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


def _mine_or_404(token: str) -> Appointment:
    return get_object_or_404(
        Appointment.objects.select_related("slot", "slot__place"), token=token[:64]
    )


@limited("requester")
def mine(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3, and the person's private page after: the appointment, to cancel or move."""
    appointment = _mine_or_404(token)
    others = []
    if appointment.status == Appointment.Status.PREVU:
        today = timezone.localdate()
        others = days_of(agenda.free_slots(today, today + timedelta(days=SHOWN_DAYS))[:60])
    context = {"appointment": appointment, "days": others,
               "when": timezone.localtime(appointment.slot.starts_at)}  # fmt: skip
    return render(request, "mediation/booking/mine.html", context)


@require_POST
@limited("requester")
def change(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _mine_or_404(token)
    try:
        if request.POST.get("action") == "cancel":
            agenda.cancel(appointment=appointment)
            messages.success(request, _("Votre rendez-vous est annulé. Merci de nous avoir "
                                        "prévenus."))  # fmt: skip
        elif pk := params.record_id(request.POST.get("slot")):
            agenda.move(appointment=appointment, to=_free_or_404(pk))
            messages.success(request, _("Votre rendez-vous est déplacé."))
        else:
            raise Http404
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect(appointment.private_url())
