"""Appointments at the permanence through the API: the free slots (public, no names), and
booking one, as the online page does."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from maillage.api.auth import optional_bearer
from maillage.api.once import sender_of, sent_once
from maillage.api.problems import InvalidInput, RateLimited, answers
from maillage.core.errors import DomainError
from maillage.core.params import EARLIEST_DAY, LATEST_DAY
from maillage.core.ratelimit import hit

from . import agenda
from .models import Slot

router = Router(tags=["rendez-vous"])
LONGEST_SPAN = dt.timedelta(days=62)


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    minutes: int
    place: str | None


class SlotFilters(Schema):
    start: dt.date | None = Field(None, alias="from", ge=EARLIEST_DAY, le=LATEST_DAY)
    end: dt.date | None = Field(None, alias="to", ge=EARLIEST_DAY, le=LATEST_DAY)


class AppointmentIn(Schema):
    slot: int = Field(..., ge=1, le=2**53, description="Un `id` de la liste des créneaux libres")
    name: str = Field(..., max_length=120)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    what: str = Field("", max_length=300, description="Pour quelle démarche (facultatif)")
    consent: bool = Field(..., description="Accord pour garder le nom et le contact")


class AppointmentCreated(Schema):
    starts_at: dt.datetime
    minutes: int
    url: str = Field(description="Le lien privé pour annuler ou déplacer le rendez-vous")


@router.get("/slots", response=list[SlotOut], auth=optional_bearer,
            summary="Les créneaux libres (public)")  # fmt: skip
def free_slots(request: HttpRequest, filters: Query[SlotFilters]):
    """Every free slot from `from` (today by default) to `to` (two weeks later by default, two
    months at most): times and places, never who booked what."""
    start = filters.start or timezone.localdate()
    end = filters.end or start + dt.timedelta(days=14)
    if end < start:
        raise InvalidInput("to", "La fin de la période vient avant son début.")
    if end - start > LONGEST_SPAN:
        raise InvalidInput("to", "Deux mois au plus.")
    # Plain values, not a model per slot: a month of twenty médiateurs is thousands of slots.
    found = agenda.free_slots(start, end).values_list("pk", "starts_at", "minutes", "place__name")
    return [{"id": pk, "starts_at": at, "minutes": minutes, "place": place}
            for pk, at, minutes, place in found]  # fmt: skip


@router.post("", response={201: AppointmentCreated}, auth=optional_bearer,
             summary="Prendre un rendez-vous (public)", openapi_extra=answers(409))  # fmt: skip
def book(request: HttpRequest, payload: AppointmentIn, response: HttpResponse):
    """Book a free slot: 201 with the private link; 409 when the slot is taken (or no longer
    offered); 422 for a value that cannot be right. With an `Idempotency-Key`, sent again,
    it books once."""
    auth = getattr(request, "auth", None)
    caller = auth if auth not in (None, True) else None
    if not (caller and caller.is_facilitator) and (
        wait := hit("appointments", sender_of(request, caller))
    ):
        raise RateLimited(wait)
    slot = Slot.objects.published().filter(pk=payload.slot).first()
    if slot is None:
        raise InvalidInput("slot", "Créneau inconnu.", where="body")

    def write() -> tuple[int, dict]:
        try:
            done = agenda.book(slot=slot, name=payload.name, phone=payload.phone,
                               email=payload.email, what=payload.what, consent=payload.consent,
                               by=caller)  # fmt: skip
        except DomainError as refused:
            if refused.status == 422:
                field = agenda.REFUSED_FIELDS.get(refused.code, refused.code)
                raise InvalidInput(field, refused.message, where="body") from refused
            raise
        return 201, {"starts_at": done.slot.starts_at.isoformat(), "minutes": done.slot.minutes,
                     "url": request.build_absolute_uri(done.private_url())}  # fmt: skip

    return sent_once(request, response, caller, write)
