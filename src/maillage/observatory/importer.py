"""Import organisations and their services from data·inclusion « structures » and « services »
files (CSV), with a report of what was created, updated, left unchanged and rejected, and why.

Two steps, so that a large file never holds the database: `read` goes through the whole file
(UTF-8 with or without a byte-order mark, or Latin-1 / Windows-1252; commas or semicolons),
checks every row and keeps those accepted, writing nothing; `write` then writes them in one
transaction, in batches — a file that cannot be read whole leaves nothing half-imported. A row
is refused, with its reason, for a value its field cannot hold (too long, a NUL character), never
cut short, except the free texts (descriptions), which are. An organisation or a service is
known by its record's « source:id »: importing the same file again changes nothing. A service's
thématiques are those of data·inclusion the platform knows."""

import csv
import io
from collections.abc import Callable
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
from maillage.core.models import JournalEntry, Thematique, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.mutualisation.models import Offer
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
KEY_LENGTH = 200  # data_inclusion_id's
IDENT_SHOWN = 80
VERB_LABELS["organisation-imported"] = gettext_lazy("Importée de data·inclusion")
VERB_LABELS["offer-imported"] = gettext_lazy("Service importé de data·inclusion")


class Unreadable(Exception):
    """The file as a whole cannot be imported; nothing is."""


class Cancelled(Exception):
    """The person who asked for the import stopped it while the file was read."""


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
        values[name] = value
    values["description"] = _cut(Organisation, "description", values["description"])
    for column, name in FIELDS.items():
        if isinstance(values[name], str):
            _check_fits(Organisation, name, values[name], column)
    return values


def _check_fits(model, name: str, value: str, column: str) -> None:
    limit = model._meta.get_field(name).max_length
    if limit and len(value) > limit:
        raise ValidationError(
            _("« %(column)s » a %(length)s caractères, %(limit)s au plus.")
            % {"column": column, "length": len(value), "limit": limit}
        )


def _cut(model, name: str, value: str) -> str:
    """A free text kept to what its field holds: a long presentation is still one."""
    limit = model._meta.get_field(name).max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Kind:
    """What a file holds: its required columns, how a row is checked and how rows are written."""

    required: tuple[str, ...]
    clean: Callable[[dict[str, str]], dict]
    write: Callable[[list, ImportReport, User | None], None]


Progress = Callable[[float], None]  # told the share of the file read; may raise Cancelled


def read(binary, kind: Kind, *, progress: Progress | None = None) -> tuple[ImportReport, list]:
    """Check every row of BINARY (a file opened in binary mode), writing nothing: the report of
    the rows refused so far and the rows accepted, for `write`. Unreadable if the file is."""
    size = binary.seek(0, io.SEEK_END) or 1
    binary.seek(0)
    text, encoding = _text(binary)
    try:
        report, rows = _checked(text, binary, size, encoding, kind, progress)
    except UnicodeDecodeError as wrong:
        raise Unreadable(_("Le fichier n'est pas lisible : enregistrez-le en UTF-8.")) from wrong
    except csv.Error as wrong:
        raise Unreadable(
            _("Le fichier n'est pas un CSV lisible : %(why)s") % {"why": wrong}
        ) from wrong
    return report, rows


def _checked(text, binary, size: int, encoding: str, kind: Kind, progress):
    header = text.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # A column's name goes into the report: never a NUL, which no database stores.
    columns = [column.strip().replace("\x00", "")
               for column in next(csv.reader([header], delimiter=delimiter), [])]  # fmt: skip
    if missing := [column for column in kind.required if column not in columns]:
        raise Unreadable(_("Il manque des colonnes obligatoires : %(columns)s.")
                         % {"columns": ", ".join(missing)})  # fmt: skip
    report = ImportReport(encoding=encoding, delimiter=delimiter)
    reader = csv.DictReader(text, fieldnames=columns, delimiter=delimiter)
    seen: dict[str, int] = {}
    rows = []
    for line, row in enumerate(reader, start=2):
        if (accepted := _row(report, seen, line, row, kind)) is not None:
            rows.append(accepted)
        if progress is not None and line % BATCH == 0:
            progress(min(binary.tell() / size, 1.0))
    return report, rows


