"""The API's side of « once, by key » (see `core.idempotency`): the `Idempotency-Key` header."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from ninja.responses import Status

from maillage.core import idempotency
from maillage.core.ratelimit import client_address

from .problems import InvalidInput


def sender_of(request: HttpRequest, caller) -> str:
    """Who calls the API: a token's account, else the address. Never the browser's session: it
    would let another site write in a member's name."""
    return f"account:{caller.pk}" if caller else f"address:{client_address(request)}"


def sent_once(
    request: HttpRequest, response: HttpResponse, caller, write: Callable[[], tuple[int, dict]]
) -> Status:
    """Answer WRITE's answer, once for the request's key if it sent one (within the caller's
    scope: its account with a token, else its address); a replayed answer says so in the
    `Idempotent-Replayed` header."""
    key = request.headers.get(idempotency.HEADER)
    if key is None:
        return Status(*write())
    if idempotency.valid(key) is None:
        raise InvalidInput(
            idempotency.HEADER,
            "La clé d'idempotence tient en 1 à 200 caractères ASCII visibles.",
            where="header",
        )
    scope = f"api:{sender_of(request, caller)}"
    status, body, replayed = idempotency.once(
        scope=scope, key=key,
        fingerprint=idempotency.fingerprint(request.method, request.path, request.body),
        write=write,
    )  # fmt: skip
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return Status(status, body)
