from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.core import idempotency, spreadsheets, texts
from maillage.core.errors import DomainError
from maillage.core.journal import record
from maillage.core.models import JournalEntry
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited
from maillage.core.search import similar
from maillage.territory.models import Organisation

from . import services
from .forms import (
    AnswerForm,
    AssignForm,
    CreateSharedNeedForm,
    DeskNeedForm,
    LinkSharedNeedForm,
    MessageForm,
    MeTooForm,
    NoteForm,
    QualifyForm,
    QueueFilterForm,
    RaiseNeedForm,
    ResumeForm,
    StatusForm,
    WaitForm,
)
from .models import Need, SharedNeed
from .shared import annotate_counts, breakdown
from .similarity import needs_like

QUEUE_PAGE_SIZE = 25


def _member_organisations(user):
    if not user.is_authenticated:
        return None
    return Organisation.objects.active().filter(memberships__person__user=user) or None


def _raise_from_form(request: HttpRequest, form: RaiseNeedForm, **extra) -> dict | None:
    """Raise the form's need, once however many times the form is sent; return where to go
    next and the need's reference, or None once the refusal is on the form."""
    data = form.cleaned_data

    def write() -> dict:
        need = services.raise_need(
            description=data["description"],
            dimension=data.get("dimension"),
            name=data.get("name", ""),
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            neighbourhood=data.get("neighbourhood", ""),
            consent=data.get("consent", False),
            organisation=data.get("organisation"),
            by=request.user,
            **extra,
        )
        # The desk goes on to the need's page; the requester to their tracking page.
        url = need.get_absolute_url() if "channel" in extra else need.tracking_url()
        return {"url": url, "reference": need.reference}

    try:
        raised, again = idempotency.form_once(request, form, write=write)
    except DomainError as refused:
        form.add_error(None, refused.message)
        return None
    if again:
        messages.info(request, _("Ce formulaire était déjà envoyé : voici le besoin enregistré."))
    return raised


def _done(_result) -> dict:
    """What a form sent once keeps when its page says nothing more than « done »."""
    return {}


