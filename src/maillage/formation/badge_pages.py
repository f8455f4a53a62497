"""Open Badges at stable URLs: the issuer, each badge class and each assertion as JSON-LD
(`application/ld+json`), the baked images, a public verification page (of one badge, or of an
image someone sends) and the PDF attestation."""

import json
from functools import wraps

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.core import pdf
from maillage.core.errors import DomainError
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited

from . import badges
from .models import Assertion, TrainingPath

LARGEST_IMAGE = 2 * 1024 * 1024


def _ld(document: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), status=status,
                        content_type="application/ld+json; charset=utf-8")  # fmt: skip


def issuer(request: HttpRequest) -> HttpResponse:
    return _ld(badges.issuer())


def _path_or_404(slug: str) -> TrainingPath:
    return get_object_or_404(TrainingPath, slug=slug[:60])


def badge(request: HttpRequest, slug: str) -> HttpResponse:
    return _ld(badges.badge_class(_path_or_404(slug)))


def badge_image(request: HttpRequest, slug: str) -> HttpResponse:
    response = HttpResponse(badges.image_png(_path_or_404(slug)), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _assertion_or_404(key) -> Assertion:
    return get_object_or_404(Assertion.objects.select_related("path"), key=key)


def assertion(request: HttpRequest, key) -> HttpResponse:
    found = _assertion_or_404(key)
    if found.revoked_at is not None:
        return _ld(badges.revoked(found), status=410)
    return _ld(badges.assertion(found))


def _unless_revoked(make):
    """A view of a standing badge's KEY; a revoked one answers its page, with 410."""

    @wraps(make)
    def view(request: HttpRequest, key) -> HttpResponse:
        found = _assertion_or_404(key)
        if found.revoked_at is not None:
            return render(request, "formation/badge.html", {"assertion": found}, status=410)
        return make(request, found)

    return view


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_unless_revoked
def baked_png(request: HttpRequest, found: Assertion) -> HttpResponse:
    return _download(badges.baked_png(found), "image/png", f"badge-{found.path.slug}.png")


@_unless_revoked
def baked_svg(request: HttpRequest, found: Assertion) -> HttpResponse:
    svg = badges.image_svg(found.path, baked=badges.compact(badges.assertion(found)))
    return _download(svg, "image/svg+xml; charset=utf-8", f"badge-{found.path.slug}.svg")


def page(request: HttpRequest, key) -> HttpResponse:
    """The public page of one badge: who holds it, for what, whether it still holds."""
    found = _assertion_or_404(key)
    return render(request, "formation/badge.html", {"assertion": found},
                  status=410 if found.revoked_at else 200)  # fmt: skip


@_unless_revoked
def attestation(request: HttpRequest, found: Assertion) -> HttpResponse:
    return pdf.response(request, "formation/attestation.pdf.html",
                        {"assertion": found, "session": found.registration.session,
                         "modules": found.path.modules.all()},
                        filename=f"attestation-{found.path.slug}.pdf")  # fmt: skip


class CheckForm(forms.Form):
    image = forms.FileField(label=gettext_lazy("L'image du badge (PNG)"))


@limited("requester")
def verify(request: HttpRequest) -> HttpResponse:
    """Send a baked image: the page says whether it carries a badge the lab issued, unaltered."""
    form = CheckForm(request.POST or None, request.FILES or None)
    verdict = found = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        if upload.size > LARGEST_IMAGE:
            form.add_error("image", _("Cette image est trop lourde (2 Mo au plus)."))
        else:
            found, verdict = badges.check_baked(upload.read())
    status = 400 if form.errors else 200
    return render(request, "formation/verify.html",
                  {"form": form, "verdict": verdict, "found": found}, status=status)  # fmt: skip


@facilitator_required
@require_POST
def revoke(request: HttpRequest, key) -> HttpResponse:
    found = _assertion_or_404(key)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        messages.error(request, _("Dites pourquoi le badge est révoqué : la raison est publique."))
        return redirect(found)
    try:
        badges.revoke(found=found, reason=reason, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Le badge est révoqué."))
    return redirect(found)
