"""Pages of the projects: the portfolio, a project's public page, and the facilitators'
creation of a project, from scratch or from a workshop's decision."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.errors import DomainError
from maillage.core.params import record_id, record_ids
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited
from maillage.mutualisation.models import Offer
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person
from maillage.workshops.models import Workshop

from . import services
from .forms import (
    AttachForm,
    CommitForm,
    DecisionForm,
    PortfolioFilter,
    ProjectForm,
    ReviewForm,
    StepForm,
    needs_found,
)
from .models import Item, Member, Project, Step
from .pipeline import pipeline

PORTFOLIO_PAGE = 48


def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilter(request.GET or None)
    projects = Project.objects.only("pk")
    if form.is_valid():
        if dimension := form.cleaned_data["dimension"]:
            projects = projects.filter(dimensions=dimension)
        if status := form.cleaned_data["status"]:
            projects = projects.filter(status=status)
        if organisation := form.cleaned_data["organisation"]:
            projects = projects.with_organisation(organisation)
    dimension = form.cleaned_data["dimension"] if form.is_valid() else None
    page = Paginator(projects, PORTFOLIO_PAGE).get_page(request.GET.get("page"))
    page.object_list = Project.objects.counted(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "pipeline": pipeline(dimension)}  # fmt: skip
    return render(request, "projects/portfolio.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page: no personal data of the requesters, only counts of their needs."""
    project = get_object_or_404(
        Project.objects.select_related("workshop").prefetch_related("dimensions"), pk=pk
    )
    members = project.members.active().select_related("person", "organisation")
    needs_by_dimension = (
        project.needs.values("dimension__name")
        .annotate(count=Count("pk"), resolved=Count("pk", filter=Q(status=Need.Status.RESOLU)))
        .order_by("dimension__position", "dimension__name")
    )
    user = request.user
    steering = services.can_steer(project, user)
    steps = list(project.steps.annotate(
        total=Count("items"), done=Count("items", filter=Q(items__column=Item.Column.FAIT))
    ))  # fmt: skip
    person = getattr(user, "person", None) if user.is_authenticated else None
    context = {
        "project": project, "members": members, "needs_by_dimension": needs_by_dimension,
        "steering": steering, "roles": Member.Role.choices, "statuses": Project.Status.choices,
        "requests": project.members.requests().select_related("person", "organisation")
        if steering else [],
        "can_join": person is not None and not project.members.filter(person=person).exists(),
        "my_organisations": person.memberships.select_related("organisation") if person else [],
        "steps": steps,
        "is_member": person is not None and project.members.active().filter(person=person).exists(),
        "commitments": project.commitments.select_related("offer", "booking"),
        "ready": [
            (need, services.resolution_message(project, items))
            for need, items in services.needs_ready(project)
        ] if user.is_authenticated and user.is_facilitator else [],
        "offer_search": request.GET.get("offre", ""),
        "need_search": request.GET.get("besoin", ""),
        "attach_form": _attach_form(project, request.GET.get("besoin", ""))
        if user.is_authenticated and user.is_facilitator else None,
        "offers": _offers_matching(request.GET.get("offre", "")) if steering else [],
        "next_step": next((s for s in steps if s.status != Step.Status.TERMINEE), None),
        "step_form": StepForm(), "review_form": ReviewForm(), "decision_form": DecisionForm(),
        "decisions": list(project.decisions.all()),
    }  # fmt: skip
    return render(request, "projects/detail.html", context)


def _attach_form(project: Project, searched: str) -> AttachForm:
    form = AttachForm()
    form.offer_needs(needs_found(searched, besides=project.needs.values("pk")))
    return form


def _offers_matching(text: str) -> list[Offer]:
    """Offers of the register to commit, found by words of their title (ten at most)."""
    words = text.split()[:5]
    if not words:
        return []
    offers = Offer.objects.exclude(status=Offer.Status.RETIREE)
    for word in words:
        offers = offers.filter(title__icontains=word)
    return list(offers.select_related("organisation", "place")[:10])


