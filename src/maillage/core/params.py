"""What a query string or a form carries where no Django form reads it (a button's value, a
list of ticked records, a week): read here, so that a value that is not what it should be
gives None, never an exception."""

import re
from collections.abc import Iterable
from datetime import date

# A record's id: digits only (str.isdigit() also takes « ² », which int() refuses), that a 64-bit
# column can hold.
RECORD_ID = re.compile(r"[0-9]{1,18}")
# The days the platform reasons about: a date outside is a typo or an attack.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def record_id(value: str | None) -> int | None:
    return int(value) if value and RECORD_ID.fullmatch(value) else None


def record_ids(values: Iterable[str]) -> list[int]:
    return [pk for pk in map(record_id, values) if pk is not None]


def day(value: str | None) -> date | None:
    """The day VALUE names (YYYY-MM-DD) between 2000 and 2100, else None."""
    try:
        found = date.fromisoformat(value or "")
    except ValueError:
        return None
    return found if EARLIEST_DAY <= found <= LATEST_DAY else None