def write(kind: Kind, rows: list, report: ImportReport, *, by: User | None,
          dry_run: bool = False) -> ImportReport:  # fmt: skip
    """Write the ROWS `read` accepted, in one transaction. DRY_RUN: count what would change,
    write nothing."""
    report.dry_run = dry_run
    with transaction.atomic():
        for start in range(0, len(rows), BATCH):
            kind.write(rows[start : start + BATCH], report, by)
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_structures(binary, *, by: User | None, dry_run: bool = False) -> ImportReport:
    """Import the structures of BINARY (a file opened in binary mode). DRY_RUN: say what would
    happen, write nothing."""
    return _at_once(STRUCTURES, binary, by=by, dry_run=dry_run)


def import_services(binary, *, by: User | None, dry_run: bool = False) -> ImportReport:
    """Import the services of BINARY; their structures must have been imported before."""
    return _at_once(SERVICES, binary, by=by, dry_run=dry_run)


def _at_once(kind: Kind, binary, *, by: User | None, dry_run: bool) -> ImportReport:
    """Both steps in this process (the command line; the pages hand files to the worker)."""
    report, rows = read(binary, kind)
    return write(kind, rows, report, by=by, dry_run=dry_run)


def _row(report, seen, line: int, row: dict, kind: Kind) -> tuple[int, str, dict] | None:
    """The row's key and fields, or None once its rejection is reported."""
    source, ident = (row.get("source") or "").strip(), (row.get("id") or "").strip()
    shown = ident.replace("\x00", "")[:IDENT_SHOWN]  # the report is stored, and shown

    def refuse(why: str) -> None:
        report.rejected.append((line, shown, why))

    if None in row:  # more cells than columns
        return refuse(_("Plus de cellules que de colonnes."))
    if nul := [column for column, value in row.items() if value and "\x00" in value]:
        return refuse(_("Un caractère nul dans : %(columns)s.") % {"columns": ", ".join(nul)})
    if missing := [column for column in kind.required if not (row.get(column) or "").strip()]:
        return refuse(_("Vide : %(columns)s.") % {"columns": ", ".join(missing)})
    key = f"{source}:{ident}"
    if len(key) > KEY_LENGTH:
        return refuse(_("« source » et « id » ensemble ont plus de %(limit)s caractères.")
                      % {"limit": KEY_LENGTH})  # fmt: skip
    if key in seen:
        return refuse(_("En double : déjà ligne %(line)s.") % {"line": seen[key]})
    seen[key] = line
    try:
        return line, key, kind.clean(row)
    except ValidationError as wrong:
        return refuse(" ".join(wrong.messages))


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


SERVICE_REQUIRED = ("source", "id", "structure_id", "nom", "description")
FEES = {"gratuit": Offer.Conditions.GRATUIT, "payant": Offer.Conditions.PAYANT,
        "gratuit-sous-conditions": Offer.Conditions.CONTREPARTIE}  # fmt: skip
SERVICE_FIELDS = ("title", "description", "service_type", "conditions", "conditions_detail",
                  "how_to_ask")  # fmt: skip


