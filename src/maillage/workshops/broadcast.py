"""What the room's screens see change live: the phase, the ideas, the scenarios, the votes and
results. Each part is rendered once per change and sent to every screen of the workshop (see
core/live.py); participants' ideas and votes are coalesced, the facilitators' moves go at once."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core import live

from .forms import IdeaForm
from .models import Grade, Idea, Participant, Phase, Workshop
from .results import results

PARTS = ("phase", "ideas", "scenarios", "results")


def channel(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


def phase_key(workshop: Workshop) -> str:
    """Changes whenever a phone's panel must change: a new phase, results shown, a decision."""
    return (
        f"{workshop.current_phase_id}:{int(bool(workshop.results_revealed_at))}:{workshop.status}"
    )


def ideas_board(workshop: Workshop) -> list:
    """The ideas still standing (duplicates folded in), by group, ungrouped last."""
    ideas = (
        workshop.ideas.counted()
        .filter(merged_into__isnull=True)
        .select_related("cluster")
        .annotate(repeated=Count("duplicates"))
        .order_by("cluster__position", "cluster_id", "created_at", "pk")
    )
    groups: dict = {}
    for idea in ideas:
        groups.setdefault(idea.cluster, []).append(idea)
    ungrouped = groups.pop(None, [])
    board = [{"cluster": cluster, "ideas": items} for cluster, items in groups.items()]
    if ungrouped:
        board.append({"cluster": None, "ideas": ungrouped})
    return board


def voters(workshop: Workshop) -> int:
    return (
        Grade.objects.counted()
        .filter(scenario__workshop=workshop)
        .values("participant")
        .distinct()
        .count()
    )


def part_context(workshop: Workshop, part: str) -> dict:
    """What the template of PART needs: pages render the parts with it too."""
    context = {"workshop": workshop}
    if part == "phase":
        context["present"] = workshop.participants.counted().count()
    elif part == "ideas":
        context["board"] = ideas_board(workshop)
    elif part == "scenarios":
        context["scenarios"] = list(workshop.scenarios.all())
    elif part == "results":
        context["voters"] = voters(workshop)
        context["participants"] = workshop.participants.counted().count()
        if workshop.results_revealed_at:
            context["results"] = results(workshop)
    return context


def panel_context(workshop: Workshop, participant: Participant | None) -> dict:
    """The phone's panel for PARTICIPANT; with None, the panel of someone who has done nothing
    in this phase yet, pushed with the phase so that phones need not each fetch theirs."""
    context = part_context(workshop, "scenarios") | {
        "participant": participant, "personal": [],
    }  # fmt: skip
    if participant is None:
        context["csrf_token"] = ""  # htmx sends the page's token in a header
    if workshop.results_revealed_at:
        context |= part_context(workshop, "results")
    kind = _personal_kind(workshop)
    ideas = list(participant.ideas.order_by("-created_at", "-pk")) if participant else []
    grades = list(Grade.objects.filter(participant=participant)) if participant else []
    # The phases in which this phone has something of its own: it fetches its panel for those.
    context["personal"] = [k for k, mine in (("ideation", ideas), ("evaluation", grades)) if mine]
    if participant is not None and participant.excluded_at is not None:
        context |= {"excluded": True, "personal": ["ideation", "evaluation"]}
        return context
    if kind == Phase.Kind.IDEATION:
        context |= {"idea_form": IdeaForm(), "my_ideas": ideas}
    if kind == Phase.Kind.EVALUATION:
        mine = {(g.scenario_id, g.criterion_id): g.value for g in grades}
        criteria = list(workshop.criteria.all())
        context["ballots"] = [_ballot(s, criteria, mine) for s in context["scenarios"]]
        context["judged"] = sum(ballot["done"] for ballot in context["ballots"])
    return context


def _ballot(scenario, criteria: list, mine: dict[tuple[int, int], int]) -> dict:
    rows = [{"criterion": c, "value": mine.get((scenario.pk, c.pk))} for c in criteria]
    done = all(row["value"] is not None for row in rows)
    return {"scenario": scenario, "rows": rows, "done": done}


PHONE = "workshops/room/phone.html"


def saved_message(scenario) -> str:
    return _("Vos mentions pour « %(title)s » sont enregistrées.") % {"title": scenario.title}


def saved_ballot(scenario, *, judged: int, scenarios: list) -> str:
    """What a phone is answered when its ballot is saved: the ballot marked saved, said so, and
    where the phone stands (« 2 scénarios sur 4 jugés »), swapped into its page by htmx. Not
    the ballot again: its grades are the ones the phone shows, and its focus stays put."""
    context = {"ballot": {"scenario": scenario, "done": True}, "sent": saved_message(scenario),
               "judged": judged, "scenarios": scenarios}  # fmt: skip
    return render_to_string(f"{PHONE}#ballot_saved", context)


