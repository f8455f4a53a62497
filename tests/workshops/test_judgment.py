"""Majority judgment against published examples, its definition, and its properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.workshops.judgment import compare, majority_value, median, rank

SCALE = 7


def test_the_majority_value_of_the_reference_example():
    # Grades 7, 11, 9, 9, 11 (on a scale up to 11): medians 9, 9, 11, 7, 11.
    profile = [0] * 12
    for grade in (7, 11, 9, 9, 11):
        profile[grade] += 1
    assert majority_value(profile) == [9, 9, 11, 7, 11]
    assert median(profile) == 9


def test_the_mieuxvoter_assertions():
    # MieuxVoter's majority-judgment-library-java, src/test/resources/assertions.json.
    tallies = {"a": [1, 1, 1], "b": [1, 0, 2], "c": [3, 0, 0], "d": [2, 0, 1], "e": [0, 3, 0]}
    ranks = {r.option: r.rank for r in rank(tallies)}
    assert ranks == {"a": 3, "b": 1, "c": 5, "d": 4, "e": 2}


def test_the_lower_median_with_an_even_number_of_grades():
    assert median([0, 1, 1, 0]) == 1
    assert [r.median for r in rank({"x": [0, 1, 1, 0]})] == [1]


def test_identical_profiles_share_a_rank_and_missing_grades_count_as_the_worst():
    ranked = rank({"a": [0, 2, 1], "b": [0, 2, 1], "c": [0, 1, 0]})
    assert [(r.option, r.rank) for r in ranked] == [("a", 1), ("b", 1), ("c", 3)]
    assert ranked[2].profile == (2, 1, 0)  # c was graded once out of three: two rejections added


def test_large_tallies():
    ranked = rank({"a": [0, 20_000, 30_000], "b": [10_000, 0, 40_000], "c": [0, 50_000, 0]})
    assert [(r.option, r.median) for r in ranked] == [("b", 2), ("a", 2), ("c", 1)]


@pytest.mark.parametrize(
    "tallies",
    [{"a": [1, 2], "b": [1]}, {"a": []}, {"a": [1, -1]}, {"a": [1.5, 0]}],
)
def test_bad_tallies_are_refused(tallies):
    with pytest.raises(ValueError):
        rank(tallies)


profiles = st.lists(st.integers(0, 4), min_size=SCALE, max_size=SCALE).filter(sum)


def _same_size(a, b):
    """Complete the smaller profile with worst grades, as `rank` does."""
    a, b = list(a), list(b)
    most = max(sum(a), sum(b))
    a[0] += most - sum(a)
    b[0] += most - sum(b)
    return a, b


@given(profiles, profiles)
def test_the_comparison_follows_the_definition(a, b):
    a, b = _same_size(a, b)
    by_definition = (majority_value(a) > majority_value(b)) - (
        majority_value(a) < majority_value(b)
    )
    assert (compare(a, b) > 0) - (compare(a, b) < 0) == by_definition


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), profiles, min_size=1, max_size=6), st.randoms()
)
def test_the_ranking_does_not_depend_on_the_order_of_the_options(tallies, random):
    items = list(tallies.items())
    random.shuffle(items)
    by_option = {r.option: r.rank for r in rank(tallies)}
    assert {r.option: r.rank for r in rank(dict(items))} == by_option


@given(
    st.dictionaries(st.text(min_size=1, max_size=3), profiles, min_size=2, max_size=6),
    st.data(),
)
def test_raising_a_grade_never_lowers_a_rank(tallies, data):
    option = data.draw(st.sampled_from(sorted(tallies)))
    profile = list(tallies[option])
    grade = data.draw(st.sampled_from([g for g in range(SCALE - 1) if profile[g]] or [None]))
    if grade is None:
        return
    before = {r.option: r.rank for r in rank(tallies)}[option]
    profile[grade] -= 1
    profile[grade + 1] += 1
    after = {r.option: r.rank for r in rank({**tallies, option: profile})}[option]
    assert after <= before
