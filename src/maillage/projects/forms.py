from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.needs.models import Need

from .models import Decision, Project


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Titre du projet"), max_length=160)
    purpose = forms.CharField(
        label=_("Le but, en mots simples"), max_length=4000,
        help_text=_("Ce qui changera, et pour qui."), widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    dimensions = forms.ModelMultipleChoiceField(
        label=_("Dimensions"), queryset=Dimension.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    needs = forms.CharField(
        label=_("Besoins auxquels il répond"), required=False, max_length=2000,
        help_text=_("Leurs références, séparées par des virgules (par exemple B-2026-0042)."),
    )  # fmt: skip

    def clean_needs(self) -> list[Need]:
        references = {r.strip().upper() for r in self.cleaned_data["needs"].split(",") if r.strip()}
        found = list(Need.objects.filter(reference__in=references))
        if unknown := references - {need.reference for need in found}:
            raise forms.ValidationError(
                _("Aucun besoin n'a ces références : %(references)s."),
                params={"references": ", ".join(sorted(unknown))},
            )
        return found


class PortfolioFilter(forms.Form):
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), queryset=Dimension.objects.all(), required=False,
        empty_label=_("Toutes"), to_field_name="code",
    )  # fmt: skip
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *Project.Status.choices]
    )


class StepForm(forms.Form):
    goal = forms.CharField(label=_("Le but de l'étape"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    starts_on = forms.DateField(label=_("Début"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    ends_on = forms.DateField(
        label=_("Fin"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
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
                                 widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