def _clean_service(row: dict[str, str]) -> dict:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    kind = cell("type")
    if kind and kind not in Offer.ServiceType.values:
        raise ValidationError(_("Type de service inconnu : « %(type)s ».") % {"type": kind[:40]})
    fee = cell("frais")
    if fee and fee not in FEES:
        raise ValidationError(_("Frais inconnus : « %(frais)s ».") % {"frais": fee[:40]})
    codes = {c.strip() for c in cell("thematiques").replace("|", ",").split(",") if c.strip()}
    _check_fits(Offer, "title", cell("nom"), "nom")
    _check_fits(Offer, "conditions_detail", cell("frais_precisions"), "frais_precisions")
    structure = f"{cell('source')}:{cell('structure_id')}"
    if len(structure) > KEY_LENGTH:
        raise ValidationError(_("« structure_id » a plus de %(limit)s caractères.")
                              % {"limit": KEY_LENGTH})  # fmt: skip
    return {
        "title": cell("nom"), "description": _cut(Offer, "description", cell("description")),
        "service_type": kind, "conditions": FEES.get(fee, Offer.Conditions.GRATUIT),
        "conditions_detail": cell("frais_precisions"),
        "how_to_ask": _cut(Offer, "how_to_ask",
                           cell("lien_mobilisation") or cell("conditions_acces")),
        "structure": structure, "thematiques": codes,
    }  # fmt: skip


def _write_services(batch, report: ImportReport, by: User | None) -> None:
    if not batch:
        return
    owners = {o.data_inclusion_id: o for o in Organisation.objects.filter(
        data_inclusion_id__in={values["structure"] for _line, _key, values in batch})}  # fmt: skip
    known = {o.data_inclusion_id: o for o in Offer.objects.filter(
        data_inclusion_id__in=[key for _line, key, _values in batch])}  # fmt: skip
    themes = {t.data_inclusion_code: t for t in Thematique.objects.exclude(data_inclusion_code="")}
    created, changed, links = [], [], {}
    for line, key, values in batch:
        owner = owners.get(values["structure"])
        if owner is None:
            report.rejected.append((line, key.partition(":")[2], _(
                "Structure inconnue : importez d'abord les structures.")))  # fmt: skip
            continue
        chosen = [themes[code] for code in sorted(values["thematiques"]) if code in themes]
        fields = {name: values[name] for name in SERVICE_FIELDS}
        offer = known.get(key)
        if offer is None:
            dimension = chosen[0].dimension_id if chosen else None
            offer = Offer(kind=Offer.Kind.SERVICE, organisation=owner, data_inclusion_id=key,
                          dimension_id=dimension, **fields)  # fmt: skip
            created.append(offer)
        elif offer.organisation_id != owner.pk or any(
            getattr(offer, name) != value for name, value in fields.items()
        ):
            for name, value in fields.items():
                setattr(offer, name, value)
            offer.organisation = owner
            changed.append(offer)
        else:
            report.unchanged += 1
            continue
        links[key] = chosen
        parts = (offer.title, offer.description, " ".join(str(t) for t in chosen), owner.name)
        offer.search_text, offer.search_stems = search_document(*parts), stem_document(*parts)
    Offer.objects.bulk_create(created)
    now = timezone.now()
    for offer in changed:
        offer.updated_at = now
    Offer.objects.bulk_update(changed, [*SERVICE_FIELDS, "organisation", "search_text",
                                        "search_stems", "updated_at"])  # fmt: skip
    through = Offer.thematiques.through
    through.objects.filter(offer__in=[o.pk for o in changed]).delete()
    through.objects.bulk_create(
        through(offer_id=offer.pk, thematique_id=theme.pk)
        for offer in [*created, *changed] for theme in links[offer.data_inclusion_id]
    )  # fmt: skip
    report.created += len(created)
    report.updated += len(changed)
    subject = ContentType.objects.get_for_model(Offer)
    JournalEntry.objects.bulk_create(
        JournalEntry(subject_type=subject, subject_id=offer.pk, verb="offer-imported",
                     actor=by if by is not None and by.is_authenticated else None,
                     data={"data_inclusion_id": offer.data_inclusion_id})
        for offer in [*created, *changed]
    )  # fmt: skip


STRUCTURES = Kind(required=REQUIRED, clean=_clean, write=_write)
SERVICES = Kind(required=SERVICE_REQUIRED, clean=_clean_service, write=_write_services)
KINDS = {"structures": STRUCTURES, "services": SERVICES}
