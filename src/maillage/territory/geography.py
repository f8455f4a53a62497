"""Where things are on the territory, for distances."""

import time
from functools import lru_cache

from maillage.core.text import fold

from .models import Organisation

CENTRES_TTL = 3600  # neighbourhoods' centres are read again every hour


@lru_cache(maxsize=1)
def _centres(_period: int) -> dict[str, tuple[float, float]]:
    points: dict[str, list[tuple[float, float]]] = {}
    rows = Organisation.objects.exclude(latitude=None).exclude(neighbourhood="")
    for hood, lat, lon in rows.values_list("neighbourhood", "latitude", "longitude"):
        points.setdefault(fold(hood), []).append((lat, lon))
    return {
        hood: (sum(p[0] for p in ps) / len(ps), sum(p[1] for p in ps) / len(ps))
        for hood, ps in points.items()
    }


def neighbourhood_location(name: str) -> tuple[float, float] | None:
    """Where a neighbourhood lies: the centre of the organisations located in it."""
    if not name:
        return None
    return _centres(int(time.monotonic() // CENTRES_TTL)).get(fold(name.strip()))


def reset() -> None:
    _centres.cache_clear()
