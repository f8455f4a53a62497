"""Pages of the mutualisation: the catalogue, offers, bookings and orientations. Views read
forms and call services; the rules live in `services`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import idempotency
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.core.params import day
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited
from maillage.needs.models import Need
from maillage.territory.models import Membership, Organisation, Person

from . import calendar, ledger, services
from .forms import BookingForm, CatalogueFilterForm, OfferForm, OrientForm, ReasonForm
from .models import Booking, Offer, Orientation

PAGE_SIZE = 20


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    form.is_valid()
    offers = form.filter(
        Offer.objects.listed()
        .select_related("organisation", "person", "dimension")
        .prefetch_related("thematiques")
        .defer("embedding")
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "mutualisation/catalogue.html#results" if request.htmx else "mutualisation/catalogue.html"
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def _offer_or_404(pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.listed()
        .select_related("organisation", "person", "place", "dimension")
        .prefetch_related("thematiques", "place__opening_periods"),
        pk=pk,
    )


def _offer_page(request: HttpRequest, offer: Offer, *, booking_form=None, status=200):
    user = request.user
    is_owner = services.may_answer_for(user, offer)
    may_book = offer.bookable and services.may_book(user, offer)
    context = {
        "offer": offer,
        "is_owner": is_owner,
        "may_book": may_book,
        "booking_form": booking_form
        or (BookingForm(user=user, initial=_slot_asked(request)) if may_book else None),
        "upcoming": offer.bookings.accepted().upcoming()[:10] if offer.bookable else [],
        "pending_bookings": offer.bookings.filter(status=Booking.Status.DEMANDEE).select_related(
            "requester"
        )
        if is_owner
        else [],
        "pending_orientations": offer.orientations.filter(
            status=Orientation.Status.PROPOSEE
        ).select_related("need")
        if is_owner
        else [],
        "journal": JournalEntry.objects.about(offer)[:15] if is_owner else [],
    }
    response = render(request, "mutualisation/offer.html", context, status=status)
    return idempotency.remember_browser(request, response)


def _slot_asked(request: HttpRequest) -> dict:
    """The slot a calendar's link asks for (?jour=…&de=…&a=…), what of it reads well."""
    fields = BookingForm.base_fields
    asked = {}
    for name, field in (("jour", "day"), ("de", "start"), ("a", "end")):
        try:
            asked[field] = fields[field].clean(request.GET.get(name, ""))
        except forms.ValidationError:
            continue
    return asked


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_page(request, _offer_or_404(pk))


def _owner_choices(user, wanted: str) -> list[tuple[str, str]]:
    """Whom USER may declare an offer for: themselves, the organisations they are référent of,
    and for the lab's team, the organisation WANTED (« organisation:12 », from its page)."""
    choices = []
    person = Person.objects.filter(user=user).first()
    if person is not None:
        name = _("Moi-même (%(name)s)") % {"name": person.full_name}
        choices.append((f"person:{person.pk}", name))
    mine = Q(memberships__person__user=user, memberships__role=Membership.Role.REFERENT)
    kind, _sep, pk = wanted.partition(":")
    if user.is_facilitator and kind == "organisation" and pk.isdigit() and len(pk) < 16:
        mine |= Q(pk=int(pk))
    organisations = Organisation.objects.active().filter(mine).distinct().only("pk", "name")
    return choices + [(f"organisation:{o.pk}", o.name) for o in organisations]


