"""The one CSV writer of the platform: every export goes through it.

A cell that starts with =, +, -, @, a tab or a carriage return is read by a spreadsheet as a
formula (OWASP, « CSV injection »): such a cell is written with a leading apostrophe, which
spreadsheets show as plain text. Numbers stay numbers, and an international phone number
(+33612345678, as data·inclusion requires) carries no formula and is kept as the standard
writes it."""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?\d+(?:[.,]\d+)?|\+\d{6,15}")  # a signed number, an E.164 phone
BYTE_ORDER_MARK = "\ufeff"


def cell(value) -> str | int | float | Decimal:
    """VALUE as a CSV cell a spreadsheet will not run."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not HARMLESS.fullmatch(text):
        return "'" + text
    return text


def lines(rows: Iterable[Iterable], *, delimiter: str = ",", bom: bool = False) -> Iterator[str]:
    """ROWS (the header first) as CSV text, line by line: an export of any size streams."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if bom:  # spreadsheets then read the accents right
        yield BYTE_ORDER_MARK
    for row in rows:
        writer.writerow([cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def response(
    rows: Iterable[Iterable], *, filename: str, delimiter: str = ";", bom: bool = True
) -> StreamingHttpResponse:
    """A CSV download, streamed; by default as French spreadsheets open it (« ; », BOM)."""
    answer = StreamingHttpResponse(
        lines(rows, delimiter=delimiter, bom=bom), content_type="text/csv; charset=utf-8"
    )
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer
