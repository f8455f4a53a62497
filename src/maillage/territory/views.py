from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.core.ratelimit import limited

from . import services
from .forms import DirectoryFilterForm, InvitationForm, OrganisationForm, PersonForm
from .models import Invitation, Membership, Organisation, Person, Place

PAGE_SIZE = 20
HISTORY_SIZE = 10


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    form.is_valid()
    organisations = form.filter(Organisation.objects.for_directory())
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "territory/directory.html#results" if request.htmx else "territory/directory.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def _organisation_or_404(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.active(), slug=slug)


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.active().prefetch_related(
            "networks",
            "dimensions",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(person__archived_at__isnull=True)
                .select_related("person")
                .order_by("-role", "person__last_name"),
            ),
            Prefetch("places", queryset=Place.objects.filter(archived_at__isnull=True)),
        ),
        slug=slug,
    )
    can_invite = request.user.has_perm("territory.invite_member", organisation)
    context = {
        "organisation": organisation,
        "can_edit": request.user.has_perm("territory.change_organisation", organisation),
        "can_invite": can_invite,
        "invitation_form": InvitationForm() if can_invite else None,
        "pending_invitations": organisation.invitations.pending() if can_invite else [],
        "journal": (
            JournalEntry.objects.about(organisation)[:HISTORY_SIZE]
            if request.user.has_perm("core.view_journal")
            else []
        ),
    }
    return render(request, "territory/organisation.html", context)


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    if not request.user.has_perm("territory.change_organisation", organisation):
        raise Http404
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation.refresh_from_db()  # the form wrote into the instance; the service compares
        services.update_organisation(
            organisation=organisation,
            by=request.user,
            networks=data.pop("networks"),
            dimensions=data.pop("dimensions"),
            **data,
        )
        messages.success(request, _("La page de la structure est à jour."))
        return redirect(organisation)
    return render(
        request, "territory/organisation_form.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_POST
@limited("invitations")
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation_or_404(slug)
    if not request.user.has_perm("territory.invite_member", organisation):
        raise Http404
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return redirect(organisation)
    return render(
        request,
        "territory/invite.html",
        {"organisation": organisation, "invitation_form": form},
        status=400,
    )


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    error = None
    if request.method == "POST":
        try:
            user = services.accept_invitation(invitation=invitation, user=request.user)
        except DomainError as refused:
            error = refused.message
        else:
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Bienvenue dans %(name)s !") % {"name": invitation.organisation.name},
            )
            return redirect(invitation.organisation)
    status = 409 if error else 200
    return render(
        request,
        "territory/invitation.html",
        {"invitation": invitation, "error": error},
        status=status,
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.active().prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    organisation__archived_at__isnull=True
                ).select_related("organisation"),
            )
        ),
        pk=pk,
    )
    can_edit = request.user.has_perm("territory.change_person", person)
    # Someone who belongs to no organisation is a private inhabitant: only they and the
    # facilitators may know the profile exists.
    if not person.memberships.all() and not can_edit:
        raise Http404
    return render(request, "territory/person.html", {"person": person, "can_edit": can_edit})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.active(), pk=pk)
    if not request.user.has_perm("territory.change_person", person):
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person.refresh_from_db()
        services.update_person(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Le profil est à jour."))
        return redirect(person)
    return render(request, "territory/person_form.html", {"person": person, "form": form})


def place_list(request: HttpRequest) -> HttpResponse:
    places = (
        Place.objects.filter(archived_at__isnull=True)
        .select_related("organisation")
        .prefetch_related("opening_periods")
    )
    return render(request, "territory/place_list.html", {"places": places})


def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(
        Place.objects.filter(archived_at__isnull=True)
        .select_related("organisation")
        .prefetch_related("opening_periods"),
        pk=pk,
    )
    return render(request, "territory/place.html", {"place": place})
