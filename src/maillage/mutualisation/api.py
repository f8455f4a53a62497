"""The mutualisation's API: the register of offers, the matches of a need, and bookings."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from maillage.api.auth import bearer
from maillage.api.once import sender_of, sent_once
from maillage.api.problems import Forbidden, InvalidInput, RateLimited, answers, by_code
from maillage.core.models import Dimension, Thematique
from maillage.core.ratelimit import hit
from maillage.needs.models import Need
from maillage.needs.similarity import probe_of
from maillage.territory.models import Organisation

from . import services
from .matching import offers_for
from .models import Booking, Offer

router = Router(tags=["mutualisation"])

OfferKind = Literal[tuple(Offer.Kind.values)]  # type: ignore[valid-type]


class OwnerOut(Schema):
    kind: Literal["organisation", "personne"]
    id: int
    name: str


class OfferOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    description: str
    owner: OwnerOut
    category: str
    service_type: str
    time_offered: str
    conditions: str
    conditions_detail: str
    audience: str
    bookable: bool
    auto_accept: bool
    dimension: str | None = Field(None, alias="dimension.code")
    thematiques: list[str]
    place: int | None = Field(None, alias="place_id")
    status: str
    confirmed_at: datetime
    url: str = Field(alias="get_absolute_url")

    @staticmethod
    def resolve_owner(obj: Offer) -> dict:
        kind = "organisation" if obj.organisation_id else "personne"
        return {"kind": kind, "id": obj.organisation_id or obj.person_id, "name": obj.owner_name}

    @staticmethod
    def resolve_thematiques(obj: Offer) -> list[str]:
        return [t.code for t in obj.thematiques.all()]


class OfferPage(Schema):
    count: int
    items: list[OfferOut]


class OfferFilters(Schema):
    kind: OfferKind | None = None  # type: ignore[valid-type]
    organisation: int | None = Field(None, ge=1, le=2**53)
    thematique: str | None = Field(None, max_length=80)
    dimension: str | None = Field(None, max_length=40)
    q: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


def _offers():
    return (
        Offer.objects.listed()
        .select_related("organisation", "person", "dimension")
        .prefetch_related("thematiques")
        .defer("embedding")
    )


@router.get("/offers", response=OfferPage, summary="Lister ce qui est partagé")
def list_offers(request: HttpRequest, filters: Query[OfferFilters]):
    """Public: the register of means, skills and services, withdrawn offers left out."""
    offers = _offers().order_by("title", "pk")
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.organisation:
        offers = offers.filter(organisation_id=filters.organisation)
    if filters.thematique:
        thematique = by_code(Thematique, filters.thematique, "thematique", "Thématique")
        offers = offers.filter(thematiques=thematique)
    if filters.dimension:
        offers = offers.filter(
            dimension=by_code(Dimension, filters.dimension, "dimension", "Dimension")
        )
    if filters.q:
        offers = offers.search(filters.q)
    window = offers[filters.offset : filters.offset + filters.limit]
    return {"count": offers.count(), "items": list(window)}


@router.get("/offers/{int:offer_id}", response=OfferOut, summary="Une offre")
def get_offer(request: HttpRequest, offer_id: int):
    return get_object_or_404(_offers(), pk=offer_id)


class ReasonOut(Schema):
    code: str
    label: str
    value: float | str | list[str] | None = None


class MatchOut(Schema):
    offer: OfferOut
    score: float
    reasons: list[ReasonOut]


class MatchesOut(Schema):
    need: int
    matching: Literal["semantique", "lexical"]
    items: list[MatchOut]


@router.get(
    "/needs/{int:need_id}/matches",
    response=MatchesOut,
    auth=bearer,
    summary="Les offres qui pourraient répondre à un besoin (équipe)",
    openapi_extra=answers(403),
)
def need_matches(request: HttpRequest, need_id: int, limit: int = Query(10, ge=1, le=50)):
    """Ranked suggestions with their score in [0, 1] and the reasons for it."""
    if not request.auth.is_facilitator:
        raise Forbidden("Réservé à l'équipe du laboratoire.")
    need = get_object_or_404(Need, pk=need_id)
    probe = probe_of(need)
    suggestions = offers_for(need, limit=limit, probe=probe)
    return {
        "need": need.pk,
        "matching": "semantique" if probe.vector is not None else "lexical",
        "items": [{"offer": s.record, "score": s.score, "reasons": s.reasons} for s in suggestions],
    }


class BookingIn(Schema):
    offer: int = Field(..., ge=1, le=2**53, description="L'identifiant d'un moyen")
    start: datetime = Field(..., description="ISO 8601, avec fuseau horaire")
    end: datetime = Field(..., description="ISO 8601, avec fuseau horaire")
    organisation: int | None = Field(None, ge=1, le=2**53, description="Au nom de cette structure")
    purpose: str = Field("", max_length=300)


class BookingOut(Schema):
    id: int
    offer: int = Field(alias="offer_id")
    start: datetime
    end: datetime
    status: str
    organisation: int | None = Field(None, alias="organisation_id")
    purpose: str
    url: str = Field(alias="get_absolute_url")


@router.post(
    "/bookings",
    response={201: BookingOut},
    auth=bearer,
    summary="Demander un créneau d'un moyen partagé",
    openapi_extra=answers(403, 409),
)
def create_booking(request: HttpRequest, payload: BookingIn, response: HttpResponse):
    """201 with the booking (accepted at once if the means accepts on its own, else asked);
    409 with the conflicting slot when it is taken; 422 for a slot that can never be booked.
    With an `Idempotency-Key` header, a request sent again answers the first answer."""
    if wait := hit("bookings", sender_of(request, request.auth)):
        raise RateLimited(wait)
    offer = Offer.objects.listed().filter(pk=payload.offer).first()
    if offer is None:
        raise InvalidInput("offer", "Moyen inconnu.", where="body")
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.active().filter(pk=payload.organisation).first()
        if organisation is None:
            raise InvalidInput("organisation", "Structure inconnue.", where="body")

    def write() -> tuple[int, dict]:
        booking = services.request_booking(
            offer=offer, by=request.auth, start=payload.start, end=payload.end,
            organisation=organisation, purpose=payload.purpose,
        )  # fmt: skip
        return 201, BookingOut.model_validate(booking).model_dump(mode="json", by_alias=True)

    return sent_once(request, response, request.auth, write)


@router.get(
    "/bookings/{int:booking_id}",
    response=BookingOut,
    auth=bearer,
    summary="Une réservation",
    openapi_extra=answers(403),
)
def get_booking(request: HttpRequest, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("offer"), pk=booking_id)
    if booking.requester_id != request.auth.pk and not services.may_answer_for(
        request.auth, booking.offer
    ):
        raise Forbidden("Seuls le demandeur et le porteur du moyen voient cette réservation.")
    return booking