def _steer(request: HttpRequest, pk: int, action, done: str, anchor: str = "#groupe"):
    """Run one of the group's actions from the project page; a refusal is said there."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project = get_object_or_404(Project, pk=pk)
    try:
        action(project)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect(reverse("projects:detail", kwargs={"pk": pk}) + anchor)


@require_POST
@limited("projects")
def join(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        chosen = record_id(request.POST.get("organisation"))
        organisation = Organisation.objects.filter(pk=chosen).first() if chosen else None
        services.request_to_join(project=project, by=request.user, organisation=organisation,
                                 message=request.POST.get("message", ""))  # fmt: skip

    return _steer(request, pk, action, _("Votre demande est envoyée aux pilotes du projet."))


@require_POST
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        email = request.POST.get("email", "").strip()
        person = Person.objects.filter(user__email__iexact=email).first() if email else None
        if person is None:
            raise DomainError(_("Aucune personne de la plateforme n'a ce courriel."))
        services.add_member(project=project, by=request.user, person=person,
                            role=request.POST.get("role", Member.Role.CONTRIBUTEUR))  # fmt: skip

    return _steer(request, pk, action, _("La personne rejoint le groupe de travail."))


@require_POST
def accept(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    def action(project):
        asked = get_object_or_404(project.members.requests(), pk=member)
        services.add_member(project=project, by=request.user, person=asked.person,
                            role=request.POST.get("role", Member.Role.CONTRIBUTEUR))  # fmt: skip

    return _steer(request, pk, action, _("Demande acceptée."))


@require_POST
def remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    def action(project):
        services.remove_member(member=get_object_or_404(project.members, pk=member),
                               by=request.user)  # fmt: skip

    return _steer(request, pk, action, _("C'est fait."))


@facilitator_required
def create(request: HttpRequest) -> HttpResponse:
    searched = request.POST.get("besoin", "")
    if "chercher" in request.POST:  # a search for needs, not yet the project: nothing refused
        posted = {**request.POST.dict(), "needs": request.POST.getlist("needs")}
        form = ProjectForm(initial=posted)
    else:
        form = ProjectForm(request.POST or None)
    form.offer_needs(needs_found(searched))
    if form.is_bound and form.is_valid():
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
    context = {"form": form, "searched": searched}
    return render(request, "projects/form.html", context, status=status)


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


def _valid(form) -> dict:
    if not form.is_valid():
        raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


@require_POST
def plan_step(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        services.plan_step(project=project, by=request.user, **_valid(StepForm(request.POST)))

    return _steer(request, pk, action, _("Étape prévue."), anchor="#etapes")


@require_POST
def start_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    def action(project):
        services.start_step(step=get_object_or_404(Step, pk=step, project=project),
                            by=request.user)  # fmt: skip

    return _steer(request, pk, action, _("L'étape commence."), anchor="#etapes")


@require_POST
def review_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    def action(project):
        services.review_step(step=get_object_or_404(Step, pk=step, project=project),
                             by=request.user, **_valid(ReviewForm(request.POST)))  # fmt: skip

    return _steer(request, pk, action, _("La revue est enregistrée."), anchor="#etapes")


@require_POST
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        data = _valid(DecisionForm(request.POST))
        services.record_decision(project=project, by=request.user, **data)

    return _steer(request, pk, action, _("La décision est notée."), anchor="#decisions")


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        services.change_status(project=project, by=request.user,
                               status=request.POST.get("status", ""))  # fmt: skip

    return _steer(request, pk, action, _("L'état du projet est changé."), anchor="")


@require_POST
def attach_needs(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        form = AttachForm(request.POST)
        form.offer_needs([])
        services.attach_needs(project=project, by=request.user, answers=_valid(form)["needs"])

    return _steer(request, pk, action, _("Les besoins sont rattachés au projet."),
                  anchor="#besoins")  # fmt: skip


@require_POST
def resolve_needs(request: HttpRequest, pk: int) -> HttpResponse:
    def action(project):
        ids = record_ids(request.POST.getlist("needs"))
        chosen = {pk: request.POST.get(f"message-{pk}", "") for pk in ids}
        resolved = services.resolve_needs(project=project, by=request.user, messages=chosen)
        return len(resolved)

    return _steer(request, pk, action, _("Les besoins sont résolus : leurs demandeurs le savent."),
                  anchor="#besoins")  # fmt: skip


@require_POST
def commit_means(request: HttpRequest, pk: int, offer: int) -> HttpResponse:
    def action(project):
        form = CommitForm(request.POST)
        data = _valid(form)
        start, end = form.slot()
        if any(data[k] for k in ("day", "start", "end")) and start is None:
            raise DomainError(_("Pour réserver, donnez le jour, l'heure de début et de fin."))
        services.commit_means(
            project=project, by=request.user, purpose=data["purpose"],
            offer=get_object_or_404(Offer, pk=offer), start=start, end=end,
        )  # fmt: skip

    return _steer(request, pk, action, _("Le moyen est engagé pour le projet."), anchor="#moyens")