@limited("needs")
def raise_need(request: HttpRequest) -> HttpResponse:
    """The public page of the permanence: anyone raises a need, no account needed."""
    organisations = _member_organisations(request.user)
    form = RaiseNeedForm(request.POST or None, organisations=organisations)
    if form.is_bound and form.is_valid() and (raised := _raise_from_form(request, form)):
        messages.success(request, _("Votre besoin est enregistré. Merci !"))
        return redirect(raised["url"])
    response = render(request, "needs/raise.html", {"form": form},
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


@limited("requester")
def tracking(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's private page: status, public answers, and what they can do."""
    need = get_object_or_404(Need.objects.select_related("dimension"), tracking_token=token)
    action, status = request.POST.get("action"), 200
    form = MessageForm(request.POST if action == "message" else None)
    form.fields["message"].label = _("Ajouter une information")
    if request.method == "POST":
        try:
            if action == "message" and form.is_valid():
                idempotency.form_once(
                    request,
                    form,
                    write=lambda: _done(
                        services.requester_writes(need=need, text=form.cleaned_data["message"])
                    ),
                )
                messages.success(request, _("Votre message est transmis à la permanence."))
                return redirect(need.tracking_url())
            if action in {"solved", "withdrawn"}:
                services.requester_ends(need=need, solved=action == "solved")
                messages.success(request, _("Merci, c'est noté."))
                return redirect(need.tracking_url())
            if action == "stop-sms" and need.requester_phone:
                texts.opt_out(need.requester_phone, why="lien de suivi")
                messages.success(request, _("C'est noté : vous ne recevrez plus de SMS."))
                return redirect(need.tracking_url())
            if action == "erase":
                services.erase_contact(need=need, by=None, why="requester")
                messages.success(request, _("Vos coordonnées sont effacées."))
                return redirect(need.tracking_url())
        except DomainError as refused:
            messages.error(request, refused.message)
            status = 400
    timeline = JournalEntry.objects.about(need).public().order_by("at", "id")
    projects = need.projects.all()  # the projects app's relation: needs does not import it
    context = {"need": need, "timeline": timeline, "form": form, "projects": projects}
    response = render(request, "needs/tracking.html", context,
                      status=400 if form.errors else status)  # fmt: skip
    return idempotency.remember_browser(request, response)


@facilitator_required
def queue(request: HttpRequest) -> HttpResponse:
    """The desk's queue: what needs an answer now, overdue first, oldest first."""
    form = QueueFilterForm(request.GET or None)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    status = data.get("status")
    needs = Need.objects.filter(status=status).by_due_date() if status else Need.objects.for_queue()
    if dimension := data.get("dimension"):
        needs = needs.filter(dimension=dimension)
    if data.get("owner") == "moi":
        needs = needs.filter(owner=request.user)
    elif data.get("owner") == "personne":
        needs = needs.filter(owner__isnull=True)
    if data.get("overdue"):
        needs = needs.filter(due_at__lt=timezone.now())
    if data.get("today"):
        needs = needs.due_by_tonight()
    if q := data.get("q"):
        needs = needs.search(q)
    page = Paginator(needs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "needs/queue.html#results" if request.htmx else "needs/queue.html"
    context = {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()}
    return render(request, template, context)


@facilitator_required
def record_need(request: HttpRequest) -> HttpResponse:
    """The desk records a need for someone in front of them or on the phone."""
    form = DeskNeedForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (raised := _raise_from_form(request, form, channel=form.cleaned_data["channel"]))
    ):
        messages.success(request, _("Besoin %(reference)s enregistré.") % raised)
        return redirect(raised["url"])
    response = render(request, "needs/record.html", {"form": form},
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


def _detail_context(need: Need, **bound) -> dict:
    """The need's page: its journal, and a form per desk action (prefixed: ids stay unique)."""
    initial = {
        "qualify": {
            "title": need.display_title,
            "dimension": need.dimension,
            "thematique": need.thematique,
        },
        "assign": {"owner": need.owner},
        "share": {"title": need.display_title},
        "status": {"to": need.next_status()},
    }
    forms = {
        f"{action}_form": bound.get(action)
        or form_class(prefix=action, initial=initial.get(action))
        for action, (form_class, _run) in ACTIONS.items()
    }
    # Only the states this need may move to are offered, the one its life calls for first.
    forms["status_form"].fields["to"].choices = [
        (code, Need.Status(code).label) for code in need.allowed_transitions()
    ]
    timeline = list(JournalEntry.objects.about(need).order_by("at", "id"))
    first = next_action(need, timeline)
    offered = [key for key in ACTION_TITLES if _offered(key, need)]
    titles = ACTION_TITLES if need.is_open else {**ACTION_TITLES, "status": _("Rouvrir le besoin")}
    return {
        "need": need,
        # The requester's own words open the conversation: « Besoin reçu » would only repeat them.
        "timeline": [entry for entry in timeline if entry.verb != "need-raised"],
        "next_action": {"key": first, "title": titles[first], "form": forms[f"{first}_form"]},
        "other_actions": [
            {
                "key": key,
                "title": titles[key],
                "form": forms[f"{key}_form"],
                "open": bool(forms[f"{key}_form"].errors or (key == "share" and "link" in bound)),
            }
            for key in offered
            if key != first
        ],
        "transitions": need.allowed_transitions(),
        "similar_needs": needs_like(need),
        "similar_shared": similar(SharedNeed.objects.active(), f"{need.title} {need.description}"),
        **forms,
    }


# The desk's actions on a need, in the order they are offered once folded.
ACTION_TITLES = {
    "answer": gettext_lazy("Répondre au demandeur"),
    "qualify": gettext_lazy("Qualifier le besoin"),
    "status": gettext_lazy("Changer l'état"),
    "assign": gettext_lazy("Confier à quelqu'un d'autre"),
    "share": gettext_lazy("Rattacher à un besoin commun"),
    "wait": gettext_lazy("Attendre le demandeur (un document, une réponse)"),
    "resume": gettext_lazy("Reprendre sans attendre"),
    "note": gettext_lazy("Ajouter une note interne"),
}


def _offered(action: str, need: Need) -> bool:
    if action == "answer":
        return need.is_open
    if action == "wait":
        return need.is_open and not need.is_waiting
    if action == "resume":
        return need.is_waiting
    if action == "share":
        return need.shared_need_id is None
    return True


def next_action(need: Need, timeline: list[JournalEntry]) -> str:
    """The one desk action the need's state calls for now; the others stay folded."""
    if not need.is_open:
        return "status"  # reopen it
    if need.status == Need.Status.RECU:
        return "qualify"
    if need.is_waiting:
        return "resume"  # nothing owed until the requester answers
    last_word = next(
        (e.verb for e in reversed(timeline) if e.verb in ("requester-message", "need-answered")),
        None,
    )
    if need.first_answered_at is None or last_word == "requester-message" or need.is_overdue:
        return "answer"  # a first answer, a reply, or the news now owed
    return "status"


@facilitator_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(
        Need.objects.select_related("owner", "dimension", "thematique", "organisation"), pk=pk
    )
    response = render(request, "needs/detail.html", _detail_context(need))
    return idempotency.remember_browser(request, response)


ACTIONS = {
    "qualify": (QualifyForm, lambda need, user, d: services.qualify_need(need=need, by=user, **d)),
    "answer": (
        AnswerForm,
        lambda need, user, d: services.answer_need(need=need, by=user, message=d["message"]),
    ),
    "note": (
        NoteForm,
        lambda need, user, d: services.add_note(need=need, by=user, text=d["message"]),
    ),
    "status": (StatusForm, lambda need, user, d: services.change_status(need=need, by=user, **d)),
    "link": (
        LinkSharedNeedForm,
        lambda need, user, d: services.link_to_shared_need(
            need=need, by=user, shared_need=d["shared_need"]
        ),
    ),
    "share": (
        CreateSharedNeedForm,
        lambda need, user, d: services.create_shared_need(from_need=need, by=user, **d),
    ),
    "wait": (
        WaitForm,
        lambda need, user, d: services.wait_for_requester(
            need=need, by=user, message=d["message"], days=d["days"]
        ),
    ),
    "resume": (ResumeForm, lambda need, user, _d: services.resume_need(need=need, by=user)),
    "assign": (
        AssignForm,
        lambda need, user, d: services.assign_need(need=need, by=user, to=d["owner"]),
    ),
}


@facilitator_required
@require_POST
def need_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one of the desk's actions on a need, through its service."""
    need = get_object_or_404(Need, pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            idempotency.form_once(
                request, form, write=lambda: _done(run(need, request.user, form.cleaned_data))
            )
        except DomainError as refused:
            form.add_error(None, refused.message)
            messages.error(request, refused.message)
        else:
            messages.success(request, _("C'est fait."))
            return redirect(need)
    need.refresh_from_db()
    return render(request, "needs/detail.html", _detail_context(need, **{action: form}), status=400)


EXPORT_COLUMNS = [
    "reference", "created_at", "status", "channel", "dimension", "thematique", "title",
    "neighbourhood", "organisation", "owner", "due_at", "first_answered_at", "closed_at",
    "closure_reason",
]  # fmt: skip
PERSONAL_COLUMNS = ["requester_name", "requester_email", "requester_phone", "description"]


@facilitator_required
def export_csv(request: HttpRequest) -> HttpResponse:
    """Needs as CSV, without personal data unless asked explicitly; such an export is logged."""
    personal = request.GET.get("donnees_personnelles") == "oui"
    needs = Need.objects.select_related(
        "dimension", "thematique", "organisation", "owner"
    ).order_by("pk")
    if personal:
        record(request.user, "personal-data-exported", actor=request.user, count=needs.count())

    def rows():
        yield EXPORT_COLUMNS + (PERSONAL_COLUMNS if personal else [])
        for need in needs.iterator(chunk_size=2000):
            row = [
                need.reference, need.created_at.isoformat(), need.status, need.channel,
                need.dimension.code if need.dimension else "",
                need.thematique.code if need.thematique else "", need.title, need.neighbourhood,
                need.organisation.name if need.organisation else "",
                need.owner.email if need.owner else "",
                need.due_at.isoformat() if need.due_at else "",
                need.first_answered_at.isoformat() if need.first_answered_at else "",
                need.closed_at.isoformat() if need.closed_at else "", need.closure_reason,
            ]  # fmt: skip
            if personal:
                row += [need.requester_name, need.requester_email, need.requester_phone,
                        need.description]  # fmt: skip
            yield row

    return spreadsheets.response(rows(), filename="besoins.csv")


def shared_needs(request: HttpRequest) -> HttpResponse:
    """The public page of shared needs, by dimension: what others raised, what became of it."""
    shared = annotate_counts(SharedNeed.objects.active().select_related("dimension")).order_by(
        "dimension__position", "-total", "title"
    )
    return render(request, "needs/shared_list.html", {"shared_needs": shared})


@limited("needs")
def shared_need(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared need's public page, with its « moi aussi » form."""
    shared = get_object_or_404(
        annotate_counts(SharedNeed.objects.active().select_related("dimension")), pk=pk
    )
    form = MeTooForm(request.POST or None, shared_need=shared)
    if (
        form.is_bound
        and form.is_valid()
        and (raised := _raise_from_form(request, form, shared_need=shared))
    ):
        messages.success(request, _("C'est noté : votre besoin rejoint celui des autres."))
        return redirect(raised["url"])
    context = {"shared": shared, "form": form, **breakdown(shared)}
    response = render(request, "needs/shared_detail.html", context,
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)
