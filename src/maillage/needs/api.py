from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from maillage.api.auth import bearer, optional_bearer
from maillage.api.once import sender_of, sent_once
from maillage.api.problems import Forbidden, InvalidInput, RateLimited, answers, by_code
from maillage.core.models import Dimension, JournalEntry, Thematique
from maillage.core.ratelimit import hit
from maillage.territory.models import Organisation
from maillage.territory.validators import normalise_phone

from . import services
from .models import Need

router = Router(tags=["besoins"])

NeedStatus = Literal[tuple(Need.Status.values)]  # type: ignore[valid-type]
NeedChannel = Literal[tuple(Need.Channel.values)]  # type: ignore[valid-type]
ClosureReason = Literal[tuple(Need.ClosureReason.values)]  # type: ignore[valid-type]


class NeedIn(Schema):
    description: str = Field(
        ..., max_length=4000, description="Le besoin, dans les mots du demandeur"
    )
    title: str = Field("", max_length=160)
    dimension: str | None = Field(None, max_length=40, description="Code de la dimension")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    name: str = Field("", max_length=120)
    neighbourhood: str = Field("", max_length=100)
    consent: bool = Field(..., description="Accord pour garder les coordonnées afin de répondre")
    channel: NeedChannel = Need.Channel.EN_LIGNE  # type: ignore[valid-type]
    organisation: int | None = Field(None, ge=1, le=2**53, description="Au nom de cette structure")


class NeedCreated(Schema):
    id: int
    reference: str
    status: str
    tracking_url: str


class NeedOut(Schema):
    id: int
    reference: str
    title: str
    description: str
    status: str
    channel: str
    dimension: str | None = Field(None, alias="dimension.code")
    thematique: str | None = Field(None, alias="thematique.code")
    organisation: int | None = Field(None, alias="organisation_id")
    owner: str | None = Field(None, alias="owner.email")
    due_at: datetime | None
    overdue: bool = Field(alias="is_overdue")
    waiting_since: datetime | None = Field(
        description="En attente du demandeur depuis (le délai est arrêté), sinon null"
    )
    closure_reason: str
    created_at: datetime
    closed_at: datetime | None
    requester_name: str
    requester_email: str
    requester_phone: str
    neighbourhood: str


class JournalOut(Schema):
    at: datetime
    verb: str
    label: str
    actor: str | None = Field(None, alias="actor.email")
    message: str
    public: bool = Field(alias="is_public")
    data: dict


class NeedDetailOut(NeedOut):
    tracking_url: str
    journal: list[JournalOut]

    @staticmethod
    def resolve_tracking_url(obj: Need) -> str:
        return obj.tracking_url()

    @staticmethod
    def resolve_journal(obj: Need):
        return list(JournalEntry.objects.about(obj).order_by("at", "id"))


class NeedPage(Schema):
    count: int
    items: list[NeedOut]


class NeedFilters(Schema):
    status: NeedStatus | None = None  # type: ignore[valid-type]
    dimension: str | None = Field(None, max_length=40)
    thematique: str | None = Field(None, max_length=80)
    organisation: int | None = Field(None, ge=1, le=2**53)
    owner: str | None = Field(None, max_length=254, description="Courriel du responsable")
    overdue: bool | None = None
    q: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class TransitionIn(Schema):
    to: NeedStatus  # type: ignore[valid-type]
    message: str = Field("", max_length=4000)
    reason: ClosureReason | None = None  # type: ignore[valid-type]


def _facilitator(request: HttpRequest):
    if not getattr(request, "auth", None) or not request.auth.is_facilitator:
        raise Forbidden("Réservé à l'équipe du laboratoire.")
    return request.auth


