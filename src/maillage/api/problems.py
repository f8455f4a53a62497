"""Every API error is a JSON problem document (RFC 9457): bad input gets a 4xx, never a 500."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from maillage.core.errors import DomainError

TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    422: "Données invalides",
    413: "Contenu trop volumineux",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
    503: "Service indisponible",
}


def problem(
    api: NinjaAPI, request: HttpRequest, status: int, detail: str, **extra: Any
) -> HttpResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Erreur"), "status": status}
    body |= {"detail": detail, **extra}
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


class InvalidInput(HttpError):
    """A value the caller sent that the platform does not know, such as an unknown filter code."""

    def __init__(self, field: str, message: str, *, where: str = "query"):
        super().__init__(422, message)
        self.field, self.where = field, where


def by_code(model, code: str | None, field: str, label: str):
    """The reference record (dimension, thématique…) with CODE, None without a code; an unknown
    code is the caller's mistake (422)."""
    if code is None:
        return None
    if (obj := model.objects.filter(code=code).first()) is None:
        raise InvalidInput(field, f"{label} inconnue : « {code} ».")
    return obj


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


class Forbidden(HttpError):
    def __init__(self, message: str):
        super().__init__(403, message)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(RateLimited)
    def rate_limited(request, exc: RateLimited):
        response = problem(api, request, 429, "Trop de demandes : réessayez plus tard.")
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        errors = [
            {"loc": list(error.get("loc", [])), "msg": str(error.get("msg", ""))}
            for error in exc.errors
        ]
        return problem(
            api, request, 422, "Certaines valeurs envoyées sont invalides.", errors=errors
        )

    @api.exception_handler(InvalidInput)
    def invalid_input(request, exc: InvalidInput):
        errors = [{"loc": [exc.where, exc.field], "msg": exc.message}]
        return problem(api, request, 422, exc.message, errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = problem(
            api, request, 401, "Envoyez un jeton valide : Authorization: Bearer <jeton>."
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return problem(api, request, 403, "Ce jeton ne donne pas accès à cette ressource.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(api, request, 404, "Cette ressource n'existe pas.")

    @api.exception_handler(DomainError)
    def refused(request, exc: DomainError):
        return problem(api, request, exc.status, exc.message, code=exc.code, **exc.details)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return problem(api, request, exc.status_code, str(exc))
