"""Reading a CSV download as a spreadsheet would."""

import csv
import io


def rows_of(response, *, delimiter: str = ";") -> list[list[str]]:
    """The rows of a CSV answer (streamed or not, with its byte-order mark or not)."""
    body = response.getvalue() if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def dicts_of(response, *, delimiter: str = ",") -> list[dict[str, str]]:
    body = response.getvalue() if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))
