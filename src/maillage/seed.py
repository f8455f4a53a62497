"""Load a whole territory, app by app, in dependency order (the `seed` and `demo` commands)."""

from maillage.mutualisation import seed as mutualisation_seed
from maillage.needs import seed as needs_seed
from maillage.projects import seed as projects_seed
from maillage.territory.seed import demo, large
from maillage.workshops import seed as workshops_seed


def is_demo_loaded() -> bool:
    return demo.is_loaded()


def load_demo() -> dict[str, int]:
    counts = demo.load()
    counts["besoins"] = needs_seed.load_demo()
    counts.update(mutualisation_seed.load_demo())
    counts.update(workshops_seed.load_demo())
    counts.update(projects_seed.load_demo())
    return counts


def load_large(*, seed: int) -> dict[str, int]:
    counts = large.load(seed=seed)
    counts["besoins"] = needs_seed.load_large(seed=seed)
    counts["offres"] = mutualisation_seed.load_large(seed=seed)
    counts.update(projects_seed.load_large(seed=seed))
    return counts
