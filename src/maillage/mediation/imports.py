"""Import the people accompanied from La Coop's own spreadsheet (its beneficiaries' columns),
as CSV or XLSX: row by row, each refused row with its reason, the others kept. Imported twice,
the same file changes nothing: a person is known by their name and year of birth."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.journal import record
from maillage.core.text import fold

from .models import Beneficiary
from .services import Invalid, PersonFacts, new_beneficiary

# The Coop's columns, in its order.
COLUMNS = ["Nom", "Prénom", "Année de naissance", "Commune", "N° de téléphone", "E-mail", "Genre",
           "Notes"]  # fmt: skip
MOST_ROWS = 5_000
GENDERS = {
    "": "non_communique", "non communique": "non_communique", "non renseigne": "non_communique",
    "feminin": "feminin", "femme": "feminin", "f": "feminin",
    "masculin": "masculin", "homme": "masculin", "h": "masculin", "m": "masculin",
}  # fmt: skip
FIELD_COLUMNS = {"phone": "N° de téléphone", "email": "E-mail", "person_commune": "Commune",
                 "birth_year": "Année de naissance", "consent": "Nom"}  # fmt: skip


class Unreadable(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, why)


def _key(text: str) -> str:
    return " ".join(fold(text or "").split())


def rows_of(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX file, as (line number, {Coop column: text}). Unreadable when
    it is neither, or lacks one of the Coop's columns."""
    lines = _xlsx_lines(content) if content.startswith(b"PK") else _csv_lines(content)
    header = next(lines, None)
    if header is None:
        raise Unreadable(_("Le fichier est vide."))
    where = {_key(name): n for n, name in enumerate(header) if name}
    missing = [column for column in COLUMNS if _key(column) not in where]
    if missing:
        raise Unreadable(
            _("Il manque des colonnes : %(missing)s. Les colonnes attendues sont celles de "
              "La Coop : %(columns)s.") % {"missing": ", ".join(missing),
                                           "columns": ", ".join(COLUMNS)}
        )  # fmt: skip
    for number, values in enumerate(lines, start=2):
        if number - 1 > MOST_ROWS:
            raise Unreadable(_("Au plus %(most)s personnes par fichier.") % {"most": MOST_ROWS})
        row = {column: (values[where[_key(column)]] if where[_key(column)] < len(values) else "")
               for column in COLUMNS}  # fmt: skip
        if any(value.strip() for value in row.values()):
            yield number, {k: v.strip() for k, v in row.items()}


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # a spreadsheet saved « CSV (Windows) »
    if "\x00" in text:
        raise Unreadable(_("Ce fichier n'est ni un CSV ni un tableur XLSX."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_lines(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # only for XLSX files

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise Unreadable(
            _("Ce tableur ne se lit pas : enregistrez-le en XLSX ou en CSV.")
        ) from error
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield ["" if v is None else str(int(v)) if isinstance(v, float) and v.is_integer()
                   else str(v) for v in values]  # fmt: skip
    finally:
        book.close()


def _facts(row: dict[str, str]) -> PersonFacts:
    year = row["Année de naissance"]
    if year and not (year.isdigit() and len(year) == 4):
        raise Invalid("birth_year", _("L'année de naissance s'écrit avec 4 chiffres."))
    gender = GENDERS.get(_key(row["Genre"]))
    if gender is None:
        raise Invalid("gender", _("Genre inconnu : « %(value)s » (Féminin, Masculin ou Non "
                                  "communiqué).") % {"value": row["Genre"][:40]})  # fmt: skip
    return PersonFacts(
        first_name=row["Prénom"], last_name=row["Nom"], birth_year=int(year) if year else None,
        commune=row["Commune"], phone=row["N° de téléphone"], email=row["E-mail"],
        gender=gender, notes=row["Notes"], consent=True,
    )  # fmt: skip


def import_people(content: bytes, *, by) -> Report:
    """Import every row of CONTENT it can; each row is written whole or not at all."""
    report = Report()
    for number, row in rows_of(content):
        if not (row["Nom"] or row["Prénom"]):
            report.refused.append((number, _("Ni nom ni prénom.")))
            continue
        key = "|".join((_key(row["Nom"]), _key(row["Prénom"]), row["Année de naissance"]))
        try:
            with transaction.atomic():
                outcome = _one(key, _facts(row), by=by)
        except Invalid as refused:
            column = FIELD_COLUMNS.get(refused.field, "")
            report.refused.append((number, f"{column} : {refused.message}" if column
                                   else refused.message))  # fmt: skip
        except IntegrityError:
            report.refused.append((number, _("Cette personne est déjà plus haut dans le fichier.")))
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _one(key: str, facts: PersonFacts, *, by) -> str:
    """Create or bring up to date the person KEY names; say which."""
    found = Beneficiary.objects.filter(import_key=key).first()
    if found is None:
        person = new_beneficiary(facts=facts, by=by, verb="beneficiary-imported")
        Beneficiary.objects.filter(pk=person.pk).update(import_key=key)
        return "created"
    fields = facts.checked(today=timezone.localdate())
    # What the file says, over what was known; what it leaves blank stays as it was.
    changed = {name: value for name, value in fields.items()
               if value not in ("", None, "non_communique", "non_communique_ou_heterogene")
               and getattr(found, name) != value}  # fmt: skip
    if not changed:
        return "unchanged"
    for name, value in changed.items():
        setattr(found, name, value)
    found.refresh_search_text()
    found.save()
    record(found, "beneficiary-imported", actor=by, changed=sorted(changed))
    return "updated"
