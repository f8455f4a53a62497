"""Load a whole territory, app by app, in dependency order (the `seed` and `demo` commands)."""

from collections.abc import Callable

from django.db.models import F

from maillage.core.models import Email, TextMessage
from maillage.formation import seed as formation_seed
from maillage.mediation import seed as mediation_seed
from maillage.mutualisation import seed as mutualisation_seed
from maillage.needs import seed as needs_seed
from maillage.projects import seed as projects_seed
from maillage.territory.seed import demo, large
from maillage.workshops import seed as workshops_seed

# The demo's steps, as its first run shows them, each loading what the next ones build on.
DEMO_STEPS: list[tuple[str, Callable[[], dict[str, int]]]] = [
    ("Structures, personnes et lieux du territoire", demo.load),
    ("Besoins de la permanence", lambda: {"besoins": needs_seed.load_demo()}),
    ("Offres et moyens partagés", mutualisation_seed.load_demo),
    ("Accompagnements de la médiation numérique", mediation_seed.load_demo),
    ("Ateliers de scénarisation", workshops_seed.load_demo),
    ("Projets et groupes de travail", projects_seed.load_demo),
    ("Formations à la méthode et badges", formation_seed.load_demo),
]

# Told before each step: its number (from 0), how many there are, its label, the counts so far.
Progress = Callable[[int, int, str, dict[str, int]], None]


def is_demo_loaded() -> bool:
    return demo.is_loaded()


def load_demo(progress: Progress | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for number, (label, load) in enumerate(DEMO_STEPS):
        if progress:
            progress(number, len(DEMO_STEPS), label, counts)
        counts.update(load())
    if progress:
        progress(len(DEMO_STEPS), len(DEMO_STEPS), "", counts)
    # The e-mails and text messages of the demo's past year were sent in that past, to
    # fictional people: the outboxes keep them as sent, and the demo's terminal shows only
    # those of today.
    Email.objects.unsent().update(sent_at=F("created_at"))
    TextMessage.objects.unsent().update(sent_at=F("created_at"))
    return counts


def load_large(*, seed: int) -> dict[str, int]:
    counts = large.load(seed=seed)
    counts["besoins"] = needs_seed.load_large(seed=seed)
    counts["offres"] = mutualisation_seed.load_large(seed=seed)
    counts.update(projects_seed.load_large(seed=seed))
    return counts
