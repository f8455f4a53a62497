"""The site's own error pages, in French whatever Django's default: 400, 403 (and a form whose
CSRF token expired), 404 and 500. Each renders the site's layout; if even that fails (the
database is gone, say), a plain page in French still answers."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

PLAIN = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Maillage</title></head><body><main><h1>{title}</h1><p>{text}</p>
<p><a href="/">Revenir à l'accueil</a></p></main></body></html>"""


def _page(request: HttpRequest, status: int) -> HttpResponse:
    title, *paragraphs = {
        400: (_("Demande invalide"),
              _("Cette page n'a pas pu lire ce qui lui a été envoyé. Rien n'a été enregistré."),
              _("Revenez en arrière, vérifiez ce que vous avez écrit et recommencez.")),
        403: (_("Accès refusé"),
              _("Cette page n'est pas accessible avec votre compte."),
              _("Si vous pensez que c'est une erreur, connectez-vous avec le bon compte ou "
                "demandez à l'équipe du laboratoire.")),
        404: (_("Page introuvable"),
              _("Cette adresse ne mène à aucune page : le lien est peut-être incomplet, ou la "
                "page n'existe plus.")),
        500: (_("Une erreur de notre côté"),
              _("Ce n'est pas de votre faute : la page n'a pas pu s'afficher."),
              _("Réessayez dans quelques minutes. Si cela recommence, prévenez le laboratoire.")),
    }[status]  # fmt: skip
    return error_page(request, status, title, paragraphs)


def error_page(request: HttpRequest, status: int, title: str, paragraphs) -> HttpResponse:
    """A page of the site's layout saying what went wrong, in PARAGRAPHS."""
    try:
        context = {"title": title, "paragraphs": paragraphs}
        return render(request, "errors/error.html", context, status=status)
    except Exception:  # the layout itself fails: say it plainly
        logger.exception("The error page %s could not be rendered", status)
        return HttpResponse(PLAIN.format(title=title, text=" ".join(paragraphs)), status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """Too many attempts (allauth's limits on logins and codes)."""
    return render(request, "core/too_many.html", {"minutes": None}, status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token, or with an expired one: nothing was written."""
    return error_page(request, 403, _("Le formulaire a expiré"), (
        _("Pour votre sécurité, ce formulaire n'est plus valable : la page est restée ouverte "
          "longtemps, ou votre navigateur bloque les témoins (cookies). Rien n'a été "
          "enregistré."),
        _("Revenez en arrière, rechargez la page et recommencez."),
    ))  # fmt: skip
