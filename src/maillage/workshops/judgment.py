"""Majority judgment (Balinski and Laraki), exactly.

Each option has a merit profile: how many judges gave it each grade, from grade 0 (the worst)
upwards. Its majority grade is the lower median of its grades. Options are ranked by their
majority values: the successive lower medians obtained by removing one median grade at a time,
compared lexicographically, higher first. With the judgments sorted worst first and c the index
of the lower median, that sequence is the centre, then alternately one judgment below and one
above moving outwards (below first when the count is odd, above first when it is even). Both
sides are monotone runs of at most as many grades as the scale has, so two options compare in
time proportional to the scale, whatever the number of judges.

Options that received fewer grades than the others are completed with the worst grade: a judge
who did not grade an option is counted as rejecting it.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from itertools import accumulate


@dataclass(frozen=True)
class RankedOption:
    option: str
    rank: int  # 1 is the best; equal only for identical merit profiles
    median: int  # the majority grade
    profile: tuple[int, ...]  # grades received, worst first, completed with the worst grade


def _validate(tallies: Mapping[str, Sequence[int]]) -> int:
    sizes = {len(profile) for profile in tallies.values()}
    if len(sizes) > 1:
        raise ValueError("Every option must be judged on the same scale.")
    if sizes == {0}:
        raise ValueError("The scale needs at least one grade.")
    for option, profile in tallies.items():
        if any(not isinstance(count, int) or count < 0 for count in profile):
            raise ValueError(f"Counts of grades must be whole numbers ≥ 0 ({option!r}).")
    return sizes.pop() if sizes else 0


def _at(profile: Sequence[int], index: int) -> int:
    """The grade of the INDEX-th judgment, judgments sorted worst first."""
    seen = 0
    for grade, count in enumerate(profile):
        seen += count
        if index < seen:
            return grade
    raise IndexError(index)


def median(profile: Sequence[int]) -> int:
    """The majority grade: the lower median."""
    return _at(profile, (sum(profile) - 1) // 2)


def _runs(profile: Sequence[int], start: int, stop: int, step: int) -> Iterator[tuple[int, int]]:
    """(grade, how many) of the judgments from index START towards STOP (excluded)."""
    ends = list(accumulate(profile))  # judgments of grade g: indices ends[g] - count … ends[g] - 1
    grades = range(len(profile)) if step > 0 else range(len(profile) - 1, -1, -1)
    for grade in grades:
        low, high = ends[grade] - profile[grade], ends[grade]
        if step > 0:
            low = max(low, start)
            high = min(high, stop)
        else:
            low, high = max(low, stop + 1), min(high, start + 1)
        if high > low:
            yield grade, high - low


def _first_difference(a: Iterator[tuple[int, int]], b: Iterator[tuple[int, int]]):
    """The first position (1-based) where two run sequences differ, with both grades there."""
    position = 1
    run_a, run_b = next(a, None), next(b, None)
    while run_a and run_b:
        (grade_a, left_a), (grade_b, left_b) = run_a, run_b
        if grade_a != grade_b:
            return position, grade_a, grade_b
        step = min(left_a, left_b)
        position += step
        run_a = (grade_a, left_a - step) if left_a > step else next(a, None)
        run_b = (grade_b, left_b - step) if left_b > step else next(b, None)
    return None


def compare(a: Sequence[int], b: Sequence[int]) -> int:
    """Compare two merit profiles with the same number of judgments by their majority values:
    positive if A is better, negative if B is, 0 if the profiles are identical."""
    n = sum(a)
    if n != sum(b):
        raise ValueError("Profiles compared must count the same number of judgments.")
    if n == 0:
        return 0
    centre = (n - 1) // 2
    grade_a, grade_b = _at(a, centre), _at(b, centre)
    if grade_a != grade_b:
        return grade_a - grade_b
    below_first = n % 2 == 1
    found = []
    for side, (start, stop, step) in (
        ("below", (centre - 1, -1, -1)),
        ("above", (centre + 1, n, 1)),
    ):
        difference = _first_difference(_runs(a, start, stop, step), _runs(b, start, stop, step))
        if difference is not None:
            j, x, y = difference
            first = (side == "below") == below_first
            found.append((2 * j - 1 if first else 2 * j, x - y))
    return min(found)[1] if found else 0


def majority_value(profile: Sequence[int]) -> list[int]:
    """The successive lower medians, by the definition (for display and tests; O(judgments))."""
    judgments = [grade for grade, count in enumerate(profile) for _ in range(count)]
    values = []
    while judgments:
        values.append(judgments.pop((len(judgments) - 1) // 2))
    return values


def rank(tallies: Mapping[str, Sequence[int]]) -> list[RankedOption]:
    """Rank the options of TALLIES (option → how many of each grade, worst grade first), best
    first. Options with identical profiles (after completion) share a rank; the next rank skips
    as many places (1, 1, 3)."""
    _validate(tallies)
    most = max((sum(profile) for profile in tallies.values()), default=0)
    profiles = {}
    for option, profile in tallies.items():
        completed = list(profile)
        if completed:
            completed[0] += most - sum(profile)
        profiles[option] = tuple(completed)
    order = sorted(profiles, key=cmp_to_key(lambda x, y: compare(profiles[y], profiles[x]) or 0))
    ranked: list[RankedOption] = []
    for position, option in enumerate(order, start=1):
        same = ranked and compare(profiles[option], ranked[-1].profile) == 0
        ranked.append(
            RankedOption(
                option=option,
                rank=ranked[-1].rank if same else position,
                median=median(profiles[option]) if most else 0,
                profile=profiles[option],
            )
        )
    return ranked
