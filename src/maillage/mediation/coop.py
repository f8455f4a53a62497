"""Accompaniments as La Coop reads them: its attribute names and values, for the API's feed
and for the spreadsheet a funder opens. Both walk the accompaniments by (date, id) in pages,
so a year of 100,000 streams in bounded memory."""

import base64
import binascii
import os
import tempfile
from collections.abc import Iterator
from datetime import date

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


def after(cursor: str) -> Q | None:
    """The accompaniments after CURSOR; None if CURSOR is none of ours."""
    try:
        day, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        day, pk = date.fromisoformat(day), int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        return None
    return Q(date__gt=day) | Q(date=day, pk__gt=pk)


def walk(accompaniments) -> Iterator[Accompaniment]:
    """Every accompaniment of ACCOMPANIMENTS (ordered by date, id), a page at a time."""
    page = list(accompaniments[:PAGE])
    while page:
        yield from page
        last = page[-1]
        following = Q(date__gt=last.date) | Q(date=last.date, pk__gt=last.pk)
        page = list(accompaniments.filter(following)[:PAGE])


# --- the spreadsheet ----------------------------------------------------------------------------

COLUMNS = [
    "id", "type", "date", "duree", "accompagnements", "type_lieu", "lieu_code_insee", "autonomie",
    "oriente_vers_structure", "structure_de_redirection", "materiel", "thematiques",
    "precisions_demarche", "titre_atelier", "niveau_atelier", "premiers_accompagnements",
    "besoin", "mediateur",
]  # fmt: skip


def row(a: Accompaniment) -> list:
    found = attributes(a)
    found["materiel"] = ", ".join(found["materiel"])
    found["thematiques"] = ", ".join(found["thematiques"])
    found["premiers_accompagnements"] = sum(p["premier_accompagnement"]
                                            for p in found["beneficiaires"])  # fmt: skip
    found["besoin"] = found["besoin"]["reference"] if found["besoin"] else None
    return [found[column] for column in COLUMNS]


def rows(accompaniments) -> Iterator[list]:
    yield COLUMNS
    for a in walk(accompaniments):
        yield row(a)


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
