"""The workshop in the room: joining from a phone, the phone's page, the facilitators' console
and the projector's screen. Each page renders the room's live parts (broadcast.py) and then
listens for their changes; every form also works without JavaScript."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from maillage.core import idempotency
from maillage.core import live as streams
from maillage.core.errors import DomainError
from maillage.core.params import record_id, record_ids
from maillage.core.ratelimit import client_address, limited

from . import ballots, broadcast, door, live
from .forms import DecisionForm, IdeaForm, JoinForm, ScenarioForm
from .models import Idea, Participant, Phase, Scenario, Workshop

COOKIE_DAYS = 2


def _cookie(workshop_id: int) -> str:
    return f"atelier-{workshop_id}"


def _workshop(pk: int) -> Workshop:
    return get_object_or_404(Workshop.objects.select_related("current_phase"), pk=pk)


def _room_context(workshop: Workshop, *parts: str) -> dict:
    context = {
        "workshop": workshop,
        "live_url": streams.url_for(broadcast.channel(workshop.pk)),
        "phase_key": broadcast.phase_key(workshop),
    }
    for part in parts:  # the parts' context keys are distinct
        context |= broadcast.part_context(workshop, part)
    return context


# --- joining and the phone --------------------------------------------------------------------


def join(request: HttpRequest, code: str = "") -> HttpResponse:
    """The short page a phone opens (by the QR code, with the code in the address)."""
    user = request.user
    initial = {"code": code, "name": user.first_name if user.is_authenticated else ""}
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        joined = [v for k, v in request.COOKIES.items() if k.startswith(_cookie(""))]
        try:
            participant = door.join(
                code=form.cleaned_data["code"], name=form.cleaned_data["name"], user=user,
                tokens=joined, address=client_address(request),
                browser=idempotency.browser(request) or "",
                door_code=form.cleaned_data["door_code"],
            )  # fmt: skip
        except DomainError as refused:
            form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        else:
            response = redirect("workshops:room", pk=participant.workshop_id)
            response.set_cookie(
                _cookie(participant.workshop_id), participant.token,
                max_age=COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )  # fmt: skip
            return response
    status = 400 if form.errors else 200
    response = render(request, "workshops/room/join.html", {"form": form}, status=status)
    return idempotency.remember_browser(request, response)


def _participant(request: HttpRequest, pk: int) -> Participant | None:
    token = request.COOKIES.get(_cookie(pk))
    if not token:
        return None
    return (
        Participant.objects.select_related("workshop__current_phase")
        .filter(workshop_id=pk, token=token)
        .first()
    )


def _phone(request: HttpRequest, participant: Participant, status: int = 200, **extra):
    """The phone's page, or only its panel when htmx asks (after a phase change, a POST)."""
    workshop = participant.workshop
    context = broadcast.panel_context(workshop, participant) | extra
    context["phase_key"] = broadcast.phase_key(workshop)
    if request.htmx:  # the panel alone: the hot path of a room (ballots, refreshes)
        return render(request, "workshops/room/phone.html#panel", context, status=status)
    context = _room_context(workshop, "phase") | context
    response = render(request, "workshops/room/phone.html", context, status=status)
    return idempotency.remember_browser(request, response)


