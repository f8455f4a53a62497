import json

from django.http import HttpRequest, HttpResponse

from .problems import TITLES

API_PREFIX = "/api/"


class ProblemDocumentMiddleware:
    """Answer every API error as a problem document, even those raised before our handlers run
    (an unknown path, a method the endpoint does not accept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or "json" in response.get("Content-Type", "")
        ):
            return response
        status = response.status_code
        detail = {
            400: "La requête n'a pas pu être lue : vérifiez son format et son contenu.",
            403: "Accès refusé.",
            404: "Cette adresse n'existe pas dans l'API.",
            405: f"Méthode non autorisée ici ; méthodes acceptées : {response.get('Allow', '')}.",
            500: "Une erreur inattendue s'est produite de notre côté : réessayez plus tard.",
        }.get(status, "La requête n'a pas pu aboutir.")
        body = {"type": "about:blank", "title": TITLES.get(status, "Erreur"), "status": status}
        problem = HttpResponse(
            json.dumps(body | {"detail": detail}, ensure_ascii=False),
            status=status,
            content_type="application/problem+json",
        )
        if "Allow" in response:
            problem["Allow"] = response["Allow"]
        return problem
