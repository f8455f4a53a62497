"""For people without e-mail: a printed slip handed over at the desk (the reference, a short
tracking code and its QR code, in large type on half an A4), and the public page where the
reference and the code, typed in, open the need's tracking page."""

import segno
from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import pdf
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import hit, sender, too_many

from .models import REFERENCE, Need


class FindForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Numéro du besoin"), max_length=20,
        help_text=gettext_lazy("Sur votre fiche, par exemple B-2026-00012."),
    )  # fmt: skip
    code = forms.CharField(
        label=gettext_lazy("Code de suivi"), max_length=20,
        help_text=gettext_lazy("Les 8 lettres et chiffres de votre fiche, par exemple KX7P-MR4T."),
    )  # fmt: skip

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.fullmatch(reference):
            raise forms.ValidationError(_("Un numéro de besoin s'écrit B-2026-00012."))
        return reference

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").upper()


def find(request: HttpRequest) -> HttpResponse:
    """The reference and the code of a slip open the tracking page. Each try counts against
    the sender's limit, so that codes cannot be guessed by the thousand."""
    form = FindForm(request.POST or None)
    if request.method == "POST":
        if wait := hit("requester", sender(request)):
            return too_many(request, wait)
        if form.is_valid():
            data = form.cleaned_data
            found = Need.objects.filter(reference=data["reference"],
                                        tracking_code=data["code"]).first()  # fmt: skip
            if found is not None:
                return redirect(found.tracking_url())
            form.add_error(None, _("Ce numéro et ce code ne vont pas ensemble : vérifiez-les "
                                   "sur votre fiche, ou demandez à la permanence."))  # fmt: skip
    return render(request, "needs/find.html", {"form": form}, status=400 if form.errors else 200)


def qr_code(url: str) -> str:
    """URL as an inline SVG QR code (segno encodes the URL alone: nothing to escape)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True))


@facilitator_required
def slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester's slip, as a PDF the desk prints."""
    need = get_object_or_404(Need, pk=pk)
    url = f"{settings.SITE_URL}{need.tracking_url()}"
    # The médiation's relation (needs does not import it): the next appointment, if one is set.
    coming = (need.appointments.exclude(status="annule")
              .filter(slot__starts_at__gte=timezone.now()).select_related("slot__place")
              .order_by("slot__starts_at").first())  # fmt: skip
    context = {"need": need, "url": url, "qr": qr_code(url), "next_appointment": coming,
               "find_url": f"{settings.SITE_URL}/suivi/"}  # fmt: skip
    response = pdf.response(request, "needs/slip_pdf.html", context,
                            filename=f"fiche-{need.reference}.pdf")  # fmt: skip
    response["Cache-Control"] = "no-store"  # it carries the requester's private link
    return response
