from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.idempotency import SentOnceForm
from maillage.core.widgets import DayInput
from maillage.territory.models import Place

from . import communes
from .services import AccompanimentFacts, PersonFacts
from .vocabulary import (
    DIGITAL,
    DURATION_PRESETS,
    LONGEST_MINUTES,
    PROCEDURES,
    AgeBand,
    Autonomy,
    Gender,
    Kind,
    Level,
    Material,
    PlaceType,
    Redirection,
    SocialStatus,
)

OTHER = "autre"


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


class AccompanimentForm(SentOnceForm):
    """The desk's form: one screen, sensible defaults, every choice a tap or an arrow key."""

    kind = forms.ChoiceField(label=_("Type"), choices=Kind, initial=Kind.INDIVIDUEL,
                             widget=forms.RadioSelect)  # fmt: skip
    date = forms.DateField(label=_("Date"), widget=DayInput)
    duration = forms.ChoiceField(
        label=_("Durée"),
        choices=[(str(m), _minutes(m)) for m in DURATION_PRESETS] + [(OTHER, _("Autre durée"))],
        initial="30",
        widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
    )
    other_minutes = forms.IntegerField(
        label=_("Autre durée, en minutes"), required=False, min_value=1,
        max_value=LONGEST_MINUTES, widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques"),
        choices=[(_("Usages du numérique"), [(t.value, t.label) for t in DIGITAL]),
                 (_("Démarches en ligne"), [(t.value, t.label) for t in PROCEDURES])],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    details = forms.CharField(
        label=_("La démarche, en quelques mots (facultatif)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple : déclaration de revenus, création du compte ameli."),
    )  # fmt: skip
    materials = forms.MultipleChoiceField(
        label=_("Matériel utilisé"), choices=Material, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    place_type = forms.ChoiceField(label=_("Où"), choices=PlaceType,
                                   initial=PlaceType.LIEU_ACTIVITE)  # fmt: skip
    place = forms.ModelChoiceField(
        label=_("Lieu d'activité"), required=False, empty_label=_("Le laboratoire"),
        queryset=Place.objects.filter(archived_at__isnull=True).only("pk", "name"),
    )  # fmt: skip
    commune = forms.CharField(
        label=_("Commune du lieu, si ce n'est pas un lieu d'activité (facultatif)"),
        required=False, max_length=60, widget=forms.TextInput(attrs={"list": "communes"}),
    )  # fmt: skip
    autonomy = forms.ChoiceField(
        label=_("Autonomie atteinte"), required=False, widget=forms.RadioSelect,
        choices=[("", _("Non noté")), *list(Autonomy.choices)],
    )  # fmt: skip
    redirected = forms.BooleanField(label=_("Orientée vers une autre structure"), required=False)
    redirection = forms.ChoiceField(
        label=_("Vers quel type de structure"), required=False,
        choices=[("", "—"), *list(Redirection.choices)],
    )  # fmt: skip
    workshop_title = forms.CharField(label=_("Titre de l'atelier"), required=False,
                                     max_length=200)  # fmt: skip
    workshop_level = forms.ChoiceField(label=_("Niveau"), required=False,
                                       choices=[("", "—"), *list(Level.choices)])  # fmt: skip
    anonymous_people = forms.IntegerField(
        label=_("Nombre de personnes présentes"), required=False, min_value=0, max_value=500,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Sans compter les personnes connues cochées."),
    )  # fmt: skip
    present = forms.MultipleChoiceField(
        label=_("Personnes connues présentes"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les autres se comptent, sans nom, dans le nombre de personnes présentes."),
    )  # fmt: skip
    # Who was accompanied (individual): someone the lab already knows, or a new person.
    person = forms.ChoiceField(label=_("Personne accompagnée"), required=False)
    first_name = forms.CharField(label=_("Prénom"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Nom"), required=False, max_length=100)
    age_band = forms.ChoiceField(label=_("Tranche d'âge"), choices=AgeBand,
                                 initial=AgeBand.NON_COMMUNIQUE)  # fmt: skip
    gender = forms.ChoiceField(label=_("Genre"), choices=Gender, initial=Gender.NON_COMMUNIQUE)
    social_status = forms.ChoiceField(label=_("Situation"), choices=SocialStatus,
                                      initial=SocialStatus.NON_COMMUNIQUE)  # fmt: skip
    person_commune = forms.CharField(
        label=_("Commune où elle habite"), required=False, max_length=60,
        widget=forms.TextInput(attrs={"list": "communes"}),
    )  # fmt: skip
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=30)
    email = forms.CharField(label=_("Courriel"), required=False, max_length=254)
    consent = forms.BooleanField(
        label=_("La personne accepte que le laboratoire garde son nom et ses coordonnées."),
        required=False,
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        new = _("Une nouvelle personne (anonyme si pas de nom)")
        known = [(key, p.display_name) for key, p in self.people.items()]
        self.fields["person"].choices = [("", new), *known]
        self.fields["present"].choices = known

    def clean(self):
        data = super().clean()
        if data.get("duration") == OTHER and not data.get("other_minutes"):
            self.add_error("other_minutes", _("Dites la durée en minutes."))
        if data.get("redirected") and not data.get("redirection"):
            self.add_error("redirection", _("Dites vers quel type de structure."))
        if data.get("kind") == Kind.COLLECTIF and not data.get("workshop_title", "").strip():
            self.add_error("workshop_title", _("Donnez un titre à l'atelier."))
        return data

    def accompaniment(self) -> AccompanimentFacts:
        data, collective = self.cleaned_data, self.cleaned_data["kind"] == Kind.COLLECTIF
        minutes = data["other_minutes"] if data["duration"] == OTHER else int(data["duration"])
        return AccompanimentFacts(
            kind=data["kind"], day=data["date"], duration=minutes or 0,
            place_type=data["place_type"], place=data["place"], commune=data["commune"],
            autonomy="" if collective else data["autonomy"], redirected=data["redirected"],
            redirection=data["redirection"] if data["redirected"] else "",
            materials=data["materials"], thematiques=data["thematiques"],
            details=data["details"],
            workshop_title=data["workshop_title"] if collective else "",
            workshop_level=data["workshop_level"] if collective else "",
            anonymous_people=(data["anonymous_people"] or 0) if collective else 0,
        )  # fmt: skip

    def known_people(self) -> list:
        """The known person accompanied, or, at a collective workshop, those present."""
        if self.cleaned_data["kind"] == Kind.COLLECTIF:
            return [self.people[key] for key in self.cleaned_data["present"]]
        chosen = self.people.get(self.cleaned_data.get("person") or "")
        return [chosen] if chosen else []

    def new_person(self) -> PersonFacts | None:
        """The person described, when no known one was chosen (individual only)."""
        data = self.cleaned_data
        if data["kind"] == Kind.COLLECTIF or self.known_people():
            return None
        return PersonFacts(
            first_name=data["first_name"], last_name=data["last_name"],
            age_band=data["age_band"], gender=data["gender"],
            social_status=data["social_status"], commune=data["person_commune"],
            phone=data["phone"], email=data["email"], consent=data["consent"],
        )  # fmt: skip


# Where a service's refusal goes in the form: its field, by the service's name for it.
FORM_FIELDS = {
    "duration": "other_minutes", "commune": "commune", "person_commune": "person_commune",
    "phone": "phone", "email": "email",
    "consent": "consent", "age_band": "age_band", "people": "person",
    "anonymous_people": "anonymous_people",
}  # fmt: skip

COMMUNES = sorted(communes.NEARBY.values())


class AccompanimentFilterForm(forms.Form):
    """The list's filters: a period, a médiateur, a kind; nothing required."""

    start = forms.DateField(label=_("Du"), required=False, widget=DayInput)
    end = forms.DateField(label=_("au"), required=False, widget=DayInput)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Tous")), *list(Kind.choices)])  # fmt: skip
    mine = forms.BooleanField(label=_("Les miens seulement"), required=False)


class ImportPeopleForm(forms.Form):
    fichier = forms.FileField(
        label=_("Le tableur des personnes accompagnées (CSV ou XLSX)"),
        help_text=_("Les colonnes de La Coop : Nom, Prénom, Année de naissance, Commune, "
                    "N° de téléphone, E-mail, Genre, Notes."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("Ces personnes ont accepté que le laboratoire garde leur nom et leurs "
                "coordonnées."),
    )  # fmt: skip
