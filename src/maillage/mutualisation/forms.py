from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.idempotency import SentOnceForm
from maillage.core.models import Dimension, Thematique
from maillage.core.widgets import DayInput, HourInput
from maillage.territory.models import Organisation, Person, Place

from .models import Offer


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters; an unknown value is an error shown on the page."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Nature"),
        required=False,
        choices=[("", _("Moyens, compétences et services")), *Offer.Kind.choices],
    )
    thematique = forms.ModelChoiceField(
        label=_("Thématique"),
        required=False,
        queryset=Thematique.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes les thématiques"),
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        required=False,
        queryset=Dimension.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes les dimensions"),
    )
    bookable = forms.BooleanField(label=_("Seulement ce qui se réserve"), required=False)

    @property
    def refines(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in ("kind", "thematique", "dimension", "bookable")
        )

    def filter(self, queryset):
        data = self.cleaned_data if self.is_bound else {}
        if q := data.get("q"):
            queryset = queryset.search(q)
        if kind := data.get("kind"):
            queryset = queryset.filter(kind=kind)
        if thematique := data.get("thematique"):
            queryset = queryset.filter(thematiques=thematique)
        if dimension := data.get("dimension"):
            queryset = queryset.filter(dimension=dimension)
        if data.get("bookable"):
            queryset = queryset.filter(bookable=True)
        return queryset


class OfferForm(forms.ModelForm):
    """Declare or change an offer; the fields of the other kinds are ignored by the service."""

    owner = forms.ChoiceField(label=_("Proposée par"))

    class Meta:
        model = Offer
        fields = [
            "kind", "title", "description", "thematiques", "conditions", "conditions_detail",
            "audience", "category", "place", "bookable", "auto_accept", "training_path",
            "time_offered",
            "hours_per_month", "service_type", "how_to_ask",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "thematiques": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_ask": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("En quelques mots : « Salle de réunion 20 places », « Aide au CV »."),
            "category": _("Pour un moyen."),
            "place": _("Pour un moyen : ses horaires d'ouverture limitent les réservations."),
            "bookable": _("Pour un moyen : on le demande pour un créneau."),
            "auto_accept": _("Les créneaux libres sont réservés sans attendre votre accord."),
            "time_offered": _("Pour une compétence : « 2 h par mois », « le samedi matin »."),
            "service_type": _("Pour un service (types de data·inclusion)."),
        }

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners
        self.fields["place"].queryset = Place.objects.filter(archived_at__isnull=True)
        self.fields["thematiques"].queryset = Thematique.objects.select_related("dimension")
        self.order_fields(["owner", *self.Meta.fields])

    def clean_thematiques(self):
        thematiques = self.cleaned_data["thematiques"]
        if not thematiques:
            raise forms.ValidationError(_("Choisissez au moins une thématique."))
        return thematiques

    def owner_objects(self) -> dict:
        kind, _sep, pk = self.cleaned_data["owner"].partition(":")
        if kind == "organisation":
            return {"organisation": Organisation.objects.get(pk=pk), "person": None}
        return {"organisation": None, "person": Person.objects.get(pk=pk)}

    def offer_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner")
        thematiques = list(data.pop("thematiques"))
        return {**data, "thematiques": thematiques, "dimension": thematiques[0].dimension}


class BookingForm(SentOnceForm):
    day = forms.DateField(label=_("Jour"), widget=DayInput())
    start = forms.TimeField(label=_("De"), widget=HourInput())
    end = forms.TimeField(label=_("À"), widget=HourInput())
    organisation = forms.ModelChoiceField(
        label=_("Au nom de"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("En mon nom"),
    )
    purpose = forms.CharField(label=_("Pour quoi faire ?"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                memberships__person__user=user
            )

    def slot(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(day, self.cleaned_data["start"], tzinfo=zone),
            datetime.combine(day, self.cleaned_data["end"], tzinfo=zone),
        )


class ReasonForm(forms.Form):
    """An answer to a request: a refusal must say why (the service checks it)."""

    reason = forms.CharField(
        label=_("Raison (obligatoire pour refuser)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hours = forms.DecimalField(
        label=_("Heures que vous y consacrerez"),
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=1,
    )


class OrientForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=Offer.objects.matchable(), widget=forms.HiddenInput)
    score = forms.FloatField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message au porteur de l'offre"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
