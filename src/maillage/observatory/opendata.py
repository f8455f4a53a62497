"""The open data, in the French standards (see reference/standards.md): organisations and their
services in the data·inclusion schema v1, the lab's sites in the Schéma des lieux de médiation
numérique v1.0.2, and the needs as anonymised aggregates. Each file is a stream of records read
from the database in chunks, so that memory does not grow with the territory.

In the CSV files, a list is written as its values joined by « | », as the médiation numérique
schema does."""

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core import spreadsheets
from maillage.mutualisation.models import Offer
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Place

from . import tables

SOURCE = "maillage-martigues"
CHUNK = 2000
SMALLEST_CELL = 5  # an aggregate counting fewer people than this is not published
MEDIATION_SERVICES = (  # what the lab's sites offer, in the schema's words
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Accès internet et matériel informatique",
)


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _summary(organisation: Organisation) -> str:
    """A description for an organisation that wrote none (the schema requires one)."""
    town = organisation.city or "Martigues"
    return f"{organisation.name} — {organisation.get_kind_display()}, à {town}."


def structures() -> Iterator[dict]:
    """The organisations of the territory as data·inclusion structures."""
    organisations = Organisation.objects.active().prefetch_related(
        "networks", Prefetch("places", queryset=Place.objects.prefetch_related("opening_periods"))
    )
    for organisation in organisations.order_by("pk").iterator(chunk_size=CHUNK):
        place = next(iter(organisation.places.all()), None)
        yield {
            "source": SOURCE,
            "id": organisation.slug,
            "nom": organisation.name,
            "description": organisation.description or _summary(organisation),
            "date_maj": _day(organisation.updated_at),
            "lien_source": _link(organisation.get_absolute_url()),
            "siret": organisation.siret or None,
            "commune": organisation.city or None,
            "code_postal": organisation.postal_code or None,
            "code_insee": organisation.insee_code or None,
            "adresse": organisation.street or None,
            "complement_adresse": organisation.address_complement or None,
            "latitude": organisation.latitude,
            "longitude": organisation.longitude,
            "telephone": organisation.phone or None,
            "courriel": organisation.email or None,
            "site_web": organisation.website or None,
            "horaires_accueil": (place.osm_opening_hours() or None) if place else None,
            "accessibilite_lieu": None,
            "reseaux_porteurs": sorted(network.code for network in organisation.networks.all()),
        }  # fmt: skip


FEES = {Offer.Conditions.GRATUIT: "gratuit", Offer.Conditions.PAYANT: "payant",
        Offer.Conditions.CONTREPARTIE: "payant"}  # fmt: skip


def services() -> Iterator[dict]:
    """The services that organisations offer through the mutualisation, as data·inclusion
    services (those of a person alone have no structure to belong to: not published)."""
    offers = (
        Offer.objects.filter(kind=Offer.Kind.SERVICE, status=Offer.Status.ACTIVE,
                             organisation__isnull=False, organisation__archived_at__isnull=True)
        .select_related("organisation").prefetch_related("thematiques")
    )  # fmt: skip
    for offer in offers.order_by("pk").iterator(chunk_size=CHUNK):
        organisation = offer.organisation
        yield {
            "source": SOURCE,
            "id": f"offre-{offer.pk}",
            "structure_id": organisation.slug,
            "nom": offer.title,
            "description": offer.description,
            "date_maj": _day(offer.updated_at),
            "lien_source": _link(offer.get_absolute_url()),
            "type": offer.service_type or None,
            "thematiques": sorted({t.data_inclusion_code for t in offer.thematiques.all()
                                   if t.data_inclusion_code}),
            "frais": FEES.get(offer.conditions),
            "frais_precisions": offer.conditions_detail or None,
            "publics": ["tous-publics"] if offer.audience == Offer.Audience.TOUT_PUBLIC else [],
            "conditions_acces": None if offer.audience == Offer.Audience.TOUT_PUBLIC
            else str(offer.get_audience_display()),
            "commune": organisation.city or None,
            "code_postal": organisation.postal_code or None,
            "code_insee": organisation.insee_code or None,
            "adresse": organisation.street or None,
            "telephone": organisation.phone or None,
            "courriel": organisation.email or None,
            "modes_accueil": ["en-presentiel"],
            "zone_eligibilite": [organisation.insee_code or "france"],
            "lien_mobilisation": _link(offer.get_absolute_url()),
            "modes_mobilisation": ["utiliser-lien-mobilisation"],
            "mobilisable_par": ["usagers", "professionnels"],
        }  # fmt: skip


