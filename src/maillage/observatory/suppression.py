"""Tables a small lab can publish: counts with their totals, no small cell readable.

A cell counting fewer than SMALLEST needs (but some) is hidden: it could point at someone. That
alone is not enough when totals are published too: a row whose only hidden cell is known from
its total gives the cell back by a subtraction. So each line of the table — a row with its
total, a column with its total, the totals with the grand total — is an equation, and none may
have exactly one unknown: where one does, its smallest other cell is hidden too (the
« complementary » suppression), until no equation can be solved for a hidden cell."""

from collections.abc import Hashable, Iterator

TOTAL = "ensemble"  # the key of a row's or a column's total


def with_totals(cells: dict[tuple[Hashable, Hashable], int]) -> dict[tuple, int]:
    """CELLS (row, column) → count, with each row's, each column's and the grand total."""
    table = dict(cells)
    for (row, column), count in cells.items():
        table[row, TOTAL] = table.get((row, TOTAL), 0) + count
        table[TOTAL, column] = table.get((TOTAL, column), 0) + count
        table[TOTAL, TOTAL] = table.get((TOTAL, TOTAL), 0) + count
    return table


def _lines(table: dict[tuple, int]) -> Iterator[list[tuple]]:
    """The equations of TABLE: each row and each column, its total included."""
    rows, columns = {}, {}
    for key in table:
        rows.setdefault(key[0], []).append(key)
        columns.setdefault(key[1], []).append(key)
    yield from rows.values()
    yield from columns.values()


def suppress(table: dict[tuple, int], *, smallest: int) -> set[tuple]:
    """The keys of TABLE (with its totals) to leave unpublished."""
    hidden = {key for key, count in table.items() if 0 < count < smallest}
    lines = list(_lines(table))
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            unknown = [key for key in line if key in hidden]
            if len(unknown) != 1:
                continue
            # The smallest count that protects (a zero is no secret); a total when nothing else.
            others = sorted(
                (key for key in line if key not in hidden),
                key=lambda key: (table[key] == 0, TOTAL in key, table[key]),
            )
            if others:
                hidden.add(others[0])
                changed = True
    return hidden


def published(cells: dict[tuple, int], *, smallest: int) -> dict[tuple, int | None]:
    """CELLS with their totals, each hidden one as None."""
    table = with_totals(cells)
    hidden = suppress(table, smallest=smallest)
    return {key: None if key in hidden else count for key, count in table.items()}
