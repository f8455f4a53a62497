"""A room's hottest requests, answered in the lane (core/lane.py): a phone's ballot, and what of
its panel is its own when it comes back to a phase. Whatever is not ordinary — no JavaScript, an
account, a refusal — Django answers, with the same views (room.py)."""

import asyncio
import re
from concurrent.futures import Future
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from maillage.core import lane, ratelimit

from . import ballots, broadcast, room
from .models import Participant, Workshop

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a participant's token (models.participant_token)
ANSWER_SECONDS = 20  # a ballot not written by then is not acknowledged: the phone sends again


def _token(request: HttpRequest, pk: int) -> str | None:
    token = request.COOKIES.get(f"atelier-{pk}", "")
    return token if TOKEN.fullmatch(token) else None


@lane.route("POST", r"/ateliers/(?P<pk>[0-9]{1,9})/salle/vote/(?P<scenario>[0-9]{1,9})/")
async def vote(request: HttpRequest, pk: int, scenario: int) -> HttpResponse | None:
    ballot = await lane.threads.run(_admit, request, pk, scenario)
    if not isinstance(ballot, ballots.Ballot):
        return ballot  # Django answers, or the phone is asked to wait
    try:
        saved = await asyncio.wait_for(
            asyncio.wrap_future(ballots.box.submit(ballot)), ANSWER_SECONDS
        )
    except Exception:  # the database gone, or too slow: nothing is acknowledged
        message = _("Votre vote n'a pas pu être enregistré. Réessayez dans un instant.")
        alert = format_html('<p class="message message--error" role="alert">{}</p>', message)
        return room.in_panel(HttpResponse(alert, status=503), "afterbegin")
    if isinstance(saved, str):
        return HttpResponse(saved)
    return None  # refused: Django says why, in the phone's panel


def _admit(request: HttpRequest, pk: int, scenario: int) -> ballots.Ballot | HttpResponse | None:
    token = _token(request, pk)
    if token is None or not lane.ordinary(request, csrf=True):
        return None
    # The limits of WriteLimitMiddleware and of room.vote, counted together.
    if wait := ratelimit.hits(["room-writes", "ballots"], f"participant:{token}"):
        return room.in_panel(ratelimit.too_many(request, wait), "afterbegin")
    values = room.ballot_values(request.POST)
    return ballots.Ballot(workshop_id=pk, token=token, scenario_id=scenario, values=values,
                          language=request.LANGUAGE_CODE)  # fmt: skip


@dataclass(eq=False)
class Look:
    """A phone asking for what of its panel is its own."""

    workshop_id: int
    token: str
    language: str
    answer: Future = field(default_factory=Future)  # its parts, or None (no such participant)


@lane.route("GET", r"/ateliers/(?P<pk>[0-9]{1,9})/salle/moi/")
async def mine(request: HttpRequest, pk: int) -> HttpResponse | None:
    if (token := _token(request, pk)) is None or not lane.ordinary(request, csrf=False):
        return None
    look = Look(workshop_id=pk, token=token, language=request.LANGUAGE_CODE)
    parts = await asyncio.wait_for(asyncio.wrap_future(looks.submit(look)), ANSWER_SECONDS)
    return None if parts is None else JsonResponse(parts)


def _read(batch: list[Look]) -> None:
    """Answer a batch of phones: a few queries per workshop and language, however many."""
    groups: dict[tuple[int, str], list[Look]] = {}
    for look in batch:
        groups.setdefault((look.workshop_id, look.language), []).append(look)
    for (pk, language), group in groups.items():
        tokens = {look.token for look in group}
        participants = list(Participant.objects.filter(workshop_id=pk, token__in=tokens))
        parts = {}
        if participants:
            workshop = Workshop.objects.select_related("current_phase").get(pk=pk)
            with translation.override(language):
                parts = broadcast.personal_parts(workshop, participants)
        by_token = {participant.token: participant.pk for participant in participants}
        for look in group:
            look.answer.set_result(parts.get(by_token.get(look.token)))


looks = lane.Batches("panels", _read)
