import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class RejectNullCharactersMiddleware:
    """Refuse a request whose query or form carries a NUL character: no field may hold one, and
    PostgreSQL would fail on it in the first lookup (a filter's code, a search) with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or self._in_json(request)
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for data in (request.GET, request.POST)
                for key, values in data.lists()
            )
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _in_json(request: HttpRequest) -> bool:
        return request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        )

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        detail = _("La requête contient un caractère nul, qu'aucun champ n'admet.")
        if request.path.startswith(API_PREFIX):
            body = {
                "type": "about:blank",
                "title": "Données invalides",
                "status": 422,
                "detail": detail,
            }
            return HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=422,
                content_type="application/problem+json",
            )
        return render(request, "core/bad_request.html", {"detail": detail}, status=400)
