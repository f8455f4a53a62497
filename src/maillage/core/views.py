from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .method import METHOD_PARTS


def method_part(request: HttpRequest, part: str) -> HttpResponse:
    if part not in METHOD_PARTS:
        raise Http404
    return render(request, "core/part.html", {"part": METHOD_PARTS[part], "slug": part})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
