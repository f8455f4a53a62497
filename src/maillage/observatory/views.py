"""The coordinators' dashboard, and each figure's table as CSV."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from maillage.core import idempotency, spreadsheets, uploads
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.core.permissions import facilitator_required
from maillage.core.widgets import DayInput

from . import imports, reports
from .indicators import Period, figures, map_points, public
from .models import ImportJob, Report
from .opendata import DATASETS, FORMATS, LICENCE, SMALLEST_CELL, describe


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), required=False,
                            widget=DayInput())  # fmt: skip
    end = forms.DateField(label=_("Au"), required=False,
                          widget=DayInput())  # fmt: skip
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), queryset=Dimension.objects.all(), required=False,
        empty_label=_("Toutes"), to_field_name="code",
    )  # fmt: skip

    def period(self) -> Period:
        """The period asked for (the last twelve months when nothing is); a DomainError says
        what is wrong with it."""
        if not self.is_bound:
            return Period.parse(None, None)
        if not self.is_valid():
            raise DomainError(" ".join(e for errors in self.errors.values() for e in errors),
                              status=422)  # fmt: skip
        data = self.cleaned_data
        dimension = data["dimension"].code if data["dimension"] else None
        return Period.parse(data["start"], data["end"], dimension)

    @classmethod
    def showing(cls, period: Period) -> "PeriodForm":
        """The form as the page shows it once the period is known: its fields say the period
        applied, the default one included, rather than standing empty."""
        dimension = period.dimension.code if period.dimension else None
        return cls(initial={"start": period.start, "end": period.end, "dimension": dimension})


def _figures(period: Period, shown_to_all: bool):
    return public(figures(period)) if shown_to_all else figures(period)


def _dashboard(request: HttpRequest, shown_to_all: bool) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    context = {"form": form, "public": shown_to_all, "printing": False}
    try:
        period = form.period()
    except DomainError as refused:
        form.add_error(None, refused.message)
        return render(request, "observatory/dashboard.html", context, status=400)
    context |= {"form": PeriodForm.showing(period), "period": period,
                "figures": _figures(period, shown_to_all),
                "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "observatory/dashboard.html", context)


@facilitator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The team's dashboard: every figure."""
    return _dashboard(request, shown_to_all=False)


def public_dashboard(request: HttpRequest) -> HttpResponse:
    """The same for everyone, without what could point at someone."""
    return _dashboard(request, shown_to_all=True)


def _csv(request: HttpRequest, code: str, shown_to_all: bool) -> HttpResponse:
    try:
        period = PeriodForm(request.GET or None).period()
    except DomainError as refused:
        return HttpResponse(refused.message, status=400, content_type="text/plain; charset=utf-8")
    figure = next((f for f in _figures(period, shown_to_all) if f.code == code), None)
    if figure is None:
        raise Http404
    rows = [[str(label) for _key, label in figure.columns]]
    rows += [[row[key] for key, _label in figure.columns] for row in figure.rows]
    filename = f"{code}_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}.csv"
    return spreadsheets.response(rows, filename=filename)


@facilitator_required
def figure_csv(request: HttpRequest, code: str) -> HttpResponse:
    return _csv(request, code, shown_to_all=False)


def public_csv(request: HttpRequest, code: str) -> HttpResponse:
    return _csv(request, code, shown_to_all=True)


def open_data(request: HttpRequest) -> HttpResponse:
    """The list of the open data files, with their standards and the aggregates' dictionary."""
    files = [
        (dataset, [(extension, f"/api/v1/opendata/{name}.{extension}")
                   for extension in FORMATS[name]], describe(dataset))
        for name, dataset in DATASETS.items()
    ]  # fmt: skip
    return render(request, "observatory/open_data.html", {"files": files, "licence": LICENCE,
                                                          "smallest": SMALLEST_CELL})  # fmt: skip


