"""The médiation's API, in La Coop's words: the accompaniments' feed (cursor pages, as the
Coop's own API v1 pages its activities), their spreadsheet, and recording one."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from maillage.api.auth import bearer
from maillage.api.once import sent_once
from maillage.api.problems import Forbidden, InvalidInput, answers
from maillage.core.params import EARLIEST_DAY, LATEST_DAY
from maillage.needs.models import Need

from . import coop, services
from .models import Beneficiary
from .vocabulary import (
    AgeBand,
    Autonomy,
    Gender,
    Kind,
    Level,
    Material,
    PlaceType,
    Redirection,
    SocialStatus,
    Thematique,
)

router = Router(tags=["médiation numérique"])


def _values(choices):
    return Literal[tuple(choices.values)]  # type: ignore[valid-type]


class PersonIn(Schema):
    genre: _values(Gender) = Gender.NON_COMMUNIQUE  # type: ignore[valid-type]
    tranche_age: _values(AgeBand) = AgeBand.NON_COMMUNIQUE  # type: ignore[valid-type]
    statut_social: _values(SocialStatus) = SocialStatus.NON_COMMUNIQUE  # type: ignore[valid-type]
    commune_code_insee: str = Field("", max_length=60)
    annee_naissance: int | None = Field(None, ge=1900, le=2100)
    prenom: str = Field("", max_length=100)
    nom: str = Field("", max_length=100)
    telephone: str = Field("", max_length=30)
    courriel: str = Field("", max_length=254)
    consentement: bool = Field(False, description="Accord pour garder le nom et les coordonnées")


class AccompanimentIn(Schema):
    type: _values(Kind)  # type: ignore[valid-type]
    date: dt.date | None = Field(None, description="Par défaut, aujourd'hui")
    duree: int = Field(..., description="En minutes, de 1 à 480")
    type_lieu: _values(PlaceType) = PlaceType.LIEU_ACTIVITE  # type: ignore[valid-type]
    lieu_code_insee: str = Field("", max_length=60)
    autonomie: _values(Autonomy) | None = None  # type: ignore[valid-type]
    oriente_vers_structure: bool = False
    structure_de_redirection: _values(Redirection) | None = None  # type: ignore[valid-type]
    materiel: list[_values(Material)] = Field(default_factory=list, max_length=5)  # type: ignore[valid-type]
    thematiques: list[_values(Thematique)] = Field(..., min_length=1, max_length=30)  # type: ignore[valid-type]
    precisions_demarche: str = Field("", max_length=2000)
    titre_atelier: str = Field("", max_length=200)
    niveau_atelier: _values(Level) | None = None  # type: ignore[valid-type]
    participants_anonymes: int = Field(
        0, ge=0, le=500, description="Atelier collectif : présents non nommés"
    )
    beneficiaire: PersonIn | None = Field(None, description="La personne (individuel)")
    beneficiaire_id: int | None = Field(None, ge=1, le=2**53,
                                        description="Ou une personne déjà connue")  # fmt: skip
    besoin: int | None = Field(None, ge=1, le=2**53, description="Le besoin auquel il répond")


class PersonOut(Schema):
    genre: str
    tranche_age: str
    statut_social: str
    commune_code_insee: str | None
    premier_accompagnement: bool


class NeedRef(Schema):
    id: int
    reference: str


class AccompanimentOut(Schema):
    id: int
    type: str
    date: dt.date
    duree: int
    accompagnements: int
    type_lieu: str
    lieu_code_insee: str | None
    autonomie: str | None
    oriente_vers_structure: bool
    structure_de_redirection: str | None
    materiel: list[str]
    thematiques: list[str]
    precisions_demarche: str | None
    titre_atelier: str | None
    niveau_atelier: str | None
    beneficiaires: list[PersonOut]
    besoin: NeedRef | None
    mediateur: str


class AccompanimentPage(Schema):
    items: list[AccompanimentOut]
    next: str | None = Field(description="Le curseur de la page suivante (`page[after]`)")


class Period(Schema):
    start: dt.date | None = Field(None, alias="from", ge=EARLIEST_DAY, le=LATEST_DAY)
    end: dt.date | None = Field(None, alias="to", ge=EARLIEST_DAY, le=LATEST_DAY)


class PageFilters(Period):
    after: str | None = Field(None, alias="page[after]", max_length=100)
    size: int = Field(100, alias="page[size]", ge=1, le=500)


class ExportFilters(Period):
    format: Literal["xlsx", "csv"] = "xlsx"


def _team(request: HttpRequest):
    if not request.auth.is_facilitator:
        raise Forbidden("Réservé à l'équipe du laboratoire.")
    return request.auth


def _in_period(filters: Period):
    if filters.start and filters.end and filters.end < filters.start:
        raise InvalidInput("to", "La fin de la période vient avant son début.")
    found = coop.queryset()
    if filters.start:
        found = found.filter(date__gte=filters.start)
    if filters.end:
        found = found.filter(date__lte=filters.end)
    return found


@router.get("", response=AccompanimentPage, auth=bearer, summary="Les accompagnements (équipe)",
            openapi_extra=answers(403))  # fmt: skip
def list_accompaniments(request: HttpRequest, filters: Query[PageFilters]):
    """Accompaniments from the oldest, with La Coop's attribute names; `page[after]` takes the
    `next` of the page before."""
    _team(request)
    found = _in_period(filters)
    if filters.after:
        if (following := coop.after(filters.after)) is None:
            raise InvalidInput("page[after]", "Ce curseur ne vient pas d'une page de cette liste.")
        found = found.filter(following)
    page = list(found[: filters.size + 1])
    more = len(page) > filters.size
    page = page[: filters.size]
    return {"items": [coop.attributes(a) for a in page],
            "next": coop.cursor_after(page[-1]) if more else None}  # fmt: skip


@router.get("/export", auth=bearer, summary="Les accompagnements en tableur (équipe)",
            openapi_extra={**answers(403), "responses": {**answers(403)["responses"], "200": {
                "description": "Un tableur XLSX, ou un CSV (« ; », UTF-8 avec BOM)",
                "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument."
                                                "spreadsheetml.sheet": {}}}}})  # fmt: skip
def export_accompaniments(request: HttpRequest, filters: Query[ExportFilters]):
    _team(request)
    found = _in_period(filters)
    name = f"accompagnements-{timezone.localdate():%Y-%m-%d}"
    if filters.format == "csv":
        return coop.csv_response(found, filename=name)
    return coop.xlsx_response(found, filename=name)


# Where each of the services' fields is, in the Coop's words the caller used.
API_FIELDS = {
    "kind": "type", "date": "date", "duration": "duree", "place_type": "type_lieu",
    "commune": "lieu_code_insee", "autonomy": "autonomie",
    "redirection": "structure_de_redirection",
    "materials": "materiel", "thematiques": "thematiques", "workshop_title": "titre_atelier",
    "workshop_level": "niveau_atelier", "anonymous_people": "participants_anonymes",
    "people": "beneficiaire_id",
}  # fmt: skip
PERSON_FIELDS = {
    "phone": "telephone", "email": "courriel", "consent": "consentement",
    "person_commune": "commune_code_insee", "birth_year": "annee_naissance",
    "age_band": "tranche_age",
    "gender": "genre", "social_status": "statut_social",
}  # fmt: skip


@router.post("", response={201: AccompanimentOut}, auth=bearer,
             summary="Noter un accompagnement (équipe)", openapi_extra=answers(403))  # fmt: skip
def create_accompaniment(request: HttpRequest, payload: AccompanimentIn, response: HttpResponse):
    """Record one accompaniment with La Coop's attribute names; a value it does not accept
    answers 422 naming the field and the values accepted. With an `Idempotency-Key`, sent
    again, it is recorded once."""
    user = _team(request)
    need = None
    if (
        payload.besoin is not None
        and (need := Need.objects.filter(pk=payload.besoin).first()) is None
    ):
        raise InvalidInput("besoin", "Besoin inconnu.", where="body")
    people = []
    if payload.beneficiaire_id is not None:
        known = Beneficiary.objects.active().filter(pk=payload.beneficiaire_id).first()
        if known is None:
            raise InvalidInput("beneficiaire_id", "Personne inconnue.", where="body")
        people.append(known)
    facts = services.AccompanimentFacts(
        kind=payload.type, day=payload.date, duration=payload.duree, place_type=payload.type_lieu,
        commune=payload.lieu_code_insee, autonomy=payload.autonomie or "",
        redirected=payload.oriente_vers_structure,
        redirection=payload.structure_de_redirection or "", materials=payload.materiel,
        thematiques=payload.thematiques, details=payload.precisions_demarche,
        workshop_title=payload.titre_atelier, workshop_level=payload.niveau_atelier or "",
        anonymous_people=payload.participants_anonymes,
    )  # fmt: skip
    person = None
    if (given := payload.beneficiaire) is not None:
        person = services.PersonFacts(
            first_name=given.prenom, last_name=given.nom, birth_year=given.annee_naissance,
            age_band=given.tranche_age, gender=given.genre, social_status=given.statut_social,
            commune=given.commune_code_insee, phone=given.telephone, email=given.courriel,
            consent=given.consentement,
        )  # fmt: skip

    def write() -> tuple[int, dict]:
        try:
            done = services.record_accompaniment(
                facts=facts, by=user, people=people, new_person=person, need=need
            )
        except services.Invalid as refused:
            where = (f"beneficiaire.{PERSON_FIELDS[refused.field]}"
                     if refused.field in PERSON_FIELDS
                     else API_FIELDS.get(refused.field, refused.field))  # fmt: skip
            raise InvalidInput(where, refused.message, where="body") from refused
        return 201, coop.attributes(coop.queryset().get(pk=done.pk))

    return sent_once(request, response, user, write)
