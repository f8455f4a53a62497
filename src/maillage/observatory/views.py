"""The coordinators' dashboard, and each figure's table as CSV."""

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from maillage.core import spreadsheets
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.core.permissions import facilitator_required

from . import importer, reports
from .indicators import Period, figures, map_points, public
from .models import Report
from .opendata import DATASETS, FORMATS, SMALLEST_CELL


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Du"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    end = forms.DateField(label=_("Au"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
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
    context |= {"period": period, "figures": _figures(period, shown_to_all),
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
                   for extension in FORMATS[name]])
        for name, dataset in DATASETS.items()
    ]  # fmt: skip
    return render(request, "observatory/open_data.html", {"files": files,
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


@facilitator_required
def import_structures(request: HttpRequest) -> HttpResponse:
    """Import organisations, or their services, from a data·inclusion file; say what happened."""
    context: dict = {"report": None, "error": ""}
    if request.method == "POST":
        upload = request.FILES.get("fichier")
        if upload is None:
            context["error"] = _("Choisissez un fichier CSV.")
        else:
            services = request.POST.get("sorte") == "services"
            run = importer.import_services if services else importer.import_structures
            try:
                context["report"] = run(
                    upload.file, by=request.user, dry_run=bool(request.POST.get("essai"))
                )
            except importer.Unreadable as unreadable:
                context["error"] = str(unreadable)
    status = 400 if context["error"] else 200
    return render(request, "observatory/import.html", context, status=status)


def _map(request: HttpRequest, shown_to_all: bool) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    try:
        period = form.period()
    except DomainError as refused:
        form.add_error(None, refused.message)
        context = {"form": form, "points": None, "public": shown_to_all}
        return render(request, "observatory/map.html", context, status=400)
    context = {
        "form": form, "period": period, "public": shown_to_all,
        "points": map_points(period, shown_to_all=shown_to_all),
        "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_TILES_ATTRIBUTION,
    }  # fmt: skip
    return render(request, "observatory/map.html", context)


@facilitator_required
def needs_map(request: HttpRequest) -> HttpResponse:
    return _map(request, shown_to_all=False)


def public_map(request: HttpRequest) -> HttpResponse:
    return _map(request, shown_to_all=True)
