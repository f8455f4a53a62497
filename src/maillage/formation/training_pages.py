"""The trainings' pages: the paths and their sessions with the seats left, registering without
an account, the private page to withdraw, and the trainer's attendance sheet."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from maillage.core import idempotency
from maillage.core.errors import DomainError
from maillage.core.idempotency import SentOnceForm
from maillage.core.permissions import facilitator_required
from maillage.core.ratelimit import limited

from . import trainings
from .models import Evaluation, Registration, Session, TrainingPath


class RegistrationForm(SentOnceForm):
    name = forms.CharField(label=gettext_lazy("Votre nom"), max_length=120)
    email = forms.EmailField(label=gettext_lazy("Votre adresse de courriel"), max_length=254,
                             help_text=gettext_lazy("Pour la confirmation, le rappel et le "
                                                    "badge."))  # fmt: skip
    share_skill = forms.BooleanField(
        label=gettext_lazy("Une fois formé, j'accepte que le laboratoire propose ma compétence "
                           "aux structures du territoire."), required=False,
    )  # fmt: skip


class EvaluationForm(forms.Form):
    """One mention per criterion, from « À rejeter » to « Excellent », and a word if wished."""

    comment = forms.CharField(label=gettext_lazy("Un mot pour le laboratoire (facultatif)"),
                              required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in reversed(Evaluation.CRITERIA):
            self.fields = {code: forms.TypedChoiceField(
                label=label, coerce=int, widget=forms.RadioSelect,
                choices=list(reversed(trainings.SCALE.choices)),
            ), **self.fields}  # fmt: skip


def paths(request: HttpRequest) -> HttpResponse:
    found = TrainingPath.objects.filter(archived_at__isnull=True).prefetch_related("modules")
    sessions = Session.objects.open().with_seats_left().select_related("path", "place")
    return render(request, "formation/paths.html", {"paths": found, "sessions": sessions[:50]})


def path(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(TrainingPath, slug=slug[:60])
    sessions = found.sessions.open().with_seats_left().select_related("place")
    context = {"path": found, "modules": found.modules.select_related("card"),
               "sessions": sessions}  # fmt: skip
    return render(request, "formation/path.html", context)


def _session_or_404(pk: int) -> Session:
    return get_object_or_404(Session.objects.with_seats_left().select_related("path", "place"),
                             pk=pk)  # fmt: skip


@limited("registrations")
def session(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session_or_404(pk)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def write() -> dict:
            done = trainings.register(
                session=found, name=data["name"], email=data["email"],
                share_skill=data["share_skill"], user=request.user,
            )  # fmt: skip
            return {"url": done.private_url(), "seated": done.seat_id is not None}

        try:
            answer, _again = idempotency.form_once(request, form, write=write)
        except DomainError as refused:
            form.add_error(refused.code if refused.code in form.fields else None, refused.message)
        else:
            messages.success(request, _("Vous êtes inscrit.") if answer["seated"] else
                             _("La session est complète : vous êtes sur la liste d'attente. "
                               "Vous serez prévenu si une place se libère."))  # fmt: skip
            return redirect(answer["url"])
    context = {"session": found, "form": form, "open": found.cancelled_at is None
               and found.starts_at > timezone.now()}  # fmt: skip
    response = render(request, "formation/session.html", context,
                      status=400 if form.errors else 200)  # fmt: skip
    return idempotency.remember_browser(request, response)


def _mine_or_404(token: str) -> Registration:
    return get_object_or_404(Registration.objects.select_related("session__path"),
                             token=token[:64])  # fmt: skip


@limited("requester")
def registration(request: HttpRequest, token: str) -> HttpResponse:
    mine = _mine_or_404(token)
    may_judge = mine.attended is True
    given = getattr(mine, "evaluation", None)
    judged = EvaluationForm(request.POST if request.POST.get("evaluer") else None,
                            initial={**(given.grades if given else {}),
                                     "comment": given.comment if given else ""})  # fmt: skip
    if may_judge and judged.is_bound and judged.is_valid():
        data = dict(judged.cleaned_data)
        comment = data.pop("comment")
        trainings.evaluate(registration=mine, grades=data, comment=comment)
        messages.success(request, _("Merci : votre évaluation est enregistrée."))
        return redirect(mine.private_url())
    if request.method == "POST" and not judged.is_bound:
        try:
            trainings.withdraw(registration=mine)
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Votre désistement est noté. Merci de nous avoir "
                                        "prévenus."))  # fmt: skip
        return redirect(mine.private_url())
    badge = getattr(mine, "assertion", None)
    context = {"registration": mine, "badge": badge, "form": judged if may_judge else None,
               "upcoming": mine.session.starts_at > timezone.now()}  # fmt: skip
    return render(request, "formation/registration.html", context,
                  status=400 if judged.errors else 200)  # fmt: skip


@facilitator_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session_or_404(pk)
    registrations = found.registrations.exclude(status=Registration.Status.DESISTE)
    evaluated = found.registrations.filter(evaluation__isnull=False).count()
    context = {"session": found, "registrations": registrations.select_related("assertion"),
               "started": found.starts_at <= timezone.now(), "evaluated": evaluated,
               "evaluations": trainings.evaluation_results(found)}  # fmt: skip
    return render(request, "formation/attendance.html", context)


@facilitator_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Registration.objects.select_related("session"), pk=pk)
    came = request.POST.get("attended")
    if came not in {"oui", "non"}:
        raise Http404
    try:
        trainings.mark(registration=found, attended=came == "oui", by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    return redirect("formation:attendance", pk=found.session_id)


@facilitator_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Session, pk=pk)
    reason = request.POST.get("reason", "").strip()[:200] or _("Annulée par le laboratoire")
    try:
        told = trainings.cancel_session(session=found, reason=reason, by=request.user)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, ngettext("La session est annulée ; %(n)s personne prévenue.",
                                           "La session est annulée ; %(n)s personnes prévenues.",
                                           told) % {"n": told})  # fmt: skip
    return redirect("formation:attendance", pk=found.pk)
