"""Pages of the projects: the portfolio, a project's public page, and the facilitators'
creation of a project, from scratch or from a workshop's decision."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.errors import DomainError
from maillage.core.permissions import facilitator_required
from maillage.needs.models import Need
from maillage.workshops.models import Workshop

from . import services
from .forms import PortfolioFilter, ProjectForm
from .models import Project


def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilter(request.GET or None)
    projects = Project.objects.prefetch_related("dimensions").annotate(
        answered=Count("needs", distinct=True),
        resolved=Count("needs", filter=Q(needs__status=Need.Status.RESOLU), distinct=True),
        group=Count("members", distinct=True),
    )
    if form.is_valid():
        if dimension := form.cleaned_data["dimension"]:
            projects = projects.filter(dimensions=dimension)
        if status := form.cleaned_data["status"]:
            projects = projects.filter(status=status)
    context = {"form": form, "projects": projects[:200]}
    return render(request, "projects/portfolio.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page: no personal data of the requesters, only counts of their needs."""
    project = get_object_or_404(
        Project.objects.select_related("workshop").prefetch_related("dimensions"), pk=pk
    )
    members = project.members.select_related("person", "organisation")
    needs_by_dimension = (
        project.needs.values("dimension__name")
        .annotate(count=Count("pk"), resolved=Count("pk", filter=Q(status=Need.Status.RESOLU)))
        .order_by("dimension__position", "dimension__name")
    )
    context = {"project": project, "members": members, "needs_by_dimension": needs_by_dimension}
    return render(request, "projects/detail.html", context)


@facilitator_required
def create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.create_project(
                by=request.user, title=data["title"], purpose=data["purpose"],
                dimensions=data["dimensions"], answers=data["needs"],
            )  # fmt: skip
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Le projet est créé : vous le pilotez."))
            return redirect(project)
    status = 400 if form.errors else 200
    return render(request, "projects/form.html", {"form": form}, status=status)


@require_POST
@facilitator_required
def create_from_workshop(request: HttpRequest, workshop: int) -> HttpResponse:
    workshop = get_object_or_404(Workshop, pk=workshop)
    try:
        project = services.create_from_workshop(workshop=workshop, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect("workshops:report", pk=workshop.pk)
    messages.success(request, _("Le projet est créé à partir de la décision de l'atelier."))
    return redirect(project)
