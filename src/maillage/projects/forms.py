from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.core.params import record_ids
from maillage.core.widgets import DayInput, HourInput
from maillage.needs.models import Need
from maillage.territory.models import Organisation

from .models import Decision, Member, Project, Step


class NeedChoice(forms.ModelMultipleChoiceField):
    """Needs ticked among those a search found, each as the desk knows it: no reference typed."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Need.objects.none(), **kwargs)

    def label_from_instance(self, need: Need) -> str:
        return f"{need.reference} — {need.display_title} ({need.get_status_display().lower()})"


class PicksNeeds:
    """A form whose needs are offered from a search: the ones FOUND, and those already ticked
    (so that a second search keeps them)."""

    found: list[Need] = []

    def offer_needs(self, found: list[Need]) -> None:
        self.found = found
        ticked = self.data.getlist("needs") if self.is_bound else self.initial.get("needs", [])
        ids = record_ids(map(str, ticked)) + [need.pk for need in found]
        self.fields["needs"].queryset = Need.objects.filter(pk__in=ids).order_by("reference")


def needs_found(text: str, *, besides=()) -> list[Need]:
    """Open needs a search finds by words or reference, twelve at most, BESIDES left out."""
    text = text.strip()[:200]
    if not text:
        return []
    found = Need.objects.open().search(text).exclude(pk__in=besides).order_by("-created_at")
    return list(found[:12])


class ProjectForm(PicksNeeds, forms.Form):
    title = forms.CharField(label=_("Titre du projet"), max_length=160)
    purpose = forms.CharField(
        label=_("Le but, en mots simples"), max_length=4000,
        help_text=_("Ce qui changera, et pour qui."), widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    dimensions = forms.ModelMultipleChoiceField(
        label=_("Dimensions"), queryset=Dimension.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    needs = NeedChoice(label=_("Besoins auxquels il répond"), required=False)


class AttachForm(PicksNeeds, forms.Form):
    needs = NeedChoice(label=_("Besoins à rattacher"))


class PortfolioFilter(forms.Form):
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), queryset=Dimension.objects.all(), required=False,
        empty_label=_("Toutes"), to_field_name="code",
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *Project.Status.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Structure"), required=False, empty_label=_("Toutes"),
        queryset=Organisation.objects.filter(
            pk__in=Member.objects.active().values("organisation")
        ).only("pk", "name"),
    )  # fmt: skip


class StepForm(forms.Form):
    goal = forms.CharField(label=_("Le but de l'étape"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    starts_on = forms.DateField(label=_("Début"), required=False,
                                widget=DayInput())  # fmt: skip
    ends_on = forms.DateField(
        label=_("Fin"), required=False, widget=DayInput(),
        help_text=_("Sans date : quatre semaines après le début."),
    )  # fmt: skip


class ReviewForm(forms.Form):
    delivered = forms.CharField(label=_("Ce qui a été livré"), max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    shown_to = forms.CharField(label=_("Montré à qui"), max_length=1000, required=False)
    feedback = forms.CharField(
        label=_("Ce qu'en ont dit les usagers"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    next_goal = forms.CharField(
        label=_("Le but de l'étape suivante"), max_length=1000, required=False,
        help_text=_("Le plan s'adapte : l'étape suivante est prévue avec ce but."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("La décision"), max_length=300)
    context = forms.CharField(label=_("Le contexte"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    options = forms.CharField(label=_("Les options envisagées"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    method = forms.ChoiceField(label=_("Comment elle a été prise"), choices=Decision.Method.choices)
    taken_by = forms.CharField(label=_("Par qui"), max_length=300)
    decided_on = forms.DateField(label=_("Le"), required=False,
                                 widget=DayInput())  # fmt: skip


class NeedChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, need: Need) -> str:
        return f"{need.reference} — {need.title or need.get_status_display()}"


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, member: Member) -> str:
        return member.person.full_name


class StepChoice(forms.ModelChoiceField):
    def label_from_instance(self, step: Step) -> str:
        return _("Étape %(number)s") % {"number": step.number}


class ItemForm(forms.Form):
    """An item of the backlog; the choices are the project's own (needs, steps, members)."""

    title = forms.CharField(
        label=_("Ce que l'usager pourra faire"), max_length=300,
        help_text=_("Écrit du côté des usagers : « Les habitants peuvent… »."),
    )  # fmt: skip
    details = forms.CharField(
        label=_("Précisions"), max_length=4000, required=False,
        help_text=_("Écrivez @Prénom pour prévenir un membre du groupe."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    needs = NeedChoice(label=_("Besoins auxquels il répond"), queryset=Need.objects.none(),
                       required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    step = StepChoice(label=_("Étape"), queryset=Step.objects.none(), required=False,
                      empty_label=_("Le carnet (sans étape)"))  # fmt: skip
    assignee = MemberChoice(label=_("Confié à"), queryset=Member.objects.none(), required=False,
                            empty_label=_("Personne pour l'instant"))  # fmt: skip
    due_on = forms.DateField(label=_("Pour le"), required=False,
                             widget=DayInput())  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, project: Project, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = project.needs.exclude(status__in=["resolu", "clos"])
        self.fields["assignee"].queryset = project.members.active().select_related("person")
        if editing:
            del self.fields["step"]  # an item changes step by moving, on the board
        else:
            del self.fields["version"]
            self.fields["step"].queryset = project.steps.exclude(status=Step.Status.TERMINEE)


class CommitForm(forms.Form):
    purpose = forms.CharField(label=_("Pour quoi faire"), max_length=300)
    day = forms.DateField(label=_("Jour (pour réserver)"), required=False,
                          widget=DayInput())  # fmt: skip
    start = forms.TimeField(label=_("De"), required=False,
                            widget=HourInput())  # fmt: skip
    end = forms.TimeField(label=_("À"), required=False,
                          widget=HourInput())  # fmt: skip

    def slot(self):
        """The slot asked for, as aware datetimes, or (None, None)."""
        data = self.cleaned_data
        if not (data["day"] and data["start"] and data["end"]):
            return None, None
        zone = timezone.get_current_timezone()
        return (datetime.combine(data["day"], data["start"], zone),
                datetime.combine(data["day"], data["end"], zone))  # fmt: skip
