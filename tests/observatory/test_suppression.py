"""Small cells hidden, and the cells that would give them back: no line of a published table
(a row or a column with its total) leaves a hidden cell to be found by a subtraction."""

from hypothesis import given
from hypothesis import strategies as st

from maillage.observatory.opendata import SMALLEST_CELL
from maillage.observatory.suppression import TOTAL, published

CELLS = st.dictionaries(
    st.tuples(st.sampled_from("abcde"), st.sampled_from("vwxyz")),
    st.integers(min_value=1, max_value=40),
    max_size=25,
)


def _solvable(table: dict) -> list:
    """The hidden keys that one line's equation gives back."""
    rows, columns = {}, {}
    for key in table:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    return [
        key for line in [*rows.values(), *columns.values()]
        for key in line if table[key] is None and sum(table[k] is None for k in line) == 1
    ]  # fmt: skip


@given(CELLS)
def test_no_small_cell_is_published_nor_found_again_from_the_totals(cells):
    table = published(cells, smallest=SMALLEST_CELL)
    assert all(count is None or count == 0 or count >= SMALLEST_CELL for count in table.values())
    assert _solvable(table) == []
    for key, count in cells.items():  # what is published is the true count
        assert table[key] in (None, count)


def test_a_table_says_its_totals_and_hides_the_complement_of_a_small_cell():
    table = published({("T1", "Carro"): 3, ("T1", "Jonquières"): 12, ("T2", "Carro"): 9,
                       ("T2", "Jonquières"): 20}, smallest=5)  # fmt: skip
    assert table["T1", "Carro"] is None  # 3: too few
    assert table[TOTAL, TOTAL] == 44
    # Carro's column and T1's row each need a second unknown: their smallest other cells.
    assert table["T2", "Carro"] is None and table["T1", "Jonquières"] is None
    assert table["T2", "Jonquières"] is None  # …and then T2's row and Jonquières' column
    assert table["T1", TOTAL] == 15 and table[TOTAL, "Carro"] == 12