def places() -> Iterator[dict]:
    """The lab's sites as lieux de médiation numérique; a site whose organisation has neither
    SIRET nor RNA has no `pivot` and is left out (the schema requires one)."""
    sites = (
        Place.objects.filter(kind=Place.Kind.LAB_SITE, archived_at__isnull=True)
        .select_related("organisation").prefetch_related("opening_periods")
    )  # fmt: skip
    for place in sites.order_by("pk").iterator(chunk_size=CHUNK):
        organisation = place.organisation
        pivot = organisation and (organisation.siret or organisation.rna)
        if not (pivot and place.city and place.postal_code and place.street):
            continue
        yield {
            "id": f"lieu-{place.pk}",
            "pivot": pivot,
            "nom": place.name,
            "commune": place.city,
            "code_postal": place.postal_code,
            "code_insee": place.insee_code or None,
            "adresse": place.street,
            "complement_adresse": place.address_complement or None,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "typologie": ["TIERS_LIEUX"],
            "telephone": organisation.phone or None,
            "courriels": [organisation.email] if organisation.email else [],
            "site_web": [organisation.website] if organisation.website else [],
            "horaires": place.osm_opening_hours() or None,
            "presentation_resume": (place.description or "")[:280] or None,
            "source": SOURCE,
            "structure_parente": organisation.name,
            "itinerance": ["Fixe"],
            "services": list(MEDIATION_SERVICES),
            "frais_a_charge": ["Gratuit"],
            "modalites_acces": ["Se présenter", "Téléphoner"],
            "date_maj": _day(organisation.updated_at),  # a place has no date of its own
        }  # fmt: skip


def needs_aggregates() -> Iterator[dict]:
    """Needs received, by month, dimension and neighbourhood; a cell counting fewer than five
    needs is not published (it could point at someone)."""
    rows = (
        Need.objects.annotate(mois=TruncMonth("created_at"))
        .values("mois", "dimension__code", "neighbourhood")
        .annotate(besoins=Count("pk"), resolus=Count("pk", filter=Q(status=Need.Status.RESOLU)))
        .order_by("mois", "dimension__code", "neighbourhood")
    )  # fmt: skip
    for row in rows.iterator(chunk_size=CHUNK):
        if row["besoins"] < SMALLEST_CELL:
            continue
        yield {
            "mois": f"{row['mois']:%Y-%m}",
            "dimension": row["dimension__code"] or "",
            "quartier": row["neighbourhood"] or "",
            "besoins": row["besoins"],
            "resolus": row["resolus"] if row["resolus"] >= SMALLEST_CELL else None,
        }


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    standard: str
    records: Callable[[], Iterable[dict]]
    columns: tuple[str, ...]

    # Why the file may have no row, said on the page when it has none.
    empty_because: str = _("Rien à publier pour l'instant : le territoire n'en compte pas encore.")


