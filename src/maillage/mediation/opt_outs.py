"""The numbers that want no more SMS from the lab, for the desk: one said so on the phone or at
the counter (added here), or asked again for them (taken off). A STOP by SMS or from a tracking
page lands in the same list (`core.texts`)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillage.core import texts
from maillage.core.errors import DomainError
from maillage.core.models import TextOptOut
from maillage.core.permissions import facilitator_required
from maillage.core.phones import normalise_phone

SHOWN = 200


class OptOutForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Numéro de téléphone"), max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )  # fmt: skip


@facilitator_required
def opt_outs(request: HttpRequest) -> HttpResponse:
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = texts.opt_out(form.cleaned_data["phone"], why=_("à l'accueil"))
        except DomainError as refused:
            form.add_error("phone", refused.message)
        else:
            messages.success(request, _("Ce numéro ne recevra plus de SMS du laboratoire.")
                             if added else _("Ce numéro avait déjà demandé à ne plus en "
                                             "recevoir."))  # fmt: skip
            return redirect("mediation:opt-outs")
    found = TextOptOut.objects.order_by("-created_at")
    sought = request.GET.get("numero", "").strip()[:40]
    if sought:
        try:
            found = found.filter(phone=normalise_phone(sought))
        except forms.ValidationError:
            found = found.none()
    context = {"form": form, "opt_outs": found[:SHOWN], "total": found.count(), "sought": sought}
    return render(request, "mediation/opt_outs.html", context, status=400 if form.errors else 200)


@facilitator_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    texts.opt_in(get_object_or_404(TextOptOut, pk=pk).phone)
    messages.success(request, _("Ce numéro peut de nouveau recevoir les SMS du laboratoire."))
    return redirect("mediation:opt-outs")
