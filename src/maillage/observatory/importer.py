"""Import organisations and their services from data·inclusion « structures » and « services »
files (CSV), with a report of what was created, updated, left unchanged and rejected, and why.

The file is read row by row whatever its size (UTF-8 with or without a byte-order mark, or
Latin-1 / Windows-1252; commas or semicolons), and written in batches; the whole import is one
transaction, so that a file that cannot be read leaves nothing half-imported. An organisation
or a service is known by its record's « source:id »: importing the same file again changes
nothing. A service's thématiques are those of data·inclusion the platform knows."""

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
VERB_LABELS["organisation-imported"] = gettext_lazy("Importée de data·inclusion")
VERB_LABELS["offer-imported"] = gettext_lazy("Service importé de data·inclusion")


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
    return _import(binary, by=by, dry_run=dry_run, required=REQUIRED, clean=_clean,
                   write=_write)  # fmt: skip


def import_services(binary, *, by: User | None, dry_run: bool = False) -> ImportReport:
    """Import the services of BINARY; their structures must have been imported before."""
    return _import(binary, by=by, dry_run=dry_run, required=SERVICE_REQUIRED,
                   clean=_clean_service, write=_write_services)  # fmt: skip


def _import(binary, *, by, dry_run, required, clean, write) -> ImportReport:
    text, encoding = _text(binary)
    header = text.readline()
    delimiter = ";" if header.count(";") > header.count(",") else ","
    columns = [column.strip() for column in next(csv.reader([header], delimiter=delimiter), [])]
    if missing := [column for column in required if column not in columns]:
        raise Unreadable(_("Il manque des colonnes obligatoires : %(columns)s.")
                         % {"columns": ", ".join(missing)})  # fmt: skip
    report = ImportReport(encoding=encoding, delimiter=delimiter, dry_run=dry_run)
    reader = csv.DictReader(text, fieldnames=columns, delimiter=delimiter)
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            batch: list[tuple[int, str, dict]] = []
            for line, row in enumerate(reader, start=2):
                key = _row(report, seen, line, row, required, clean)
                if key is not None:
                    batch.append(key)
                if len(batch) == BATCH:
                    write(batch, report, by)
                    batch = []
            write(batch, report, by)
            if dry_run:
                transaction.set_rollback(True)
    except UnicodeDecodeError as wrong:
        raise Unreadable(_("Le fichier n'est pas lisible : enregistrez-le en UTF-8.")) from wrong
    except csv.Error as wrong:
        raise Unreadable(
            _("Le fichier n'est pas un CSV lisible : %(why)s") % {"why": wrong}
        ) from wrong
    return report


def _row(report, seen, line: int, row: dict, required, clean) -> tuple[int, str, dict] | None:
    """The row's key and fields, or None once its rejection is reported."""
    if None in row:  # more cells than columns
        report.rejected.append((line, row.get("id") or "", _("Plus de cellules que de colonnes.")))
        return None
    source, ident = (row.get("source") or "").strip(), (row.get("id") or "").strip()
    if missing := [column for column in required if not (row.get(column) or "").strip()]:
        report.rejected.append((line, ident, _("Vide : %(columns)s.")
                                % {"columns": ", ".join(missing)}))  # fmt: skip
        return None
    key = f"{source}:{ident}"[:200]
    if key in seen:
        report.rejected.append((line, ident, _("En double : déjà ligne %(line)s.")
                                % {"line": seen[key]}))  # fmt: skip
        return None
    seen[key] = line
    try:
        return line, key, clean(row)
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
        raise ValidationError(_("Type de service inconnu : « %(type)s ».") % {"type": kind})
    fee = cell("frais")
    if fee and fee not in FEES:
        raise ValidationError(_("Frais inconnus : « %(frais)s ».") % {"frais": fee})
    codes = {c.strip() for c in cell("thematiques").replace("|", ",").split(",") if c.strip()}
    return {
        "title": cell("nom")[:160], "description": cell("description")[:4000],
        "service_type": kind, "conditions": FEES.get(fee, Offer.Conditions.GRATUIT),
        "conditions_detail": cell("frais_precisions")[:200],
        "how_to_ask": (cell("lien_mobilisation") or cell("conditions_acces"))[:1000],
        "structure": f"{cell('source')}:{cell('structure_id')}"[:200], "thematiques": codes,
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
