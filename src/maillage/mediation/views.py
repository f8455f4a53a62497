"""Pages of the médiation numérique, for the lab's team only: note an accompaniment, list them,
a person's history, the funders' spreadsheet. Views read forms and call services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import idempotency, uploads
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.core.permissions import facilitator_required
from maillage.core.text import search_terms
from maillage.needs.models import Need

from . import agenda, coop, imports, services
from .forms import (
    COMMUNES,
    FORM_FIELDS,
    AccompanimentFilterForm,
    AccompanimentForm,
    ImportPeopleForm,
)
from .models import Accompaniment, Appointment, Beneficiary, Participation
from .vocabulary import DURATION_PRESETS, Kind

PAGE_SIZE = 30
DURATIONS = {str(minutes) for minutes in DURATION_PRESETS}


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 16 else None


def need_asked(request: HttpRequest) -> Need | None:
    """The need a page was opened for (`?besoin=`), if it exists."""
    pk = _number(request.GET.get("besoin"))
    return Need.objects.filter(pk=pk).first() if pk else None


OFFERED = 40  # the known people a form offers: a workshop's room at most


def _people_offered(request: HttpRequest, need: Need | None) -> list[Beneficiary]:
    """Whom the form offers: the people asked for (from their page, or ticked in the list for
    a collective workshop), and those already accompanied for the need."""
    found = Beneficiary.objects.active()
    asked = [n for n in map(_number, request.GET.getlist("personne")[:OFFERED]) if n]
    wanted = Q(pk__in=asked)
    if need is not None:
        wanted |= Q(participations__accompaniment__need=need)
    offered = {p.pk: p for p in found.filter(wanted).distinct()[:OFFERED]}
    return sorted(offered.values(), key=lambda p: (p.pk not in asked, p.display_name))


def _appointment_asked(request: HttpRequest) -> Appointment | None:
    pk = _number(request.GET.get("rendez-vous"))
    found = Appointment.objects.holding().filter(pk=pk, accompaniment__isnull=True)
    return found.select_related("slot", "need").first() if pk else None


def _initial(request: HttpRequest, need: Need | None, people: list,
             appointment: Appointment | None = None) -> dict:  # fmt: skip
    initial = {"date": timezone.localdate()}
    if appointment is not None:  # what the appointment already says
        first, _sep, last = appointment.name.partition(" ")
        minutes = appointment.slot.minutes
        preset = str(minutes) in DURATIONS
        initial.update(
            date=timezone.localdate(appointment.slot.starts_at), details=appointment.what,
            duration=str(minutes) if preset else "autre",
            other_minutes=None if preset else minutes,
        )  # fmt: skip
        if people:
            initial["person"] = str(people[0].pk)
        else:
            initial.update(first_name=first, last_name=last, phone=appointment.phone,
                           email=appointment.email, consent=True)  # fmt: skip
        return initial
    if request.GET.get("type") == Kind.COLLECTIF:  # the people ticked in the list came together
        initial.update(kind=Kind.COLLECTIF, present=[str(p.pk) for p in people])
    elif people:
        initial["person"] = str(people[0].pk)
    elif need is not None and need.consent_at and not need.contact_erased_at:
        # The requester, if they gave their consent at the desk: the médiateur checks it.
        first, _sep, last = need.requester_name.partition(" ")
        initial.update(first_name=first, last_name=last, phone=need.requester_phone,
                       email=need.requester_email, consent=bool(need.requester_name))  # fmt: skip
    return initial


@facilitator_required
def record(request: HttpRequest) -> HttpResponse:
    appointment = _appointment_asked(request)
    need = need_asked(request) or (appointment.need if appointment else None)
    people = _people_offered(request, need)
    form = AccompanimentForm(request.POST or None, people=people,
                             initial=_initial(request, need, people, appointment))  # fmt: skip
    if request.method == "POST" and form.is_valid():

        def write() -> dict:
            done = services.record_accompaniment(
                facts=form.accompaniment(), by=request.user, people=form.known_people(),
                new_person=form.new_person(), need=need,
            )  # fmt: skip
            if appointment is not None:
                agenda.attach(appointment=appointment, accompaniment=done, by=request.user)
            return {"url": (need or done).get_absolute_url()}

        try:
            answer, again = idempotency.form_once(request, form, write=write)
        except services.Invalid as refused:
            form.add_error(FORM_FIELDS.get(refused.field), refused.message)
        else:
            if again:
                messages.info(
                    request, _("Ce formulaire était déjà envoyé : rien n'est noté deux fois.")
                )
            else:
                messages.success(request, _("L'accompagnement est noté."))
            return redirect(answer["url"])
    context = {"form": form, "need": need, "communes": COMMUNES, "appointment": appointment,
               "beneficiaries_url": reverse("mediation:beneficiaries")}  # fmt: skip
    response = render(request, "mediation/record.html", context,
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


def _filtered(request: HttpRequest, form: AccompanimentFilterForm):
    accompaniments = Accompaniment.objects.active()
    if not form.is_valid():
        return accompaniments.none()
    data = form.cleaned_data
    if data["start"]:
        accompaniments = accompaniments.filter(date__gte=data["start"])
    if data["end"]:
        accompaniments = accompaniments.filter(date__lte=data["end"])
    if data["kind"]:
        accompaniments = accompaniments.filter(kind=data["kind"])
    if data["mine"]:
        accompaniments = accompaniments.filter(mediator=request.user)
    return accompaniments


@facilitator_required
def accompaniments(request: HttpRequest) -> HttpResponse:
    """The accompaniments, newest first, a page at a time from where the last page stopped
    (`avant`): the thousandth page costs what the first does."""
    form = AccompanimentFilterForm(request.GET)
    found = _filtered(request, form)
    people = Participation.objects.select_related("beneficiary").order_by("pk")
    shown = (
        found.select_related("need", "mediator")
        .prefetch_related(Prefetch("participations", queryset=people))
        .order_by("-date", "-pk")
    )
    cursor = request.GET.get("avant", "")[:100]
    if cursor and (older := coop.after(cursor, backwards=True)) is not None:
        shown = shown.filter(older)
    rows = list(shown[: PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("avant", None)
    context = {
        "form": form, "accompaniments": rows[:PAGE_SIZE], "count": found.count(),
        "older": coop.cursor_after(rows[PAGE_SIZE - 1]) if len(rows) > PAGE_SIZE else None,
        "newest": bool(cursor), "query": query.urlencode(),
    }  # fmt: skip
    return render(request, "mediation/accompaniments.html", context)


@facilitator_required
def export(request: HttpRequest, format: str) -> HttpResponse:
    form = AccompanimentFilterForm(request.GET)
    if format not in {"csv", "xlsx"} or not form.is_valid():
        raise Http404
    chosen = coop.queryset().filter(pk__in=_filtered(request, form).values("pk"))
    name = f"accompagnements-{timezone.localdate():%Y-%m-%d}"
    if format == "csv":
        return coop.csv_response(chosen, filename=name)
    return coop.xlsx_response(chosen, filename=name)


def _accompaniment_or_404(pk: int) -> Accompaniment:
    return get_object_or_404(
        Accompaniment.objects.select_related("need", "mediator", "place").prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("beneficiary"))
        ),
        pk=pk,
    )


@facilitator_required
def accompaniment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _accompaniment_or_404(pk)
    context = {"accompaniment": found, "journal": JournalEntry.objects.about(found)[:20]}
    return render(request, "mediation/accompaniment.html", context)


@facilitator_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    found = _accompaniment_or_404(pk)
    try:
        services.archive_accompaniment(accompaniment=found, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("L'accompagnement est archivé : il ne compte plus."))
    return redirect(found)


@facilitator_required
def beneficiaries(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:100]
    found = (
        Beneficiary.objects.known()
        .annotate(times=Count("participations"))
        .order_by("last_name", "first_name", "pk")
    )
    for term in search_terms(text):
        found = found.filter(search_text__contains=term)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mediation/beneficiaries.html",
                  {"page": page, "q": text, "query": f"q={text}" if text else ""})  # fmt: skip


@facilitator_required
def beneficiary(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Beneficiary.objects.active(), pk=pk)
    history = (
        Accompaniment.objects.active().filter(participations__beneficiary=person)
        .select_related("need", "mediator").order_by("-date", "-pk")[:100]
    )  # fmt: skip
    needs = Need.objects.filter(accompaniments__participations__beneficiary=person).distinct()
    context = {"person": person, "history": history, "needs": needs.order_by("-created_at")[:50]}
    return render(request, "mediation/beneficiary.html", context)


@facilitator_required
def import_people(request: HttpRequest) -> HttpResponse:
    """Bring the people accompanied over from La Coop's spreadsheet; say what was refused."""
    form = ImportPeopleForm(request.POST, request.FILES) if request.method == "POST" else None
    report, status = None, 200
    if form is not None and uploads.too_large(request):
        form.is_valid()
        form.errors["fichier"] = form.error_class([uploads.too_large_message()])
        status = 413
    elif form is not None and form.is_valid():
        try:
            report = imports.import_people(form.cleaned_data["fichier"].read(), by=request.user)
        except imports.Unreadable as refused:
            form.add_error("fichier", str(refused))
    if form is not None and form.errors and status == 200:
        status = 400
    context = {"form": form or ImportPeopleForm(), "report": report, "columns": imports.COLUMNS}
    return render(request, "mediation/import.html", context, status=status)
