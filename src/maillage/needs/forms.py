from django import forms
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from maillage.core.idempotency import SentOnceForm
from maillage.core.models import Dimension, Thematique, User
from maillage.territory.models import Organisation
from maillage.territory.validators import normalise_phone

from .models import Need, SharedNeed


class DimensionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dimension) -> str:
        return f"{obj.name} — {obj.description}" if obj.description else obj.name


class RaiseNeedForm(SentOnceForm):
    """The inhabitant's form: short, plain French, nothing required but the need itself."""

    CONTACT_CHOICES = [
        ("courriel", _("Par courriel")),
        ("telephone", _("Par téléphone")),
        ("aucun", _("Je ne veux pas être contacté : je suivrai avec le lien")),
    ]

    description = forms.CharField(
        label=_("Votre besoin ou votre problème, avec vos mots"),
        help_text=_(
            "Par exemple : « Je n'arrive pas à prendre rendez-vous en ligne "
            "pour ma carte d'identité. »"
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    dimension = DimensionChoiceField(
        label=_("De quoi s'agit-il ? (facultatif)"),
        queryset=Dimension.objects.all(),
        required=False,
        empty_label=_("Je ne sais pas"),
        blank=True,  # radio buttons show the empty choice only with blank=True
        widget=forms.RadioSelect,
        to_field_name="code",
    )
    name = forms.CharField(label=_("Votre prénom (facultatif)"), max_length=120, required=False)
    neighbourhood = forms.CharField(
        label=_("Votre quartier (facultatif)"), max_length=100, required=False
    )
    contact = forms.ChoiceField(
        label=_("Comment vous répondre ?"),
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        initial="aucun",
    )
    email = forms.EmailField(label=_("Votre adresse de courriel"), required=False)
    phone = forms.CharField(label=_("Votre numéro de téléphone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_("J'accepte que le laboratoire garde mes coordonnées pour me répondre."),
        required=False,
    )
    # The way to be answered comes first; the name and details it needs follow it (and, where
    # the browser can, appear only once it is chosen: see `.asks-contact` in the style sheet).
    field_order = ["description", "dimension", "neighbourhood", "contact", "name", "email",
                   "phone", "consent"]  # fmt: skip

    name_is_a_contact = True

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = format_html(
            "<details><summary>{}</summary><p>{}</p></details>",
            _("Ce que nous gardons, et combien de temps"),
            _(
                "Votre prénom et vos coordonnées servent seulement à vous répondre sur ce "
                "besoin. Ils sont effacés %(days)s jours après la fin du suivi, ou plus tôt si "
                "vous le demandez depuis votre page de suivi."
            )
            % {"days": settings.NEEDS_RETENTION_DAYS},
        )
        if organisations:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Au nom de la structure (facultatif)"),
                queryset=organisations,
                required=False,
                empty_label=_("En mon nom"),
            )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else value

    def clean(self):
        data = super().clean()
        contact = data.get("contact")
        if contact == "courriel" and not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email", _("Indiquez votre adresse de courriel, ou choisissez une autre façon.")
            )
        if contact == "telephone" and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Indiquez votre numéro, ou choisissez une autre façon."))
        if contact != "courriel":
            data["email"] = ""
        if contact != "telephone":
            data["phone"] = ""
        if contact == "aucun" and self.name_is_a_contact:
            data["name"] = ""  # asked only with a way to answer: alone it serves nothing
        keeps_contact = data.get("email") or data.get("phone") or data.get("name")
        if keeps_contact and not data.get("consent"):
            self.add_error("consent", _("Cochez cette case pour que nous puissions vous répondre."))
        return data


class DeskNeedForm(RaiseNeedForm):
    """The facilitator records a need for someone at the desk or on the phone."""

    name_is_a_contact = False  # the desk may note who will come back, without a way to answer

    channel = forms.ChoiceField(
        label=_("Canal"),
        choices=[c for c in Need.Channel.choices if c[0] != Need.Channel.EN_LIGNE],
        initial=Need.Channel.ACCUEIL,
    )
    field_order = [
        "channel",
        "description",
        "dimension",
        "name",
        "neighbourhood",
        "contact",
        "email",
        "phone",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Le besoin, dans les mots de la personne")
        self.fields["description"].help_text = ""
        self.fields["dimension"].widget = forms.Select()
        self.fields["dimension"].label = _("Dimension")
        self.fields["contact"].label = _("Comment lui répondre ?")
        self.fields["contact"].widget = forms.Select(choices=self.CONTACT_CHOICES)
        self.fields["name"].label = _("Nom ou prénom")
        self.fields["email"].label = _("Courriel")
        self.fields["phone"].label = _("Téléphone")
        self.fields["consent"].label = _(
            "La personne accepte que nous gardions ses coordonnées pour lui répondre."
        )
        self.fields["consent"].help_text = ""
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("Au nom de la structure"),
            queryset=Organisation.objects.active(),
            required=False,
        )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous les besoins ouverts")), *Need.Status.choices],
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        required=False,
        queryset=Dimension.objects.all(),
        to_field_name="code",
        empty_label=_("Toutes"),
    )
    owner = forms.ChoiceField(
        label=_("Responsable"),
        required=False,
        choices=[("", _("Tous")), ("moi", _("Moi")), ("personne", _("Personne encore"))],
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)
    today = forms.BooleanField(label=_("Dus aujourd'hui ou en retard"), required=False)


