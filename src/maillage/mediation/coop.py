"""Accompaniments as La Coop reads them: its attribute names and values, for the API's feed
and for the spreadsheet a funder opens. Both walk the accompaniments by (date, id) in pages,
so a year of 100,000 streams in bounded memory."""

import base64
import binascii
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import batched

import xlsxwriter
from django.db.models import Prefetch, Q
from django.http import StreamingHttpResponse

from maillage.core import spreadsheets

from .models import Accompaniment, Participation

PAGE = 2000  # rows fetched at a time by an export


def queryset():
    return (
        Accompaniment.objects.active()
        .select_related("need", "mediator")
        .prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("beneficiary"))
        )
        .order_by("date", "pk")
    )


def attributes(a: Accompaniment) -> dict:
    """One accompaniment with the Coop's names (`activite`), the need it answers beside them."""
    people = list(a.participations.all())
    return {
        "id": a.pk,
        "type": a.kind,
        "date": a.date.isoformat(),
        "duree": a.duration,
        "accompagnements": len(people) + a.anonymous_people,
        "type_lieu": a.place_type,
        "lieu_code_insee": a.commune_code or None,
        "autonomie": a.autonomy or None,
        "oriente_vers_structure": a.redirected,
        "structure_de_redirection": a.redirection or None,
        "materiel": a.materials,
        "thematiques": a.thematiques,
        "precisions_demarche": a.details or None,
        "titre_atelier": a.workshop_title or None,
        "niveau_atelier": a.workshop_level or None,
        "beneficiaires": [
            {"genre": p.beneficiary.gender, "tranche_age": p.beneficiary.age_band,
             "statut_social": p.beneficiary.social_status,
             "commune_code_insee": p.beneficiary.commune_code or None,
             "premier_accompagnement": p.first}
            for p in people
        ],
        "besoin": {"id": a.need_id, "reference": a.need.reference} if a.need_id else None,
        "mediateur": a.mediator.email,
    }  # fmt: skip


# --- the cursor: where a page stopped, opaque to the caller --------------------------------


def cursor_after(a: Accompaniment) -> str:
    return base64.urlsafe_b64encode(f"{a.date.isoformat()}|{a.pk}".encode()).decode()


def after(cursor: str, *, backwards: bool = False) -> Q | None:
    """The accompaniments after CURSOR (before it, BACKWARDS: newest first); None if CURSOR
    is none of ours."""
    try:
        day, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        day, pk = date.fromisoformat(day), int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        return None
    if backwards:
        return Q(date__lt=day) | Q(date=day, pk__lt=pk)
    return Q(date__gt=day) | Q(date=day, pk__gt=pk)


# --- the spreadsheet ----------------------------------------------------------------------------

COLUMNS = [
    "id", "type", "date", "duree", "accompagnements", "type_lieu", "lieu_code_insee", "autonomie",
    "oriente_vers_structure", "structure_de_redirection", "materiel", "thematiques",
    "precisions_demarche", "titre_atelier", "niveau_atelier", "premiers_accompagnements",
    "besoin", "mediateur",
]  # fmt: skip
# What each row is made of, read as plain values (no model per row: a year is 100,000 rows).
VALUES = [
    "pk", "kind", "date", "duration", "anonymous_people", "place_type", "commune_code",
    "autonomy", "redirected", "redirection", "materials", "thematiques", "details",
    "workshop_title", "workshop_level", "need__reference", "mediator__email",
]  # fmt: skip


def rows(accompaniments) -> Iterator[list]:
    """The header, then a row per accompaniment of ACCOMPANIMENTS (by date, then id): one query
    read PAGE rows at a time (a server-side cursor on PostgreSQL), and one for the people of
    each PAGE."""
    yield COLUMNS
    plain = accompaniments.prefetch_related(None).select_related(None)
    values = plain.order_by("date", "pk").values_list(*VALUES)
    for page in batched(values.iterator(chunk_size=PAGE), PAGE, strict=False):
        people, firsts = Counter(), Counter()
        found = Participation.objects.filter(accompaniment_id__in=[row[0] for row in page])
        for accompaniment, first in found.values_list("accompaniment_id", "first"):
            people[accompaniment] += 1
            firsts[accompaniment] += first
        for (pk, kind, day, duration, present, place, commune, autonomy, redirected, redirection,
             materials, themes, details, title, level, need, mediator) in page:  # fmt: skip
            yield [
                pk, kind, day.isoformat(), duration, people[pk] + present, place, commune or None,
                autonomy or None, redirected, redirection or None, ", ".join(materials),
                ", ".join(themes), details or None, title or None, level or None, firsts[pk],
                need, mediator,
            ]  # fmt: skip


def csv_response(accompaniments, *, filename: str) -> StreamingHttpResponse:
    return spreadsheets.response(rows(accompaniments), filename=f"{filename}.csv")


def xlsx_response(accompaniments, *, filename: str) -> StreamingHttpResponse:
    """A real XLSX, written row by row to a temporary file (XlsxWriter's constant memory mode
    keeps one row in memory), then streamed; the file goes once it is sent (or the sending
    stops)."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="accompagnements-")
    os.close(handle)
    try:
        book = xlsxwriter.Workbook(
            path, {"constant_memory": True, "tmpdir": tempfile.gettempdir(),
                   "strings_to_formulas": False, "strings_to_urls": False}
        )  # fmt: skip
        sheet = book.add_worksheet("accompagnements")
        bold = book.add_format({"bold": True})
        for number, values in enumerate(rows(accompaniments)):
            sheet.write_row(number, 0, values, bold if number == 0 else None)
        book.close()
    except BaseException:
        os.unlink(path)
        raise
    response = StreamingHttpResponse(
        _sent_then_removed(path),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Length"] = str(os.path.getsize(path))
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sent_then_removed(path: str) -> Iterator[bytes]:
    try:
        with open(path, "rb") as sent:
            while chunk := sent.read(256 * 1024):
                yield chunk
    finally:
        os.unlink(path)
