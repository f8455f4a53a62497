"""Pages of the workshops: the list, a workshop's page with its registration form, the
registration's own page, and the facilitators' preparation and attendance pages."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core import idempotency, pdf
from maillage.core.errors import DomainError
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited
from maillage.formation import recipes

from . import broadcast, calendar, live, services
from .forms import AttendanceForm, RegistrationForm, WorkshopForm
from .models import Grade, Registration, Workshop
from .results import results


def workshop_list(request: HttpRequest) -> HttpResponse:
    workshops = Workshop.objects.select_related("place").exclude(status=Workshop.Status.ANNULE)
    context = {"upcoming": workshops.upcoming(), "past": workshops.past()[:20]}
    return render(request, "workshops/list.html", context)


def _workshop_or_404(pk: int) -> Workshop:
    return get_object_or_404(
        Workshop.objects.select_related("place", "shared_need").prefetch_related(
            "phases", "criteria", "facilitators"
        ),
        pk=pk,
    )


def workshop_detail(request: HttpRequest, pk: int, form=None) -> HttpResponse:
    workshop = _workshop_or_404(pk)
    user = request.user
    initial = {"name": user.first_name, "email": user.email} if user.is_authenticated else {}
    context = {
        "workshop": workshop,
        "form": form or RegistrationForm(initial=initial),
        "seats_left": workshop.seats_left(),
        "is_facilitator": live.can_facilitate(workshop, user),
    }
    response = render(request, "workshops/detail.html", context, status=400 if form else 200)
    return idempotency.remember_browser(request, response)


@require_POST
@limited("registrations")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_or_404(pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "cle"}

        def write() -> dict:
            registration, created = services.register(
                workshop=workshop, user=request.user, **fields
            )
            # A known address gets its link by e-mail, never on this page.
            url = registration.get_absolute_url() if created else workshop.get_absolute_url()
            return {"url": url, "created": created}

        try:
            done, _again = idempotency.form_once(request, form, write=write)
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            if done["created"]:
                messages.success(
                    request, _("Vous êtes inscrit : un courriel de confirmation part à l'instant.")
                )
            else:
                messages.info(request, _("Cette adresse est déjà inscrite à cet atelier : nous "
                                         "lui renvoyons le lien de l'inscription."))  # fmt: skip
            return redirect(done["url"])
    return workshop_detail(request, pk, form=form)


@limited("requester")
def registration_detail(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("workshop"), token=token)
    if request.method == "POST":
        services.unregister(registration=registration)
        messages.success(request, _("Votre place est libérée. Merci de nous avoir prévenus."))
        return redirect(registration)
    return render(request, "workshops/registration.html", {"registration": registration})


def workshop_ics(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_or_404(pk)
    body = calendar.ics(
        workshop, request.build_absolute_uri(workshop.get_absolute_url()), request.get_host()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atelier-{workshop.pk}.ics"'
    return response


@facilitator_required
def workshop_create(request: HttpRequest) -> HttpResponse:
    form = WorkshopForm(request.POST or None, initial={"recipe": request.GET.get("recette")})
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.schedule()
        data = form.cleaned_data
        try:
            workshop = services.create_workshop(
                by=request.user, question=data["question"], description=data["description"],
                starts_at=starts_at, ends_at=ends_at, place=data["place"],
                capacity=data["capacity"], expected=data["expected"], vote=data["vote"],
                shared_need=data["shared_need"], criteria=form.criteria_list(),
                agenda=recipes.agenda_of(data["recipe"]) if data["recipe"] else (),
            )  # fmt: skip
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("L'atelier est prêt et ouvert aux inscriptions."))
            return redirect(workshop)
    status = 400 if form.errors else 200
    return render(request, "workshops/form.html", {"form": form}, status=status)


@facilitator_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = _workshop_or_404(pk)
    registrations = list(workshop.registrations.active())
    present = [r.pk for r in registrations if r.attended]
    form = AttendanceForm(
        request.POST or None, registrations=registrations, initial={"present": present}
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = services.take_attendance(
                workshop=workshop, by=request.user, present=form.cleaned_data["present"]
            )
        except DomainError as refused:
            raise Http404 from refused
        messages.success(request, _("Appel enregistré : %(count)s présents.") % {"count": count})
        return redirect("workshops:attendance", pk=pk)
    context = {"workshop": workshop, "form": form, "registrations": registrations}
    return render(request, "workshops/attendance.html", context)


def _report_context(request: HttpRequest, pk: int) -> dict:
    """The compte-rendu: public once the results are shown; to the lab's team before."""
    workshop = _workshop_or_404(pk)
    is_team = request.user.is_authenticated and request.user.is_facilitator
    if workshop.results_revealed_at is None and workshop.decided_at is None and not is_team:
        raise Http404
    labels = {c.pk: c.label for c in workshop.criteria.all()}
    rows = [
        {
            "result": r,
            "criteria": [
                {"label": labels[c], "profile": r.by_criterion[c],
                 "median_label": Grade.Value(r.median_by_criterion[c]).label}
                for c in labels
            ],
        }
        for r in results(workshop)
    ]  # fmt: skip
    context = {
        "workshop": workshop,
        "results": rows,
        "board": broadcast.ideas_board(workshop),
        "participants": list(workshop.participants.counted().values_list("name", flat=True)),
        "is_team": is_team,
        "project": getattr(workshop, "project", None),  # born from it (projects app)
    }
    return context


def report(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "workshops/report.html", _report_context(request, pk))


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf.response(request, "workshops/report_pdf.html", _report_context(request, pk),
                        filename=f"compte-rendu-atelier-{pk}.pdf")  # fmt: skip
