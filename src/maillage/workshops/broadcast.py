"""What the room's screens see change live: the phase, the ideas, the scenarios, the votes and
results. Each part is rendered once per change and sent to every screen of the workshop (see
core/live.py); participants' ideas and votes are coalesced, the facilitators' moves go at once."""

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import translation

from maillage.core import live

from .models import Grade, Workshop
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
        workshop.ideas.filter(merged_into__isnull=True)
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
        Grade.objects.filter(scenario__workshop=workshop).values("participant").distinct().count()
    )


def part_context(workshop: Workshop, part: str) -> dict:
    """What the template of PART needs: pages render the parts with it too."""
    context = {"workshop": workshop}
    if part == "phase":
        context["present"] = workshop.participants.count()
    elif part == "ideas":
        context["board"] = ideas_board(workshop)
    elif part == "scenarios":
        context["scenarios"] = list(workshop.scenarios.all())
    elif part == "results":
        context["voters"] = voters(workshop)
        context["participants"] = workshop.participants.count()
        if workshop.results_revealed_at:
            grades = dict(Grade.Value.choices)
            context["results"] = [
                {"rank": r.rank, "title": r.title, "overall": r.overall,
                 "median_label": grades[r.median]}
                for r in results(workshop)
            ]  # fmt: skip
    return context


def render_part(workshop: Workshop, part: str) -> live.Event:
    html = render_to_string(f"workshops/room/{part}.html", part_context(workshop, part))
    key = phase_key(workshop) if part == "phase" else ""
    return live.event(part, key=key, html={f"live-{part}": html})


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
