"""Once, by key: a write that can be sent again (a form resubmitted with the back button, a
second click, an API call retried after a timeout) carries a key chosen by its sender; the
first request with that key writes and keeps its answer, the next ones get that answer back.
Nothing is merged by guessing from content, and a key is only ever answered within its scope
(the token's account, the caller's address, the browser that showed the form): nobody gets
another's answer.

The key row is written in the same transaction as the write it guards: a second request with
the same key waits for the first to commit (PostgreSQL's unique index, SQLite's write lock),
then gets its answer; if the first fails, nothing is kept and the key may be used again."""

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "cle"  # the hidden field of a form that must be sent once
BROWSER_COOKIE = "maillage-navigateur"
KEY = re.compile(r"[\x21-\x7e]{1,200}")  # printable ASCII, no space
KEPT = timedelta(hours=24)


class KeyReused(DomainError):
    status = 422

    def __init__(self):
        super().__init__(
            _("Cette clé d'idempotence a déjà servi pour une autre requête."), code="key-reused"
        )


def new_key() -> str:
    return secrets.token_urlsafe(18)


def valid(key: str | None) -> str | None:
    """KEY if it can be one, else None."""
    return key if key is not None and KEY.fullmatch(key) else None


def fingerprint(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x1f")
    return digest.hexdigest()


def once(
    *, scope: str, key: str, fingerprint: str, write: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run WRITE (which returns the answer: a status and a JSON-able body) once for KEY in
    SCOPE. Return the answer and whether it was given before. The same key with another
    request (another FINGERPRINT) is refused (KeyReused)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                slot = IdempotencyKey.objects.create(
                    scope=scope[:100], key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            kept = IdempotencyKey.objects.get(scope=scope[:100], key=key)
            if kept.fingerprint != fingerprint:
                raise KeyReused() from None
            return kept.status, kept.answer, True
        status, answer = write()
        slot.status, slot.answer = status, answer
        slot.save(update_fields=["status", "answer"])
        return status, answer, False


# --- forms: the key in a hidden field, the scope the browser that showed the form -------------


def browser(request: HttpRequest) -> str | None:
    """The browser's own id (a cookie set with the form), if it sent one."""
    return valid(request.COOKIES.get(BROWSER_COOKIE))


def remember_browser(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the browser its id, with the form it will send: its keys are answered to it only."""
    if browser(request) is None:
        response.set_cookie(
            BROWSER_COOKIE, new_key(), max_age=365 * 86400, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    return response


class SentOnceForm(forms.Form):
    """A form whose page carries a fresh key: sent twice, it is done once (see `form_once`)."""

    cle = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FORM_FIELD].initial = new_key()


def form_once(
    request: HttpRequest, form: forms.Form, *, write: Callable[[], dict]
) -> tuple[dict, bool]:
    """Run WRITE once for the key of FORM (a valid SentOnceForm), in the browser that sent it;
    return what WRITE returned (a JSON-able dict: where to go next, what to say) and whether
    the form had been sent before. Without a key or a browser id (cookies refused), it writes."""
    key, seen_by = valid(form.cleaned_data.get(FORM_FIELD)), browser(request)
    if key is None or seen_by is None:
        return write(), False
    scope = f"{type(form).__name__}{form.prefix or ''}:{seen_by}"
    _status, answer, replayed = once(
        scope=scope, key=key, fingerprint=scope, write=lambda: (303, write())
    )
    return answer, replayed


def forget_expired(now=None) -> int:
    """Drop the keys older than a day: a resubmission comes within minutes."""
    now = now or timezone.now()
    return IdempotencyKey.objects.filter(created_at__lt=now - KEPT).delete()[0]
