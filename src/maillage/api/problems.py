"""Every API error is a JSON problem document (RFC 9457): bad input gets a 4xx, never a 500;
its messages are French, and the OpenAPI document names every status each operation answers."""

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
        errors = [{"loc": list(error.get("loc", [])), "msg": in_french(error)}
                  for error in exc.errors]  # fmt: skip
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


# --- pydantic's messages, in French ----------------------------------------------------------

FRENCH = {
    "missing": "Valeur obligatoire.",
    "extra_forbidden": "Champ inconnu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "float_parsing": "Un nombre est attendu.",
    "bool_parsing": "Vrai ou faux (true ou false) est attendu.",
    "string_type": "Un texte est attendu.",
    "string_too_short": "Au moins {min_length} caractères.",
    "string_too_long": "Au plus {max_length} caractères.",
    "string_pattern_mismatch": "Ce texte n'a pas la forme attendue.",
    "greater_than": "Plus grand que {gt} attendu.",
    "greater_than_equal": "Au moins {ge}.",
    "less_than": "Plus petit que {lt} attendu.",
    "less_than_equal": "Au plus {le}.",
    "date_parsing": "Une date AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date AAAA-MM-JJ est attendue.",
    "datetime_parsing": "Une date et une heure ISO 8601 sont attendues.",
    "datetime_from_date_parsing": "Une date et une heure ISO 8601 sont attendues.",
    "datetime_type": "Une date et une heure ISO 8601 sont attendues.",
    "enum": "Valeurs acceptées : {expected}.",
    "literal_error": "Valeurs acceptées : {expected}.",
    "json_invalid": "Ce document JSON ne se lit pas.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "dict_type": "Un objet JSON est attendu.",
    "list_type": "Une liste est attendue.",
    "value_error": "Valeur invalide.",
}


def in_french(error: dict) -> str:
    """ERROR (one of pydantic's) said in French, its limits and accepted values included."""
    template = FRENCH.get(error.get("type", ""))
    if error.get("type") == "string_too_short" and (error.get("ctx") or {}).get("min_length") == 1:
        return "Au moins un caractère."
    if template is None:
        return "Valeur invalide."
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return "Valeur invalide."


# --- the OpenAPI document ----------------------------------------------------------------------

PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "Un document « problem » (RFC 9457), en français.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "La règle qui refuse, quand il y en a une"},
        "errors": {
            "type": "array",
            "description": "Les valeurs invalides : où (`loc`) et pourquoi (`msg`)",
            "items": {
                "type": "object",
                "properties": {"loc": {"type": "array"}, "msg": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
MEANINGS = {
    400: "La requête ne se lit pas.",
    401: "Un jeton est requis, ou celui envoyé n'est pas valide.",
    403: "Ce jeton ne donne pas accès à cette ressource ou à cette action.",
    404: "Cette ressource n'existe pas.",
    409: "Refusé par l'état des choses (un créneau déjà pris, un état qui ne permet pas ce "
    "changement).",
    413: "Le corps de la requête est trop volumineux.",
    422: "Des valeurs envoyées sont invalides ; `errors` dit lesquelles.",
    429: "Trop de demandes : réessayez après `Retry-After` secondes.",
}


def answers(*statuses: int) -> dict:
    """What an operation says of itself beyond the statuses every one may answer (see
    `document`): its `openapi_extra`."""
    return {"responses": {str(status): _problem(status) for status in statuses}}


def _problem(status: int) -> dict:
    return {
        "description": MEANINGS[status],
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def document(schema: dict) -> dict:
    """Complete SCHEMA (the OpenAPI document): the problem statuses every operation may answer
    (a wrong token, invalid values; an unknown record where the path names one; an unreadable,
    too large or too frequent write), and which operations need no token."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schemes = schema["components"].get("securitySchemes", {})
    optional = "OptionalBearerToken" in schemes
    schemes.pop("OptionalBearerToken", None)
    if "BearerToken" in schemes:
        schemes["BearerToken"]["description"] = "Un jeton de `maillage token create EMAIL`."
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = {401, 422}
            if "{" in path:
                statuses.add(404)
            if method in {"post", "put", "patch"}:
                statuses |= {400, 413, 429}
            for status in statuses:
                operation["responses"].setdefault(str(status), _problem(status))
            if optional and operation.get("security") == [{"OptionalBearerToken": []}]:
                # Open to anyone; a token sent is checked (401 if wrong) and may show more.
                operation["security"] = [{}, {"BearerToken": []}]
                operation["description"] = (
                    operation.get("description", "") + "\n\nSans jeton : ouvert à tous."
                ).strip()
    return schema