def personal_parts(workshop: Workshop, participants: list[Participant]) -> dict[int, dict]:
    """What of each phone's panel is its own, for phones that took the room's panel from a phase
    event (live.js): its grades and where it stands, its ideas — or the whole panel, when it
    was excluded. A few queries for all of PARTICIPANTS, and small fragments: a hall's phones
    coming back to the vote ask for theirs all at once (lane.py)."""
    key, kind = phase_key(workshop), _personal_kind(workshop)
    ids = [participant.pk for participant in participants]
    ideas: dict[int, list] = {pk: [] for pk in ids}
    grades: dict[int, dict] = {pk: {} for pk in ids}
    for idea in Idea.objects.filter(participant_id__in=ids).order_by("-created_at", "-pk"):
        ideas[idea.participant_id].append(idea)
    rows = Grade.objects.filter(participant_id__in=ids)
    for participant, scenario, criterion, value in rows.values_list(
        "participant_id", "scenario_id", "criterion_id", "value"
    ):
        grades[participant][(scenario, criterion)] = value
    if kind == Phase.Kind.EVALUATION:
        criteria, scenarios = list(workshop.criteria.all()), list(workshop.scenarios.all())
        # The same few fragments for a whole hall: each rendered once.
        states = {done: render_to_string(f"{PHONE}#ballot_state", {"ballot": {"done": done}})
                  for done in (False, True)}  # fmt: skip
        progress = [render_to_string(f"{PHONE}#progress", {"judged": n, "scenarios": scenarios})
                    for n in range(len(scenarios) + 1)]  # fmt: skip
    answers = {}
    for participant in participants:
        if participant.excluded_at is not None:
            context = panel_context(workshop, participant) | {"phase_key": key}
            answers[participant.pk] = {
                "key": key, "panel": render_to_string(f"{PHONE}#panel", context),
            }  # fmt: skip
            continue
        mine, html = grades[participant.pk], {}
        personal = [k for k, has in (("ideation", ideas[participant.pk]), ("evaluation", mine))
                    if has]  # fmt: skip
        answers[participant.pk] = {"key": key, "personal": personal, "html": html, "checked": []}
        if kind == Phase.Kind.IDEATION:
            context = {"my_ideas": ideas[participant.pk]}
            html["my-ideas"] = render_to_string(f"{PHONE}#my_ideas", context)
        elif kind == Phase.Kind.EVALUATION:
            ballots = [_ballot(scenario, criteria, mine) for scenario in scenarios]
            for ballot in ballots:
                html[f"ballot-{ballot['scenario'].pk}-state"] = states[ballot["done"]]
            answers[participant.pk]["checked"] = [
                f"note-{scenario}-{criterion}-{value}"
                for (scenario, criterion), value in mine.items()
            ]
            html["ballot-progress"] = progress[sum(ballot["done"] for ballot in ballots)]
    return answers


def render_part(workshop: Workshop, part: str) -> live.Event:
    context = part_context(workshop, part)
    html = {f"live-{part}": render_to_string(f"workshops/room/{part}.html", context)}
    if part != "phase":
        return live.event(part, html=html)
    panel = render_to_string(
        "workshops/room/phone.html#panel",
        panel_context(workshop, None) | {"phase_key": phase_key(workshop)},
    )
    return live.event(part, key=phase_key(workshop), html=html, panel=panel,
                      kind=_personal_kind(workshop))  # fmt: skip


def _personal_kind(workshop: Workshop) -> str:
    """The phase whose panel is personal now (ideas posted, grades given), if any."""
    kind = workshop.current_phase.kind if workshop.current_phase else ""
    if kind == Phase.Kind.IDEATION or (
        kind == Phase.Kind.EVALUATION and not workshop.results_revealed_at
    ):
        return kind
    return ""


def snapshot(channel_name: str, parts=PARTS) -> list[live.Event]:
    """The current state of a workshop's room, for a screen that (re)connects."""
    workshop_id = int(channel_name.split(":", 1)[1])
    workshop = Workshop.objects.select_related("current_phase").filter(pk=workshop_id).first()
    if workshop is None:
        return []
    with translation.override(translation.get_language() or "fr"):
        return [render_part(workshop, part) for part in parts]


def _publish(key: str) -> None:
    workshop_id, part = key.split(":")
    name = channel(int(workshop_id))
    if live.bus().listened(name):  # no screen open: nothing to render
        live.publish(name, snapshot(name, parts=(part,)))


_coalescer = live.Coalescer(_publish)


def changed(workshop_id: int, *parts: str, often: bool = False) -> None:
    """Tell the room's screens, after commit, that PARTS changed. OFTEN (an idea, a vote): at
    most one update every LIVE_COALESCE_SECONDS, however many come in."""

    def send() -> None:
        for part in parts:
            key = f"{workshop_id}:{part}"
            if often:
                _coalescer.mark(key)
            else:
                _publish(key)

    live.on_commit(send)


live.register("workshop", snapshot)
