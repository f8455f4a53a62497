import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .error_pages import error_page

API_PREFIX = "/api/"
NUL = "\x00"


class RejectNullCharactersMiddleware:
    """Refuse a request that carries a NUL character in its path, query, form or body: no field
    may hold one, and PostgreSQL would fail on it in the first lookup (a filter's code, a
    search) with a 500. A cookie holding one (no page of ours writes it) is refused the same
    way, and deleted, so that the next page works."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        spoilt = [name for name, value in request.COOKIES.items() if NUL in name + value]
        if spoilt:
            response = self._refuse(
                request,
                _("Un témoin (cookie) de votre navigateur était abîmé : il est effacé. "
                  "Rechargez la page."),
            )  # fmt: skip
            for name in spoilt:
                response.delete_cookie(name)
            return response
        if NUL in request.path or self._in_body(request) or self._in_fields(request):
            return self._refuse(
                request, _("La requête contient un caractère nul, qu'aucun champ n'admet.")
            )
        return self.get_response(request)

    @staticmethod
    def _in_body(request: HttpRequest) -> bool:
        """A NUL in a body that is not a form with files (a JSON document sent as text/plain
        is still read as JSON by the API); a file's content is the importer's to judge."""
        if request.method not in {"POST", "PUT", "PATCH"} or request.content_type in {
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        }:
            return False
        body = request.body
        return b"\x00" in body or b"\\u0000" in body

    @staticmethod
    def _in_fields(request: HttpRequest) -> bool:
        return any(
            NUL in key or any(NUL in value for value in values)
            for data in (request.GET, request.POST)
            for key, values in data.lists()
        )

    def _refuse(self, request: HttpRequest, detail: str) -> HttpResponse:
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
        return error_page(request, 400, _("Demande invalide"), [detail])
