"""A workshop's results: each scenario's merit profile per criterion and overall (all the
criteria's grades pooled), ranked by majority judgment."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from .judgment import rank
from .models import Grade, Workshop

SCALE = len(Grade.Value)


@dataclass
class ScenarioResult:
    scenario_id: int
    title: str
    overall: list[int]  # how many of each grade, worst first
    by_criterion: dict[int, list[int]]  # criterion id → profile
    median: int
    rank: int
    median_by_criterion: dict[int, int]
    rank_by_criterion: dict[int, int]

    @property
    def median_label(self) -> str:
        return Grade.Value(self.median).label


def results(workshop: Workshop) -> list[ScenarioResult]:
    """Best first. A scenario a judge did not grade on a criterion counts that grade as the
    worst (`judgment.rank` completes the profiles): the interface says so. The grades of
    participants the facilitators excluded do not count."""
    scenarios = list(workshop.scenarios.all())
    criteria = list(workshop.criteria.all())
    counts = defaultdict(lambda: [0] * SCALE)
    rows = (
        Grade.objects.counted()
        .filter(scenario__workshop=workshop)
        .values("scenario", "criterion", "value")
    )
    for row in rows.annotate(n=Count("pk")):
        counts[(row["scenario"], row["criterion"])][row["value"]] += row["n"]
    by_criterion = {c.pk: {s.pk: counts[(s.pk, c.pk)] for s in scenarios} for c in criteria}
    ranked_by_criterion = {
        c: {r.option: r for r in rank(profiles)} for c, profiles in by_criterion.items() if profiles
    }
    overall = {
        s.pk: [sum(by_criterion[c.pk][s.pk][g] for c in criteria) for g in range(SCALE)]
        for s in scenarios
    }
    titles = {s.pk: s.title for s in scenarios}
    return [
        ScenarioResult(
            scenario_id=r.option, title=titles[r.option], overall=list(r.profile),
            by_criterion={c: list(ranked_by_criterion[c][r.option].profile) for c in ranked_by_criterion},  # noqa: E501
            median=r.median, rank=r.rank,
            median_by_criterion={c: ranked_by_criterion[c][r.option].median for c in ranked_by_criterion},  # noqa: E501
            rank_by_criterion={c: ranked_by_criterion[c][r.option].rank for c in ranked_by_criterion},  # noqa: E501
        )
        for r in (rank(overall) if scenarios else [])
    ]  # fmt: skip