@facilitator_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports filed, and any month or year on demand."""
    context = {"filed": Report.objects.only("label", "generated_at"), "error": ""}
    if label := request.GET.get("periode", "").strip():
        try:
            reports.period_for(label)
        except DomainError as refused:
            context["error"] = refused.message
        else:
            return redirect("observatory:report", label=label)
    status = 400 if context["error"] else 200
    return render(request, "observatory/reports.html", context, status=status)


def _report_or_404(label: str) -> dict:
    try:
        return reports.context_for(label)
    except DomainError as refused:
        raise Http404(refused.message) from refused


@facilitator_required
def report(request: HttpRequest, label: str) -> HttpResponse:
    return render(request, "observatory/report.html", _report_or_404(label))


@facilitator_required
def report_pdf(request: HttpRequest, label: str) -> HttpResponse:
    """The PDF: the filed one when asked (?depose), else made now."""
    _report_or_404(label)
    if "depose" in request.GET:
        filed = get_object_or_404(Report, label=label)
        body = bytes(filed.pdf)
    else:
        try:
            body = reports.as_pdf(label)
        except DomainError as unavailable:
            return render(request, "core/unavailable.html", {"message": unavailable.message},
                          status=unavailable.status)  # fmt: skip
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-activite-{label}.pdf"'
    return response


class ImportForm(idempotency.SentOnceForm):
    sorte = forms.ChoiceField(
        label=_("Le fichier contient"), choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.STRUCTURES, widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    fichier = forms.FileField(label=_("Le fichier CSV"), error_messages={
        "required": _("Choisissez un fichier CSV."),
        "empty": _("Ce fichier est vide.")})  # fmt: skip
    essai = forms.BooleanField(
        label=_("Essayer sans rien enregistrer"), required=False,
        help_text=_("Le bilan dit ce qui serait créé, mis à jour ou refusé."),
    )  # fmt: skip

    def clean_sorte(self) -> str:
        return self.cleaned_data["sorte"] or ImportJob.Kind.STRUCTURES


@facilitator_required
def import_structures(request: HttpRequest) -> HttpResponse:
    """Send a data·inclusion file of organisations, or of their services, to be imported by
    the worker; follow it on its page. The last imports are listed."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    status = 200
    if request.method == "POST":
        if uploads.too_large(request):
            form.is_valid()
            form.errors["fichier"] = form.error_class([uploads.too_large_message()])
            status = 413
        elif form.is_valid():
            data = form.cleaned_data

            def write() -> dict:
                job = imports.submit(data["fichier"], kind=data["sorte"],
                                     dry_run=data["essai"], by=request.user)  # fmt: skip
                return {"url": reverse("observatory:import_job", args=[job.pk])}

            try:
                sent, _again = idempotency.form_once(request, form, write=write)
                return redirect(sent["url"])
            except DomainError as refused:
                form.add_error("fichier", refused.message)
                status = refused.status
        if status == 200:
            status = 400
    context = {
        "form": form,
        "jobs": ImportJob.objects.select_related("by")[:10],
        "upload_max": settings.UPLOAD_MAX_BYTES,
    }
    response = render(request, "observatory/import.html", context, status=status)
    return idempotency.remember_browser(request, response)


@facilitator_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Where an import stands: its progress while it runs (the page asks again by itself),
    then its report. ?partie=etat: the progress alone, for that asking."""
    job = get_object_or_404(ImportJob.objects.select_related("by"), pk=pk)
    part = request.GET.get("partie") == "etat"
    template = "observatory/import_state.html" if part else "observatory/import_job.html"
    return render(request, template, {"job": job})


@facilitator_required
@require_POST
def stop_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        if imports.stop(job):
            messages.success(request, _("L'import est arrêté : rien n'en est enregistré."))
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("observatory:import_job", pk=job.pk)


@facilitator_required
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    """The refused lines of an import, and why, as a spreadsheet (written by `spreadsheets`)."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.rejected:
        raise Http404
    return FileResponse(job.rejected.open("rb"), as_attachment=True,
                        filename=f"import-{job.pk}-lignes-refusees.csv",
                        content_type="text/csv; charset=utf-8")  # fmt: skip


def _map(request: HttpRequest, shown_to_all: bool) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    try:
        period = form.period()
    except DomainError as refused:
        form.add_error(None, refused.message)
        context = {"form": form, "points": None, "public": shown_to_all}
        return render(request, "observatory/map.html", context, status=400)
    context = {
        "form": PeriodForm.showing(period), "period": period, "public": shown_to_all,
        "points": map_points(period, shown_to_all=shown_to_all),
        "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION,
    }  # fmt: skip
    return render(request, "observatory/map.html", context)


@facilitator_required
def needs_map(request: HttpRequest) -> HttpResponse:
    return _map(request, shown_to_all=False)


def public_map(request: HttpRequest) -> HttpResponse:
    return _map(request, shown_to_all=True)
