from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

from maillage.core.models import Dimension

from .models import Membership, Network, Organisation, Person
from .validators import normalise_phone


class DirectoryFilterForm(forms.Form):
    """The directory's search and filters; an unknown value is an error shown on the page."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Type de structure"),
        required=False,
        choices=[("", _("Tous les types")), *Organisation.Kind.choices],
    )
    network = forms.ModelChoiceField(
        label=_("Réseau"),
        required=False,
        queryset=Network.objects.all(),
        to_field_name="code",
        empty_label=_("Tous les réseaux"),
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        required=False,
        queryset=Dimension.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes les dimensions"),
    )

    @property
    def refines(self) -> bool:
        """Tell whether a filter beyond the text search is in use (the page shows them open)."""
        return self.is_bound and any(
            self.data.get(name) for name in ("kind", "network", "dimension")
        )

    def filter(self, queryset):
        """Apply the valid filters; the invalid ones are reported by the form's errors."""
        data = self.cleaned_data if self.is_bound else {}
        if q := data.get("q"):
            queryset = queryset.search(q)
        if kind := data.get("kind"):
            queryset = queryset.filter(kind=kind)
        if network := data.get("network"):
            queryset = queryset.filter(networks=network)
        if dimension := data.get("dimension"):
            queryset = queryset.filter(dimensions=dimension)
        return queryset


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "siret",
            "rna",
            "website",
            "email",
            "phone",
            "street",
            "address_complement",
            "postal_code",
            "city",
            "insee_code",
            "neighbourhood",
            "latitude",
            "longitude",
            "networks",
            "dimensions",
        ]
        widgets = {
            "networks": forms.CheckboxSelectMultiple,
            "dimensions": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "siret": _("14 chiffres, sans espaces. Laissez vide si la structure n'en a pas."),
            "rna": _("Pour une association : W suivi de 9 chiffres."),
        }

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"]
        return siret.compact(value) if value else value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalise_phone(value) if value else value

    def clean_rna(self) -> str:
        return self.cleaned_data["rna"].strip().upper()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "neighbourhood", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique de la personne à inviter"))
    role = forms.ChoiceField(label=_("Rôle"), choices=Membership.Role.choices)