class QualifyForm(forms.Form):
    title = forms.CharField(label=_("Titre court"), max_length=160)
    dimension = forms.ModelChoiceField(
        label=_("Dimension"), queryset=Dimension.objects.all(), required=False
    )
    thematique = forms.ModelChoiceField(
        label=_("Thématique"),
        queryset=Thematique.objects.select_related("dimension"),
        required=False,
    )


class MessageForm(SentOnceForm):
    message = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(SentOnceForm):
    message = forms.CharField(
        label=_("Réponse au demandeur (il la verra)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NoteForm(SentOnceForm):
    message = forms.CharField(
        label=_("Note pour l'équipe (le demandeur ne la verra pas)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WaitForm(SentOnceForm):
    message = forms.CharField(
        label=_("Ce que vous attendez du demandeur (il le verra)"),
        help_text=_("Par exemple : « Apportez votre dernier avis d'imposition. »"),
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    days = forms.IntegerField(
        label=_("Sans nouvelles, reprendre après (jours)"), min_value=1, max_value=365,
        initial=settings.NEEDS_WAITING_DAYS,
    )  # fmt: skip


class ResumeForm(SentOnceForm):
    """Nothing to say: the team takes the need back before the requester answers."""


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Nouvel état"), choices=Need.Status.choices)
    reason = forms.ChoiceField(
        label=_("Raison (pour clore)"),
        required=False,
        choices=[("", "—"), *Need.ClosureReason.choices],
    )
    message = forms.CharField(
        label=_("Message au demandeur"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour résoudre ou clore : dites-lui pourquoi."),
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Confier à"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        from .services import facilitators

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = facilitators()


class MeTooForm(RaiseNeedForm):
    """Join a shared need: a few words are welcome but not required."""

    def __init__(self, *args, shared_need, **kwargs):
        super().__init__(*args, **kwargs)
        self.shared_need = shared_need
        del self.fields["dimension"]
        self.fields["description"].required = False
        self.fields["description"].label = _("Un mot sur votre situation (facultatif)")
        self.fields["description"].help_text = ""
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        return text or _("Moi aussi : %(title)s") % {"title": self.shared_need.title}

    def clean(self):
        data = super().clean()
        data["dimension"] = self.shared_need.dimension
        return data


class LinkSharedNeedForm(forms.Form):
    shared_need = forms.ModelChoiceField(
        label=_("Besoin commun"), queryset=SharedNeed.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_need"].queryset = SharedNeed.objects.active()


class CreateSharedNeedForm(forms.Form):
    title = forms.CharField(label=_("Titre public du besoin commun"), max_length=160)
    description = forms.CharField(
        label=_("Description publique"),
        help_text=_("Visible de tous : aucune donnée personnelle."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