def room(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant(request, pk)
    if participant is None:
        workshop = _workshop(pk)
        if workshop.status in door.JOINABLE:
            return redirect("workshops:join_code", code=workshop.join_code)
        return redirect(workshop)
    return _phone(request, participant)


def _participant_or_404(request: HttpRequest, pk: int) -> Participant:
    if (participant := _participant(request, pk)) is None:
        raise Http404
    return participant


def _phone_of(request: HttpRequest, pk: int, **_more) -> str | None:
    """The participant a phone says it is: its limits are its own, not its Wi-Fi's."""
    token = request.COOKIES.get(_cookie(pk))
    return f"participant:{token[:64]}" if token else None


@require_POST
@limited("ideas", key=_phone_of)
def post_idea(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _participant_or_404(request, pk)
    form = IdeaForm(request.POST)
    if not form.is_valid():
        return _phone(request, participant, status=422, idea_form=form)
    try:  # a second tap on « Envoyer » posts the idea once
        idempotency.form_once(request, form, write=lambda: _posted(
            live.post_idea(participant=participant, text=form.cleaned_data["text"])))  # fmt: skip
    except DomainError as refused:  # the idéation is over
        return _phone(request, participant, status=refused.status, error=refused.message)
    sent = _("Votre idée est sur l'écran.")
    if not request.htmx:
        messages.success(request, sent)
        return redirect("workshops:room", pk=pk)
    return _phone(request, participant, sent=sent)


def _posted(idea: Idea) -> dict:
    return {"idea": idea.pk}


def ballot_values(post) -> dict[int, int]:
    """The grades a ballot's form sends: critere-<criterion id> = <grade>."""
    values = {}
    for name, value in post.items():
        criterion, grade = record_id(name.removeprefix("critere-")), record_id(value)
        if name.startswith("critere-") and criterion is not None and grade is not None:
            values[criterion] = grade
    return values


def in_panel(response: HttpResponse, swap: str = "outerHTML") -> HttpResponse:
    """A ballot's answer that is not the ballot (a refusal, a wait): it goes to the panel."""
    return reswap(retarget(response, "#panel"), swap)


@require_POST
@limited("ballots", key=_phone_of, answer=lambda response: in_panel(response, "afterbegin"))
def vote(request: HttpRequest, pk: int, scenario: int) -> HttpResponse:
    """A ballot. With htmx the answer says it is saved (ballots from a hall's phones usually
    come by the lane instead: ballots.py); without, the page again."""
    participant = _participant_or_404(request, pk)
    scenario = get_object_or_404(Scenario, pk=scenario, workshop_id=pk)
    try:
        live.grade_scenario(
            participant=participant, scenario=scenario, values=ballot_values(request.POST)
        )
    except DomainError as refused:
        error = {"scenario": scenario.pk, "message": refused.message}
        return in_panel(_phone(
            request, participant, status=refused.status, vote_error=error, error=refused.message
        ))  # fmt: skip
    if not request.htmx:
        messages.success(request, broadcast.saved_message(scenario))
        return redirect("workshops:room", pk=pk)
    workshop = participant.workshop
    judged = ballots.judged_counts({participant.pk}, pk, workshop.criteria.count())
    return HttpResponse(broadcast.saved_ballot(
        scenario, judged=judged[participant.pk], scenarios=list(workshop.scenarios.all())
    ))  # fmt: skip


def mine(request: HttpRequest, pk: int) -> JsonResponse:
    """What of the phone's panel is its own (live.js, after a phase event)."""
    participant = _participant_or_404(request, pk)
    parts = broadcast.personal_parts(participant.workshop, [participant])
    return JsonResponse(parts[participant.pk])


# --- the facilitators' console and the projector ----------------------------------------------


def facilitating(view):
    """Let in the lab's team and the workshop's facilitators; the view gets the workshop."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        workshop = _workshop(pk)
        if not live.can_facilitate(workshop, request.user):
            raise Http404
        return view(request, workshop, *args, **kwargs)

    return wrapper


def _console(request: HttpRequest, workshop: Workshop, status: int = 200, **forms) -> HttpResponse:
    context = _room_context(workshop, "phase", "ideas", "scenarios", "results")
    context |= {
        "phases": list(workshop.phases.select_related("card")),
        "clusters": list(workshop.clusters.all()),
        "scenario_form": forms.get("scenario_form")
        or ScenarioForm(initial=_from_cluster(request, workshop)),
        "decision_form": forms.get("decision_form") or DecisionForm(workshop=workshop),
        "can_decide": workshop.decided_at is None and workshop.status in door.JOINABLE,
        "networks": door.networks(workshop),
    }
    template = "workshops/room/console.html"
    if request.htmx and request.GET.get("partie") in PARTS:
        template += "#" + PARTS[request.GET["partie"]]
    return render(request, template, context, status=status)


PARTS = {"idees": "board", "porte": "door"}  # what the console refreshes on its own
console = facilitating(_console)


def _from_cluster(request: HttpRequest, workshop: Workshop) -> dict:
    """A scenario started from a group of ideas: its title, and its ideas as what changes."""
    cluster = workshop.clusters.filter(pk=record_id(request.GET.get("groupe"))).first()
    if cluster is None:
        return {}
    ideas = cluster.ideas.counted().filter(merged_into__isnull=True).values_list("text", flat=True)
    return {"title": cluster.title, "changes": "\n".join(f"– {text}" for text in ideas)}


def _act(request: HttpRequest, workshop: Workshop, action, anchor: str, done: str = ""):
    """Run one of the console's actions and go back to it; a refusal is said there."""
    try:
        action()
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        if done:
            messages.success(request, done)
    return redirect(reverse("workshops:console", kwargs={"pk": workshop.pk}) + anchor)


@require_POST
@facilitating
def start_phase(request: HttpRequest, workshop: Workshop, phase: int) -> HttpResponse:
    chosen = get_object_or_404(Phase, pk=phase, workshop=workshop)
    return _act(request, workshop, lambda: live.start_phase(
        workshop=workshop, phase=chosen, by=request.user), "#phases")  # fmt: skip


def _checked_ideas(request: HttpRequest, workshop: Workshop) -> list[Idea]:
    ids = record_ids(request.POST.getlist("idees"))
    return list(workshop.ideas.filter(pk__in=ids))


@require_POST
@facilitating
def group_ideas(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    def action():
        if not (ideas := _checked_ideas(request, workshop)):
            raise DomainError(_("Cochez d'abord les idées à regrouper."))
        title = request.POST.get("groupe_existant") or request.POST.get("titre", "")
        live.group_ideas(workshop=workshop, by=request.user, ideas=ideas, title=title)

    return _act(request, workshop, action, "#idees")


@require_POST
@facilitating
def merge_ideas(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    def action():
        ideas = sorted(_checked_ideas(request, workshop), key=lambda i: (i.created_at, i.pk))
        if len(ideas) < 2:
            raise DomainError(_("Cochez au moins deux idées qui disent la même chose."))
        with transaction.atomic():
            for duplicate in ideas[1:]:
                live.merge_ideas(workshop=workshop, by=request.user, duplicate=duplicate,
                                 into=ideas[0])  # fmt: skip

    return _act(request, workshop, action, "#idees", _("Idées fusionnées."))


@require_POST
@facilitating
def add_scenario(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    form = ScenarioForm(request.POST)
    if not form.is_valid():
        return _console(request, workshop, status=400, scenario_form=form)
    return _act(request, workshop, lambda: live.add_scenario(
        workshop=workshop, by=request.user, **form.cleaned_data), "#scenarios",
        _("Scénario ajouté."))  # fmt: skip


@require_POST
@facilitating
def remove_scenario(request: HttpRequest, workshop: Workshop, scenario: int) -> HttpResponse:
    chosen = get_object_or_404(Scenario, pk=scenario, workshop=workshop)
    return _act(request, workshop, lambda: live.remove_scenario(
        scenario=chosen, by=request.user), "#scenarios", _("Scénario retiré."))  # fmt: skip


@require_POST
@facilitating
def reveal(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    return _act(request, workshop, lambda: live.reveal_results(
        workshop=workshop, by=request.user), "#resultats")  # fmt: skip


@require_POST
@facilitating
def decide(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    form = DecisionForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return _console(request, workshop, status=400, decision_form=form)
    return _act(request, workshop, lambda: live.decide(
        workshop=workshop, by=request.user, **form.cleaned_data), "#decision",
        _("La décision est enregistrée."))  # fmt: skip


@require_POST
@facilitating
def exclude(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    def action():
        chosen = record_ids(request.POST.getlist("participants"))
        if network := request.POST.get("reseau"):  # the whole of one network
            chosen = workshop.participants.filter(network=network).values_list("pk", flat=True)
        if not chosen:
            raise DomainError(_("Cochez d'abord les participants à exclure."))
        count = door.exclude(workshop=workshop, by=request.user, participants=chosen)
        messages.success(request, ngettext(
            "%(count)s participant exclu : ses idées et ses mentions ne comptent plus.",
            "%(count)s participants exclus : leurs idées et leurs mentions ne comptent plus.",
            count) % {"count": count})  # fmt: skip

    return _act(request, workshop, action, "#porte")


@require_POST
@facilitating
def set_joining(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    opening = request.POST.get("acces") == "ouvrir"
    done = _("La salle est ouverte.") if opening else _("La salle est fermée aux nouveaux.")
    return _act(request, workshop, lambda: door.set_joining(
        workshop=workshop, by=request.user, open=opening), "#porte", done)  # fmt: skip


@require_POST
@facilitating
def set_expected(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    def action():
        if (expected := record_id(request.POST.get("attendus"))) is None:
            raise DomainError(_("Indiquez un nombre de personnes."))
        door.set_expected(workshop=workshop, by=request.user, expected=expected)

    return _act(request, workshop, action, "#porte", _("C'est noté."))


@facilitating
def screen(request: HttpRequest, workshop: Workshop) -> HttpResponse:
    """The projector: the phase, the code and QR code to join, ideas, scenarios, results."""
    context = _room_context(workshop, "phase", "ideas", "scenarios", "results")
    context["join_url"] = request.build_absolute_uri(
        reverse("workshops:join_code", args=[workshop.join_code])
    )
    context["short_url"] = request.build_absolute_uri(reverse("workshops:join"))
    context["dark"] = request.GET.get("theme") == "sombre"  # a plain link: no script needed
    return render(request, "workshops/room/screen.html", context)
