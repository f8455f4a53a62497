"""The team's side of the trainings: every session at a glance (seats, waiting list, who came,
what the trainees judged), a session planned or changed in one form, and each trainer's own."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.core import idempotency
from maillage.core.errors import DomainError
from maillage.core.idempotency import SentOnceForm
from maillage.core.models import User
from maillage.core.permissions import facilitator_required
from maillage.core.widgets import DayInput, HourInput
from maillage.territory.models import Place

from . import trainings
from .models import Session, TrainingPath

PAST_SHOWN = timedelta(days=120)  # the sessions held lately, for their sheets and evaluations


class SessionForm(SentOnceForm):
    """A session's days, hours, place, seats and trainers; its path only when it is new."""

    path = forms.ModelChoiceField(
        label=gettext_lazy("Parcours"),
        queryset=TrainingPath.objects.filter(archived_at__isnull=True),
    )
    day = forms.DateField(label=gettext_lazy("Premier jour"), widget=DayInput())
    start = forms.TimeField(label=gettext_lazy("Commence à"), widget=HourInput())
    last_day = forms.DateField(
        label=gettext_lazy("Dernier jour"), widget=DayInput(), required=False,
        help_text=gettext_lazy("Si la session dure plusieurs jours. Vide : le même jour."),
    )  # fmt: skip
    end = forms.TimeField(label=gettext_lazy("Finit à"), widget=HourInput())
    place = forms.ModelChoiceField(
        label=gettext_lazy("Lieu"), required=False,
        queryset=Place.objects.filter(archived_at__isnull=True),
    )  # fmt: skip
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=500,
                                  initial=12)  # fmt: skip
    minimum = forms.IntegerField(
        label=gettext_lazy("Minimum d'inscrits"), min_value=0, max_value=500, initial=4,
        help_text=gettext_lazy("En dessous, la session est annulée quelques jours avant et "
                               "chacun est prévenu."),
    )  # fmt: skip
    trainers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Formateurs"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, session: Session | None = None, **kwargs):
        if session is not None:
            starts, ends = (
                timezone.localtime(session.starts_at),
                timezone.localtime(session.ends_at),
            )
            kwargs["initial"] = {
                "day": starts.date(), "start": starts.time(), "end": ends.time(),
                "last_day": ends.date() if ends.date() != starts.date() else None,
                "place": session.place_id, "capacity": session.capacity,
                "minimum": session.minimum, "trainers": list(session.trainers.all()),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = User.objects.team()
        if session is not None:
            del self.fields["path"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day is None or start is None or end is None:
            return data
        zone = timezone.get_current_timezone()
        data["starts_at"] = datetime.combine(day, start, tzinfo=zone)
        data["ends_at"] = datetime.combine(data.get("last_day") or day, end, tzinfo=zone)
        if data["starts_at"] <= timezone.now():
            self.add_error("day", _("Choisissez une date à venir."))
        elif data["ends_at"] <= data["starts_at"]:
            self.add_error("end", _("La session finit avant de commencer."))
        if data.get("minimum") is not None and data.get("capacity") is not None \
                and data["minimum"] > data["capacity"]:  # fmt: skip
            self.add_error("minimum", _("Le minimum d'inscrits dépasse le nombre de places."))
        return data

    def plan(self) -> dict:
        data = self.cleaned_data
        return {"starts_at": data["starts_at"], "ends_at": data["ends_at"],
                "place": data["place"], "capacity": data["capacity"],
                "minimum": data["minimum"]}  # fmt: skip


@facilitator_required
def team(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = (Session.objects.with_seats_left().with_attendance()
                .select_related("path", "place").prefetch_related("trainers"))  # fmt: skip
    coming = sessions.filter(starts_at__gt=now)
    if request.GET.get("mes") == "oui":
        coming = coming.filter(trainers=request.user)
    held = sessions.filter(starts_at__lte=now, starts_at__gte=now - PAST_SHOWN,
                           cancelled_at__isnull=True).order_by("-starts_at")  # fmt: skip
    context = {"coming": coming[:200], "held": held[:100],
               "mine_only": request.GET.get("mes") == "oui"}  # fmt: skip
    return render(request, "formation/team.html", context)


def _form_page(request, form, *, session=None, status=200) -> HttpResponse:
    context = {"form": form, "session": session}
    response = render(request, "formation/session_form.html", context, status=status)
    return idempotency.remember_browser(request, response)


@facilitator_required
def plan(request: HttpRequest) -> HttpResponse:
    initial = {"trainers": [request.user], "path": request.GET.get("parcours")}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write() -> dict:
            planned = trainings.open_session(
                session=Session(path=data["path"], **form.plan()),
                trainers=list(data["trainers"]), by=request.user,
            )  # fmt: skip
            return {"url": planned.get_absolute_url()}

        try:
            answer, again = idempotency.form_once(request, form, write=write)
        except DomainError as refused:
            form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        else:
            if not again:
                messages.success(request, _("La session est programmée et ouverte aux "
                                            "inscriptions."))  # fmt: skip
            return redirect(answer["url"])
    return _form_page(request, form, status=400 if form.errors else 200)


@facilitator_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Session.objects.select_related("path"), pk=pk)
    if found.cancelled_at is not None or found.starts_at <= timezone.now():
        messages.error(request, _("Cette session est annulée ou a commencé : elle ne se "
                                  "modifie plus."))  # fmt: skip
        return redirect("formation:attendance", pk=found.pk)
    form = SessionForm(request.POST or None, session=found)
    if request.method == "POST" and form.is_valid():
        try:
            told = trainings.change_session(
                session=found, changes=form.plan(), by=request.user,
                trainers=list(form.cleaned_data["trainers"]),
            )  # fmt: skip
        except DomainError as refused:
            form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        else:
            said = [_("La session est modifiée.")]
            if told:
                said.append(ngettext("%(n)s personne prévenue du changement.",
                                     "%(n)s personnes prévenues du changement.",
                                     told) % {"n": told})  # fmt: skip
            messages.success(request, " ".join(said))
            return redirect("formation:attendance", pk=found.pk)
    return _form_page(request, form, session=found, status=400 if form.errors else 200)
