"""Import organisations from a data·inclusion « structures » file (CSV), with a report of what
was created, updated, left unchanged and rejected, and why.

The file is read row by row whatever its size (UTF-8 with or without a byte-order mark, or
Latin-1 / Windows-1252; commas or semicolons), and written in batches; the whole import is one
transaction, so that a file that cannot be read leaves nothing half-imported. An organisation
is known by the record's « source:id »: importing the same file again changes nothing."""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.journal import VERB_LABELS
from maillage.core.models import JournalEntry, User
from maillage.territory.models import Organisation
from maillage.territory.validators import (
    normalise_phone,
    validate_insee_code,
    validate_postal_code,
    validate_siret,
)

REQUIRED = ("source", "id", "nom")
# data·inclusion's field → the organisation's
FIELDS = {
    "nom": "name", "description": "description", "siret": "siret", "commune": "city",
    "code_postal": "postal_code", "code_insee": "insee_code", "adresse": "street",
    "complement_adresse": "address_complement", "latitude": "latitude",
    "longitude": "longitude", "telephone": "phone", "courriel": "email", "site_web": "website",
}  # fmt: skip
BATCH = 1000
SAMPLE = 64 * 1024
VERB_LABELS["organisation-imported"] = gettext_lazy("Importée de data·inclusion")


class Unreadable(Exception):
    """The file as a whole cannot be imported; nothing is."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # line, id, why
    encoding: str = ""
    delimiter: str = ""
    dry_run: bool = False

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)


def _text(binary) -> tuple[io.TextIOWrapper, str]:
    """BINARY as text, its encoding guessed from its first bytes."""
    sample = binary.read(SAMPLE)
    binary.seek(0)
    if sample.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            sample.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as cut:
            # A character cut at the sample's end is still UTF-8; anything else is Latin-1's
            # superset, as spreadsheets write it in France.
            encoding = "utf-8" if cut.start >= len(sample) - 3 else "cp1252"
    return io.TextIOWrapper(binary, encoding=encoding, newline=""), encoding


def _clean(row: dict[str, str]) -> dict:
    """The organisation's fields from ROW; a ValidationError says what is wrong."""
    values = {}
    for column, name in FIELDS.items():
        value = (row.get(column) or "").strip()
        if not value:
            values[name] = None if name in ("latitude", "longitude") else ""
            continue
        if name == "siret":
            value = value.replace(" ", "")
            validate_siret(value)
        elif name == "insee_code":
            validate_insee_code(value)
        elif name == "postal_code":
            validate_postal_code(value)
        elif name == "phone":
            value = normalise_phone(value)
        elif name == "email":
            EmailValidator(message=_("Ce courriel n'est pas valide."))(value)
        elif name == "website":
            URLValidator(message=_("Cette adresse web n'est pas valide."))(value)
        elif name in ("latitude", "longitude"):
            try:
                value = float(value.replace(",", "."))
            except ValueError:
                raise ValidationError(
                    _("%(field)s n'est pas un nombre.") % {"field": column}
                ) from None
            limit = 90 if name == "latitude" else 180
            if not -limit <= value <= limit:
                raise ValidationError(_("%(field)s est hors des limites.") % {"field": column})
        values[name] = value[:200] if isinstance(value, str) and name != "description" else value
    values["description"] = values["description"][:5000]
    return values


