from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from . import readiness
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
