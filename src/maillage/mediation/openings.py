"""The team's page for the permanence's weekly openings and the médiateurs' absences: a change
publishes or takes back the slots at once, and the appointments it leaves uncovered are listed
for the desk to move."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from maillage.core import idempotency
from maillage.core.errors import DomainError
from maillage.core.idempotency import SentOnceForm
from maillage.core.models import User
from maillage.core.permissions import facilitator_required

from . import agenda
from .models import Absence, Opening

CLOSES_AT = 21  # the permanence's last appointment ends by nine at night
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpeningForm(forms.ModelForm, SentOnceForm):
    class Meta:
        model = Opening
        fields = ["mediator", "place", "weekday", "start", "minutes", "count", "starts_on",
                  "ends_on"]  # fmt: skip
        widgets = {"start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "starts_on": DAY, "ends_on": DAY}  # fmt: skip
        help_texts = {"ends_on": gettext_lazy("Laissez vide si elle continue."),
                      "count": gettext_lazy("Par exemple 4 rendez-vous de 45 minutes : "
                                            "de 9 h à 12 h.")}  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = User.objects.team()

    def clean(self):
        data = super().clean()
        start, minutes, count = data.get("start"), data.get("minutes"), data.get("count")
        ends = start and minutes and count and start.hour * 60 + start.minute + minutes * count
        if ends and ends > CLOSES_AT * 60:
            self.add_error("count", _("La permanence finirait après 21 h : prévoyez moins de "
                                      "rendez-vous ou commencez plus tôt."))  # fmt: skip
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin vient avant le début."))
        return data


class AbsenceForm(forms.ModelForm, SentOnceForm):
    class Meta:
        model = Absence
        fields = ["mediator", "start", "end", "why"]
        widgets = {"start": DAY, "end": DAY}
        help_texts = {"why": gettext_lazy("Facultatif : congés, formation…")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = User.objects.team()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Le retour vient avant le départ."))
        elif end and end < timezone.localdate():
            self.add_error("end", _("Cette absence est déjà passée."))
        return data


def _page(request: HttpRequest, *, opening_form=None, absence_form=None, status=200):
    today = timezone.localdate()
    context = {
        "openings": Opening.objects.filter(archived_at__isnull=True)
        .exclude(ends_on__lt=today).select_related("mediator", "place"),
        "absences": Absence.objects.filter(end__gte=today).select_related("mediator"),
        "to_move": agenda.to_move()[:100],
        "opening_form": opening_form or OpeningForm(prefix="permanence",
                                                    initial={"mediator": request.user}),
        "absence_form": absence_form or AbsenceForm(prefix="absence",
                                                    initial={"mediator": request.user}),
    }  # fmt: skip
    response = render(request, "mediation/openings.html", context, status=status)
    return idempotency.remember_browser(request, response)


def _published(request: HttpRequest, done: str, published: dict[str, int]) -> None:
    said = [done]
    if published["created"]:
        said.append(ngettext("%(n)s créneau publié.", "%(n)s créneaux publiés.",
                             published["created"]) % {"n": published["created"]})  # fmt: skip
    if published["withdrawn"]:
        said.append(ngettext("%(n)s créneau libre retiré.", "%(n)s créneaux libres retirés.",
                             published["withdrawn"]) % {"n": published["withdrawn"]})  # fmt: skip
    messages.success(request, " ".join(said))


def _saved_once(request: HttpRequest, form, save, done: str) -> HttpResponse:
    """Run SAVE once for the valid FORM's key, then say what was published."""
    published, again = idempotency.form_once(request, form, write=save)
    if not again:
        _published(request, done, published)
    return redirect("mediation:openings")


@facilitator_required
def openings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@facilitator_required
@require_POST
def add_opening(request: HttpRequest) -> HttpResponse:
    form = OpeningForm(request.POST, prefix="permanence")
    if not form.is_valid():
        return _page(request, opening_form=form, status=400)
    return _saved_once(
        request, form, lambda: agenda.add_opening(opening=form.instance, by=request.user),
        _("La permanence est ajoutée."),
    )  # fmt: skip


@facilitator_required
@require_POST
def close_opening(request: HttpRequest, pk: int) -> HttpResponse:
    opening = get_object_or_404(Opening, pk=pk)
    try:
        published = agenda.close_opening(opening=opening, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        _published(request, _("La permanence est fermée."), published)
    return redirect("mediation:openings")


@facilitator_required
@require_POST
def declare_absence(request: HttpRequest) -> HttpResponse:
    form = AbsenceForm(request.POST, prefix="absence")
    if not form.is_valid():
        return _page(request, absence_form=form, status=400)
    return _saved_once(
        request, form, lambda: agenda.declare_absence(absence=form.instance, by=request.user),
        _("L'absence est notée."),
    )  # fmt: skip


@facilitator_required
@require_POST
def withdraw_absence(request: HttpRequest, pk: int) -> HttpResponse:
    absence = Absence.objects.filter(pk=pk).first()
    if absence is None:  # a second click
        messages.info(request, _("Cette absence est déjà retirée."))
    else:
        _published(request, _("L'absence est retirée."),
                   agenda.withdraw_absence(absence=absence, by=request.user))  # fmt: skip
    return redirect("mediation:openings")
