"""The needs received, as tables a lab of a few hundred needs a year can publish.

Month by dimension by neighbourhood rarely reaches five needs a cell on a territory like the demo's:
that finest table (`besoins-agreges`) stays, and these coarser ones say what it cannot — each
with its totals, its small cells hidden and the cells that would give them back hidden too
(`suppression`)."""

from collections import Counter
from collections.abc import Callable, Iterator

from django.db.models import Count
from django.db.models.functions import TruncMonth

from maillage.needs.models import Need

from .suppression import TOTAL, published

NO_DIMENSION, NO_NEIGHBOURHOOD = "sans-dimension", "non-dit"


def _received() -> Counter:
    """Needs received, by (month, dimension's code, neighbourhood)."""
    rows = (
        Need.objects.annotate(mois=TruncMonth("created_at"))
        .values_list("mois", "dimension__code", "neighbourhood")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = Counter()
    for month, dimension, neighbourhood, n in rows:
        counts[month.date() if hasattr(month, "date") else month, dimension or NO_DIMENSION,
               neighbourhood.strip() or NO_NEIGHBOURHOOD] += n  # fmt: skip
    return counts


def _month(day) -> str:
    return f"{day:%Y-%m}"


def _quarter(day) -> str:
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"


def _year(day) -> str:
    return str(day.year)


def _table(key: Callable, *, smallest: int, received: Counter | None = None) -> dict:
    """The table whose cells KEY names (None: not in this table), with totals, as published;
    from RECEIVED (`_received()`, read once by a caller making several tables)."""
    cells = Counter()
    for (month, dimension, neighbourhood), n in (received or _received()).items():
        if (cell := key(month, dimension, neighbourhood)) is not None:
            cells[cell] += n
    return published(cells, smallest=smallest)


def _ordered(table: dict[tuple, int | None]) -> list[tuple]:
    """Rows first, each column in order, totals last."""
    return sorted(table, key=lambda k: tuple((part == TOTAL, str(part)) for part in k))


def by_month_and_dimension(smallest: int) -> Iterator[dict]:
    table = _table(lambda m, d, _n: (_month(m), d), smallest=smallest)
    for month, dimension in _ordered(table):
        yield {"mois": month, "dimension": dimension, "besoins": table[month, dimension]}


def by_quarter_and_neighbourhood(smallest: int) -> Iterator[dict]:
    table = _table(lambda m, _d, n: (_quarter(m), n), smallest=smallest)
    for quarter, neighbourhood in _ordered(table):
        yield {"trimestre": quarter, "quartier": neighbourhood,
               "besoins": table[quarter, neighbourhood]}  # fmt: skip


def by_year_dimension_and_neighbourhood(smallest: int) -> Iterator[dict]:
    """One table a year (dimension by neighbourhood), each with its own totals."""
    received = _received()
    for year in sorted({_year(m) for m, _d, _n in received}):
        table = _table(lambda m, d, n, y=year: (d, n) if _year(m) == y else None,
                       smallest=smallest, received=received)  # fmt: skip
        for dimension, neighbourhood in _ordered(table):
            yield {"annee": year, "dimension": dimension, "quartier": neighbourhood,
                   "besoins": table[dimension, neighbourhood]}  # fmt: skip