@login_required
@limited("offers")
def offer_create(request: HttpRequest) -> HttpResponse:
    owners = _owner_choices(request.user, request.GET.get("pour", ""))
    if not owners:
        messages.error(request, _("Pour proposer une offre, complétez d'abord votre profil."))
        return redirect("mutualisation:catalogue")
    initial = {"owner": request.GET.get("pour", ""), "kind": request.GET.get("nature", "")}
    form = OfferForm(request.POST or None, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.declare_offer(
                by=request.user, **form.owner_objects(), **form.offer_fields()
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Votre offre est enregistrée : merci de la partager."))
            return redirect(offer)
    return render(
        request, "mutualisation/offer_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    if not services.may_answer_for(request.user, offer):
        raise Http404
    owner = (
        f"organisation:{offer.organisation_id}"
        if offer.organisation_id
        else f"person:{offer.person_id}"
    )
    owners = [(owner, offer.owner_name)]
    form = OfferForm(request.POST or None, owners=owners, instance=offer, initial={"owner": owner})
    if request.method == "POST" and form.is_valid():
        offer.refresh_from_db()  # the form wrote into the instance; the service compares
        try:
            services.update_offer(offer=offer, by=request.user, **form.offer_fields())
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("L'offre est à jour."))
            return redirect(offer)
    context = {"form": form, "offer": offer}
    return render(
        request, "mutualisation/offer_form.html", context, status=400 if form.errors else 200
    )


OFFER_ACTIONS = {
    "confirmer": (services.confirm_offer, _("Merci : l'offre reste proposée.")),
    "retirer": (services.withdraw_offer, _("L'offre est retirée.")),
}


@login_required
@require_POST
def offer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    offer = _offer_or_404(pk)
    if action not in OFFER_ACTIONS:
        raise Http404
    run, done = OFFER_ACTIONS[action]
    try:
        offer = run(offer=offer, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, str(done))
    return redirect(
        offer if offer.status != Offer.Status.RETIREE else reverse("mutualisation:catalogue")
    )


@login_required
@require_POST
@limited("bookings")
def booking_request(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    form = BookingForm(request.POST, user=request.user)
    if form.is_valid():
        start, end = form.slot()

        def write() -> dict:
            booking = services.request_booking(
                offer=offer, by=request.user, start=start, end=end,
                organisation=form.cleaned_data["organisation"],
                purpose=form.cleaned_data["purpose"],
            )  # fmt: skip
            accepted = booking.status == Booking.Status.ACCEPTEE
            return {"url": booking.get_absolute_url(), "accepted": accepted}

        try:
            booked, _again = idempotency.form_once(request, form, write=write)
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            if booked["accepted"]:
                messages.success(request, _("C'est réservé."))
            else:
                messages.success(request, _("Votre demande est envoyée au porteur du moyen."))
            return redirect(booked["url"])
    return _offer_page(request, offer, booking_form=form, status=400)


def _booking_or_404(request: HttpRequest, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("offer", "requester", "organisation"), pk=pk
    )
    user = request.user
    if booking.requester_id != user.pk and not services.may_answer_for(user, booking.offer):
        raise Http404
    return booking


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking_or_404(request, pk)
    context = {
        "booking": booking,
        "is_owner": services.may_answer_for(request.user, booking.offer),
        "form": ReasonForm(),
    }
    return render(request, "mutualisation/booking.html", context)


@login_required
@require_POST
def booking_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    booking = _booking_or_404(request, pk)
    form = ReasonForm(request.POST)
    if action not in ("accepter", "refuser", "annuler") or not form.is_valid():
        raise Http404
    try:
        if action == "annuler":
            services.cancel_booking(booking=booking, by=request.user)
        else:
            services.decide_booking(
                booking=booking, by=request.user, accept=action == "accepter",
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("C'est fait."))
    return redirect(booking)


def _orientation_or_404(request: HttpRequest, pk: int) -> Orientation:
    orientation = get_object_or_404(
        Orientation.objects.select_related("offer", "need", "need__thematique"), pk=pk
    )
    if not services.may_answer_for(request.user, orientation.offer):
        raise Http404
    return orientation


@login_required
def orientation_detail(request: HttpRequest, pk: int, form=None) -> HttpResponse:
    orientation = _orientation_or_404(request, pk)
    context = {"orientation": orientation, "form": form or ReasonForm()}
    return render(request, "mutualisation/orientation.html", context, status=400 if form else 200)


@login_required
@require_POST
def orientation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    orientation = _orientation_or_404(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.answer_orientation(
                orientation=orientation, by=request.user, accept="accepter" in request.POST,
                reason=form.cleaned_data["reason"], hours=form.cleaned_data["hours"],
            )  # fmt: skip
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Merci pour votre réponse."))
            return redirect("mutualisation:inbox")
    return orientation_detail(request, pk, form=form)


@facilitator_required
@require_POST
def orient(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=pk)
    form = OrientForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cette offre n'est plus proposée."))
        return redirect(need)
    try:
        services.orient(need=need, by=request.user, **form.cleaned_data)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Le besoin est orienté ; le porteur de l'offre est prévenu."))
    return redirect(need)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for the user's answer, and their own bookings."""
    mine = Offer.objects.owned_by(request.user).values("pk")
    context = {
        "orientations": Orientation.objects.filter(
            offer__in=mine, status=Orientation.Status.PROPOSEE
        ).select_related("offer", "need"),
        "requests": Booking.objects.filter(
            offer__in=mine, status=Booking.Status.DEMANDEE
        ).select_related("offer", "requester"),
        "bookings": request.user.bookings.filter(end__gt=timezone.now())
        .exclude(status=Booking.Status.ANNULEE)
        .select_related("offer"),
        "offers": Offer.objects.owned_by(request.user).listed().defer("embedding"),
    }
    return render(request, "mutualisation/inbox.html", context)


def offer_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    if not offer.bookable:
        raise Http404
    week = calendar.week(offer, day(request.GET.get("semaine")) or timezone.localdate())
    return render(request, "mutualisation/calendar.html", {"offer": offer, "week": week})


def offer_ics(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_or_404(pk)
    if not offer.bookable:
        raise Http404
    body = calendar.ics(
        offer, request.build_absolute_uri(offer.get_absolute_url()), request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="maillage-{offer.pk}.ics"'
    return response


def ledger_page(request: HttpRequest) -> HttpResponse:
    context = {"dimensions": ledger.by_dimension(), "givers": ledger.top_givers()}
    return render(request, "mutualisation/ledger.html", context)