NO_NEED_YET = _("Aucun besoin reçu pour l'instant.")
DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset("data-inclusion-structures", _("Les structures du territoire"),
                "data·inclusion v1 (structures)", structures,
                ("source", "id", "nom", "description", "date_maj", "lien_source", "siret",
                 "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
                 "latitude", "longitude", "telephone", "courriel", "site_web",
                 "horaires_accueil", "accessibilite_lieu", "reseaux_porteurs")),
        Dataset("data-inclusion-services", _("Leurs services"), "data·inclusion v1 (services)",
                services,
                ("source", "id", "structure_id", "nom", "description", "date_maj", "lien_source",
                 "type", "thematiques", "frais", "frais_precisions", "publics",
                 "conditions_acces", "commune", "code_postal", "code_insee", "adresse",
                 "telephone", "courriel", "modes_accueil", "zone_eligibilite",
                 "lien_mobilisation", "modes_mobilisation", "mobilisable_par")),
        Dataset("lieux-mediation-numerique", _("Les lieux de médiation numérique du laboratoire"),
                "Schéma des lieux de médiation numérique v1.0.2", places,
                ("id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse",
                 "complement_adresse", "latitude", "longitude", "typologie", "telephone",
                 "courriels", "site_web", "horaires", "presentation_resume", "source",
                 "structure_parente", "itinerance", "services", "frais_a_charge",
                 "modalites_acces", "date_maj")),
        Dataset("besoins-agreges", _("Les besoins reçus, agrégés"),
                _("agrégats anonymes (aucune case sous 5 besoins)"), needs_aggregates,
                ("mois", "dimension", "quartier", "besoins", "resolus"),
                _("Aucun mois n'a reçu 5 besoins d'une même dimension et d'un même quartier : "
                  "les tableaux moins détaillés ci-dessous disent ce que celui-ci ne peut pas.")),
        Dataset("besoins-par-mois-et-dimension", _("Les besoins reçus, par mois et par dimension"),
                _("tableau avec totaux, petites cases masquées"),
                lambda: tables.by_month_and_dimension(SMALLEST_CELL),
                ("mois", "dimension", "besoins"), NO_NEED_YET),
        Dataset("besoins-par-trimestre-et-quartier",
                _("Les besoins reçus, par trimestre et par quartier"),
                _("tableau avec totaux, petites cases masquées"),
                lambda: tables.by_quarter_and_neighbourhood(SMALLEST_CELL),
                ("trimestre", "quartier", "besoins"), NO_NEED_YET),
        Dataset("besoins-par-annee-dimension-et-quartier",
                _("Les besoins reçus, par année, dimension et quartier"),
                _("tableau avec totaux, petites cases masquées"),
                lambda: tables.by_year_dimension_and_neighbourhood(SMALLEST_CELL),
                ("annee", "dimension", "quartier", "besoins"), NO_NEED_YET),
    )
}  # fmt: skip
# Aggregates are published as CSV only: their rows are few, and a table is what people open.
FORMATS = {"data-inclusion-structures": ("json", "csv"), "data-inclusion-services": ("json", "csv"),
           "lieux-mediation-numerique": ("json", "csv"), "besoins-agreges": ("csv",),
           "besoins-par-mois-et-dimension": ("csv",), "besoins-par-trimestre-et-quartier": ("csv",),
           "besoins-par-annee-dimension-et-quartier": ("csv",)}  # fmt: skip


LICENCE = (
    "Licence Ouverte 2.0 (Etalab)",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
)
DESCRIBED_FOR = 600  # seconds: the page tells sizes counted at most ten minutes ago


def describe(dataset: Dataset) -> dict:
    """The size of DATASET's first file, its rows, and when it was counted (cached a while:
    counting means writing the whole file)."""

    def count() -> dict:
        size = chunks = 0
        first = FORMATS[dataset.name][0]
        for chunk in (as_csv if first == "csv" else as_json)(dataset):
            size, chunks = size + len(chunk.encode()), chunks + 1
        # A CSV is its header and a line a row; a JSON array its brackets and a chunk a record.
        rows = chunks - 1 if first == "csv" else chunks - 2
        return {"size": size, "rows": rows, "at": timezone.now(), "format": first}

    return cache.get_or_set(f"opendata-described:{dataset.name}", count, DESCRIBED_FOR)


def as_json(dataset: Dataset) -> Iterator[str]:
    """A JSON array, written record by record."""
    yield "["
    for n, record in enumerate(dataset.records()):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]\n"


def as_csv(dataset: Dataset) -> Iterator[str]:
    """A CSV file (comma separated, UTF-8), written row by row; lists joined by « | »."""
    rows = ([_cell(record.get(column)) for column in dataset.columns]
            for record in dataset.records())  # fmt: skip
    return spreadsheets.lines(itertools.chain([dataset.columns], rows))


def _cell(value):
    return "|".join(str(v) for v in value) if isinstance(value, list) else value