@router.post(
    "",
    response={201: NeedCreated},
    auth=optional_bearer,
    summary="Exprimer un besoin",
    openapi_extra=answers(403, 409),
)
def create_need(request: HttpRequest, payload: NeedIn, response: HttpResponse):
    """Public: anyone may raise a need. Limited per address, except with a facilitator's token.

    Sent with an `Idempotency-Key` header, a request sent again (a retry after a timeout)
    answers what the first answered, and raises no second need; the key is the caller's own
    (its token, else its address). Without the header, every request raises a need."""
    # Only a bearer token identifies the caller here: a browser session would let another site
    # post in a member's name.
    auth = getattr(request, "auth", None)
    caller = auth if auth not in (None, True) else None
    if not (caller and caller.is_facilitator) and (
        wait := hit("needs", sender_of(request, caller))
    ):
        raise RateLimited(wait)
    if not payload.description.strip():
        raise InvalidInput("description", "Décrivez le besoin en quelques mots.", where="body")
    if payload.email:
        try:
            validate_email(payload.email)
        except ValidationError as error:
            raise InvalidInput("email", "Adresse de courriel invalide.", where="body") from error
    try:
        phone = normalise_phone(payload.phone) if payload.phone.strip() else ""
    except ValidationError as error:
        raise InvalidInput("phone", error.messages[0], where="body") from error
    if (payload.email or phone or payload.name) and not payload.consent:
        raise InvalidInput(
            "consent",
            "Sans accord (consent), les coordonnées ne peuvent pas être gardées.",
            where="body",
        )
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.active().filter(pk=payload.organisation).first()
        if organisation is None:
            raise InvalidInput("organisation", "Structure inconnue.", where="body")
        is_member = caller and organisation.memberships.filter(person__user=caller).exists()
        if not (caller and (caller.is_facilitator or is_member)):
            raise Forbidden("Seuls les membres de la structure peuvent parler en son nom.")
    dimension = by_code(Dimension, payload.dimension, "dimension", "Dimension")

    def write() -> tuple[int, dict]:
        need = services.raise_need(
            description=payload.description, title=payload.title, dimension=dimension,
            name=payload.name, email=payload.email, phone=phone,
            neighbourhood=payload.neighbourhood, consent=payload.consent,
            channel=payload.channel, organisation=organisation, by=caller,
        )  # fmt: skip
        return 201, {"id": need.pk, "reference": need.reference, "status": need.status,
                     "tracking_url": request.build_absolute_uri(need.tracking_url())}  # fmt: skip

    return sent_once(request, response, caller, write)


@router.get(
    "",
    response=NeedPage,
    auth=bearer,
    summary="Lister les besoins (équipe)",
    openapi_extra=answers(403),
)
def list_needs(request: HttpRequest, filters: Query[NeedFilters]):
    _facilitator(request)
    needs = Need.objects.select_related("dimension", "thematique", "owner").order_by(
        "-created_at", "-pk"
    )
    if filters.status:
        needs = needs.filter(status=filters.status)
    if filters.dimension:
        needs = needs.filter(
            dimension=by_code(Dimension, filters.dimension, "dimension", "Dimension")
        )
    if filters.thematique:
        needs = needs.filter(
            thematique=by_code(Thematique, filters.thematique, "thematique", "Thématique")
        )
    if filters.organisation:
        needs = needs.filter(organisation_id=filters.organisation)
    if filters.owner:
        needs = needs.filter(owner__email__iexact=filters.owner)
    if filters.overdue is not None:
        overdue = Need.objects.overdue(now=timezone.now()).values("pk")
        needs = needs.filter(pk__in=overdue) if filters.overdue else needs.exclude(pk__in=overdue)
    if filters.q:
        needs = needs.search(filters.q)
    window = needs[filters.offset : filters.offset + filters.limit]
    return {"count": needs.count(), "items": list(window)}


def _need_or_404(need_id: int) -> Need:
    return get_object_or_404(
        Need.objects.select_related("dimension", "thematique", "owner"), pk=need_id
    )


@router.get(
    "/{int:need_id}",
    response=NeedDetailOut,
    auth=bearer,
    summary="Un besoin et son journal",
    openapi_extra=answers(403),
)
def get_need(request: HttpRequest, need_id: int):
    _facilitator(request)
    return _need_or_404(need_id)


@router.post(
    "/{int:need_id}/transitions",
    response=NeedDetailOut,
    auth=bearer,
    summary="Changer l'état",
    openapi_extra=answers(403, 409),
)
def transition_need(request: HttpRequest, need_id: int, payload: TransitionIn):
    """Move a need along its lifecycle; a transition that is not allowed answers 409."""
    user = _facilitator(request)
    need = _need_or_404(need_id)
    services.change_status(
        need=need, to=payload.to, by=user, message=payload.message, reason=payload.reason or ""
    )
    return _need_or_404(need_id)
