"""Trainings and badges through the API: the sessions with their seats left and registering
to one (public), the badge classes (public) and the assertions issued (the team's token)."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from maillage.api.auth import bearer, optional_bearer
from maillage.api.once import sender_of, sent_once
from maillage.api.problems import Forbidden, InvalidInput, RateLimited, answers
from maillage.core.errors import DomainError
from maillage.core.ratelimit import hit

from . import badges, trainings
from .models import Assertion, Session, TrainingPath

trainings_router = Router(tags=["formation"])
badges_router = Router(tags=["formation"])


class SessionOut(Schema):
    id: int
    path: str = Field(description="Le `slug` du parcours")
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str | None
    seats: int = Field(alias="seat_count")
    seats_left: int = Field(description="0 : complète, l'inscription va en liste d'attente")

    @staticmethod
    def resolve_path(session) -> str:
        return session.path.slug

    @staticmethod
    def resolve_name(session) -> str:
        return session.path.name

    @staticmethod
    def resolve_place(session) -> str | None:
        return session.place.name if session.place else None

    @staticmethod
    def resolve_seats_left(session) -> int:
        return session.seats_left


class RegistrationIn(Schema):
    name: str = Field(..., max_length=120)
    email: str = Field(..., max_length=254)
    share_skill: bool = Field(False, description="Proposer la compétence acquise au territoire")


class RegistrationOut(Schema):
    status: str = Field(description="`inscrit` (une place) ou `attente` (liste d'attente)")
    url: str = Field(description="Le lien privé pour se désister et retrouver son badge")


@trainings_router.get("", response=list[SessionOut], auth=optional_bearer,
                      summary="Les sessions de formation à venir (public)")  # fmt: skip
def sessions(request: HttpRequest):
    return Session.objects.open().with_seats_left().select_related("path", "place")[:200]


@trainings_router.post("/{session_id}/registrations", response={201: RegistrationOut},
                       auth=optional_bearer, summary="S'inscrire à une session (public)",
                       openapi_extra=answers(409))  # fmt: skip
def register(request: HttpRequest, session_id: int, payload: RegistrationIn,
             response: HttpResponse):  # fmt: skip
    """A seat if one is left, else the waiting list (`status`); 409 when the session is
    cancelled or has begun; the same address twice is one registration."""
    auth = getattr(request, "auth", None)
    caller = auth if auth not in (None, True) else None
    if wait := hit("registrations", sender_of(request, caller)):
        raise RateLimited(wait)
    session = get_object_or_404(Session, pk=session_id) if session_id < 2**53 else None
    if session is None:
        raise InvalidInput("session_id", "Session inconnue.", where="path")

    def write() -> tuple[int, dict]:
        try:
            done = trainings.register(session=session, name=payload.name, email=payload.email,
                                      share_skill=payload.share_skill, user=caller)  # fmt: skip
        except DomainError as refused:
            if refused.status == 422:
                raise InvalidInput(refused.code, refused.message, where="body") from refused
            raise
        return 201, {"status": done.status, "url": request.build_absolute_uri(done.private_url())}

    return sent_once(request, response, caller, write)


class BadgeClassOut(Schema):
    id: str = Field(description="L'URL de la BadgeClass Open Badges 2.0")
    slug: str
    name: str
    image: str
    criteria: str
    skill: str


@badges_router.get("", response=list[BadgeClassOut], auth=optional_bearer,
                   summary="Les badges du laboratoire (public)")  # fmt: skip
def badge_classes(request: HttpRequest):
    found = TrainingPath.objects.filter(archived_at__isnull=True)
    return [{"id": (document := badges.badge_class(p))["id"], "slug": p.slug, "name": p.name,
             "image": document["image"], "criteria": p.criteria, "skill": p.skill}
            for p in found]  # fmt: skip


class AssertionOut(Schema):
    id: str = Field(description="L'URL de l'assertion (410 si révoquée)")
    badge: str
    image: str = Field(description="L'image du badge, avec l'assertion dedans")
    recipient: str
    issued_on: dt.datetime
    revoked: bool


@badges_router.get("/assertions", response=list[AssertionOut], auth=bearer,
                   summary="Les badges délivrés (équipe)")  # fmt: skip
def assertions(request: HttpRequest):
    if not request.auth.is_facilitator:
        raise Forbidden("Réservé à l'équipe du laboratoire.")
    found = Assertion.objects.select_related("path").order_by("-issued_on", "pk")[:1000]
    return [{"id": (document := badges.assertion(a))["id"], "badge": document["badge"],
             "image": document["id"] + ".png", "recipient": a.recipient_name,
             "issued_on": a.issued_on, "revoked": a.revoked_at is not None}
            for a in found]  # fmt: skip
