from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.idempotency import SentOnceForm
from maillage.core.widgets import DayInput, HourInput
from maillage.formation.models import Recipe
from maillage.needs.models import SharedNeed
from maillage.territory.models import Place

from .models import DEFAULT_CRITERIA, Idea, Scenario, Workshop


class WorkshopForm(forms.Form):
    question = forms.CharField(
        label=_("La question de l'atelier"),
        max_length=300,
        help_text=_(
            "Par exemple : « Comment aider les habitants de Carro avec leurs démarches ? »"
        ),
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    day = forms.DateField(label=_("Jour"), widget=DayInput())
    start = forms.TimeField(label=_("De"), widget=HourInput())
    end = forms.TimeField(label=_("À"), widget=HourInput())
    place = forms.ModelChoiceField(
        label=_("Lieu"), queryset=Place.objects.filter(archived_at__isnull=True), required=False
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=30)
    expected = forms.IntegerField(
        label=_("Personnes attendues dans la salle (facultatif)"), min_value=1,
        max_value=10_000, required=False,
        help_text=_("Un même réseau (le Wi-Fi de la salle) ne fait pas entrer plus de "
                    "téléphones. Par défaut, le nombre de places."),
    )  # fmt: skip
    vote = forms.ChoiceField(
        label=_("Qui vote ?"), choices=Workshop.Vote.choices, initial=Workshop.Vote.OUVERT,
        widget=forms.RadioSelect, required=False,
        help_text=_("Pour un vote officiel : seuls les inscrits accueillis à l'entrée votent, "
                    "une fois chacun, avec le code que l'accueil leur donne."),
    )  # fmt: skip
    shared_need = forms.ModelChoiceField(
        label=_("Besoin commun d'origine"), queryset=SharedNeed.objects.active(), required=False
    )
    criteria = forms.CharField(
        label=_("Critères de jugement des scénarios, un par ligne"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="\n".join(str(c) for c in DEFAULT_CRITERIA),
    )
    recipe = forms.ModelChoiceField(
        label=_("Déroulé"), required=False, queryset=Recipe.objects.all(),
        empty_label=_("Le déroulé habituel"),
        help_text=_("Ou une recette : le déroulé d'un atelier passé, fiche méthode par fiche."),
    )  # fmt: skip

    def clean_vote(self) -> str:
        return self.cleaned_data["vote"] or Workshop.Vote.OUVERT

    def schedule(self) -> tuple[datetime, datetime]:
        day, zone = self.cleaned_data["day"], timezone.get_current_timezone()
        return (
            datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["end"], tzinfo=zone),
        )

    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["criteria"].splitlines() if line.strip()]


class RegistrationForm(SentOnceForm):
    name = forms.CharField(label=_("Votre prénom ou un pseudonyme"), max_length=80)
    email = forms.EmailField(
        label=_("Votre courriel"), help_text=_("Pour la confirmation et un rappel la veille.")
    )


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Présents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(r.pk, f"{r.name} ({r.email})") for r in registrations]


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Le code de l'atelier"), max_length=12,
        help_text=_("Six lettres ou chiffres, affichés sur l'écran de la salle."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                      "spellcheck": "false"}),
    )  # fmt: skip
    name = forms.CharField(
        label=_("Votre prénom ou un pseudonyme"), max_length=80, required=False,
        help_text=_("Pas de compte à créer : ce nom suffit."),
    )  # fmt: skip
    door_code = forms.CharField(
        label=_("Code d'entrée (facultatif)"), max_length=12, required=False,
        help_text=_("Pour un vote réservé aux inscrits : le code que l'accueil vous a donné."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off",
                                      "spellcheck": "false"}),
    )  # fmt: skip


class IdeaForm(SentOnceForm):
    text = forms.CharField(
        label=_("Votre idée"), max_length=Idea.LONGEST, strip=True,
        help_text=_("En une ou deux phrases (%(limit)s caractères au plus).")
        % {"limit": Idea.LONGEST},
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "serves", "changes", "means", "first_step", "risks"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["serves", "changes", "means", "first_step", "risks"]
        }


class DecisionForm(forms.Form):
    scenario = forms.ModelChoiceField(
        label=_("Le scénario retenu"), queryset=Scenario.objects.none()
    )
    decision = forms.CharField(
        label=_("La décision, dans les mots du groupe"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = workshop.scenarios.all()
