import secrets

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import readiness, texts
from .method import METHOD_PARTS


def method_part(request: HttpRequest, part: str) -> HttpResponse:
    if part not in METHOD_PARTS:
        raise Http404
    return render(request, "core/part.html", {"part": METHOD_PARTS[part], "slug": part})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Is the process alive (and answering)? Nothing else: a dependency's failure is /readyz's."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Can the site serve: the database, Redis where configured, a task worker beating, no
    migration pending. 503 with the failing dependency named."""
    checks = readiness.checks()
    failing = any(value != "ok" and value != "absent" for value in checks.values())
    return JsonResponse({"status": "error" if failing else "ok", **checks},
                        status=503 if failing else 200)  # fmt: skip


@csrf_exempt  # the SMS provider posts here; the secret in the address stands for the token
@require_POST
def sms_reply(request: HttpRequest, token: str) -> HttpResponse:
    """An SMS answered to the lab's number, forwarded by the provider (Twilio's `From` and
    `Body`, or `from` and `text` as most others send): a STOP opts its sender out. Off while
    SMS_REPLY_TOKEN is empty; 204 whatever the message, so the provider never sends it again."""
    expected = settings.SMS_REPLY_TOKEN
    if not expected or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Http404
    sender = request.POST.get("From") or request.POST.get("from") or ""
    text = request.POST.get("Body") or request.POST.get("text") or ""
    if not sender:
        return JsonResponse({"detail": "Il manque l'expéditeur (From ou from)."}, status=400)
    texts.replied(sender=sender[:40], text=text[:160])
    return HttpResponse(status=204)