def import_structures(binary, *, by: User | None, dry_run: bool = False) -> ImportReport:
    """Import the structures of BINARY (a file opened in binary mode). DRY_RUN: say what would
    happen, write nothing."""
    text, encoding = _text(binary)
    header = text.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = [column.strip() for column in next(csv.reader([header], delimiter=delimiter), [])]
    if missing := [column for column in REQUIRED if column not in columns]:
        raise Unreadable(_("Il manque des colonnes obligatoires : %(columns)s.")
                         % {"columns": ", ".join(missing)})  # fmt: skip
    report = ImportReport(encoding=encoding, delimiter=delimiter, dry_run=dry_run)
    reader = csv.DictReader(text, fieldnames=columns, delimiter=delimiter)
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            batch: list[tuple[int, str, dict]] = []
            for line, row in enumerate(reader, start=2):
                key = _row(report, seen, line, row)
                if key is not None:
                    batch.append(key)
                if len(batch) == BATCH:
                    _write(batch, report, by)
                    batch = []
            _write(batch, report, by)
            if dry_run:
                transaction.set_rollback(True)
    except UnicodeDecodeError as wrong:
        raise Unreadable(_("Le fichier n'est pas lisible : enregistrez-le en UTF-8.")) from wrong
    except csv.Error as wrong:
        raise Unreadable(
            _("Le fichier n'est pas un CSV lisible : %(why)s") % {"why": wrong}
        ) from wrong
    return report


def _row(report, seen, line: int, row: dict) -> tuple[int, str, dict] | None:
    """The row's key and fields, or None once its rejection is reported."""
    if None in row:  # more cells than columns
        report.rejected.append((line, row.get("id") or "", _("Plus de cellules que de colonnes.")))
        return None
    source, ident = (row.get("source") or "").strip(), (row.get("id") or "").strip()
    if not (source and ident and (row.get("nom") or "").strip()):
        report.rejected.append((line, ident, _("Il manque la source, l'identifiant ou le nom.")))
        return None
    key = f"{source}:{ident}"[:200]
    if key in seen:
        report.rejected.append((line, ident, _("En double : déjà ligne %(line)s.")
                                % {"line": seen[key]}))  # fmt: skip
        return None
    seen[key] = line
    try:
        return line, key, _clean(row)
    except ValidationError as wrong:
        report.rejected.append((line, ident, " ".join(wrong.messages)))
        return None


def _write(batch: list[tuple[int, str, dict]], report: ImportReport, by: User | None) -> None:
    if not batch:
        return
    keys = [key for _line, key, _values in batch]
    known = {
        o.data_inclusion_id: o for o in Organisation.objects.filter(data_inclusion_id__in=keys)
    }
    created, changed = [], []
    for _line, key, values in batch:
        organisation = known.get(key)
        if organisation is None:
            created.append(Organisation(data_inclusion_id=key, kind=Organisation.Kind.AUTRE,
                                        **values))  # fmt: skip
        elif any(getattr(organisation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(organisation, name, value)
            changed.append(organisation)
        else:
            report.unchanged += 1
    _give_slugs(created)
    now = timezone.now()
    for organisation in [*created, *changed]:
        organisation.updated_at = now
        organisation.refresh_search_text([])
    Organisation.objects.bulk_create(created)
    Organisation.objects.bulk_update(changed, [*FIELDS.values(), "search_text", "updated_at"])
    report.created += len(created)
    report.updated += len(changed)
    subject = ContentType.objects.get_for_model(Organisation)
    JournalEntry.objects.bulk_create(
        JournalEntry(subject_type=subject, subject_id=organisation.pk, verb="organisation-imported",
                     actor=by if by is not None and by.is_authenticated else None,
                     data={"data_inclusion_id": organisation.data_inclusion_id,
                           "created": organisation in created})
        for organisation in [*created, *changed]
    )  # fmt: skip


def _give_slugs(organisations: list[Organisation]) -> None:
    """A unique page address for each new organisation: its name and its record's id, checked
    against the database in one query for the batch."""
    wanted = {id(o): f"{slugify(o.name)[:120] or 'structure'}-{slugify(o.data_inclusion_id)[:70]}"
              for o in organisations}  # fmt: skip
    taken = set(Organisation.objects.filter(slug__in=set(wanted.values()))
                .values_list("slug", flat=True))  # fmt: skip
    for organisation in organisations:
        slug, n = wanted[id(organisation)], 1
        while slug in taken:
            n += 1
            slug = f"{wanted[id(organisation)]}-{n}"
        taken.add(slug)
        organisation.slug = slug
