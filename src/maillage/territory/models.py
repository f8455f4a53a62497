"""The territory's actors: organisations and their networks, people, memberships, places."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.core.text import search_document, search_terms

from .validators import (
    display_phone,
    validate_insee_code,
    validate_phone,
    validate_postal_code,
    validate_rna,
    validate_siret,
)


class Network(models.Model):
    """A data·inclusion "réseau porteur": France Services, conseillers numériques, CCAS…"""

    code = models.SlugField(_("code data·inclusion"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    """A postal address with its INSEE commune code and coordinates (WGS 84)."""

    street = models.CharField(_("adresse"), max_length=200, blank=True)
    address_complement = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(
        _("code INSEE"), max_length=5, blank=True, validators=[validate_insee_code]
    )
    neighbourhood = models.CharField(_("quartier"), max_length=100, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        abstract = True

    @property
    def one_line_address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, self.address_complement, town) if part)


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def search(self, text: str):
        """Keep organisations whose name, description, town or networks contain every word."""
        queryset = self
        for term in search_terms(text):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def for_directory(self):
        return self.active().prefetch_related("networks", "dimensions").order_by("name")


class Organisation(Address):
    """A structure of the territory: a town service, a firm, an association, a school…"""

    class Kind(models.TextChoices):
        SERVICE_MUNICIPAL = "service-municipal", _("Service municipal")
        SERVICE_PUBLIC = "service-public", _("Autre service public")
        ENTREPRISE = "entreprise", _("Entreprise")
        ASSOCIATION = "association", _("Association")
        ENSEIGNEMENT = "enseignement", _("Établissement d'enseignement")
        COLLECTIF_HABITANTS = "collectif-habitants", _("Collectif d'habitants")
        TIERS_LIEU = "tiers-lieu", _("Tiers-lieu")
        AUTRE = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse de la page"), max_length=220, unique=True)
    kind = models.CharField(_("type de structure"), max_length=30, choices=Kind)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    description = models.TextField(_("présentation"), max_length=5000, blank=True)
    website = models.URLField(_("site web"), max_length=300, blank=True)
    email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_phone])
    networks = models.ManyToManyField(
        Network, blank=True, related_name="organisations", verbose_name=_("réseaux")
    )
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="organisations", verbose_name=_("dimensions")
    )
    search_text = models.TextField(editable=False, default="")
    # « source:id » of the data·inclusion record it was imported from: importing again updates it.
    data_inclusion_id = models.CharField(
        _("identifiant data·inclusion"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        # The directory lists by name: the index lets the database stop after one page.
        indexes = [models.Index(fields=["name"]), models.Index(fields=["kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["data_inclusion_id"], condition=~models.Q(data_inclusion_id=""),
                name="one_organisation_per_data_inclusion_record",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:organisation", kwargs={"slug": self.slug})

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

    def refresh_search_text(self, network_names: list[str] | None = None) -> None:
        """Fold the searchable texts into `search_text` (the caller saves)."""
        if network_names is None:
            network_names = [n.name for n in self.networks.all()] if self.pk else []
        self.search_text = search_document(
            self.name, self.description, self.city, self.neighbourhood, *network_names
        )


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class Person(models.Model):
    """Someone of the territory; may or may not have an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("compte"),
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    bio = models.TextField(_("présentation"), max_length=2000, blank=True)
    neighbourhood = models.CharField(_("quartier"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("territory:person", kwargs={"pk": self.pk})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Membership(models.Model):
    """A person's tie to an organisation; a référent may edit its page and invite members."""

    class Role(models.TextChoices):
        MEMBRE = "membre", _("Membre")
        REFERENT = "referent", _("Référent")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.MEMBRE)
    title = models.CharField(_("fonction"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["organisation__name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="one_membership_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation} ({self.get_role_display()})"


class Place(Address):
    """A site of the lab or a partner venue where things happen, with its opening hours."""

    class Kind(models.TextChoices):
        LAB_SITE = "site-labo", _("Site du laboratoire")
        PARTNER_VENUE = "lieu-partenaire", _("Lieu partenaire")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=30, choices=Kind)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("structure"),
    )
    description = models.TextField(_("présentation"), max_length=5000, blank=True)
    accessibility = models.TextField(_("accessibilité"), max_length=2000, blank=True)
    capacity = models.PositiveIntegerField(_("capacité d'accueil"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:place", kwargs={"pk": self.pk})

    def osm_opening_hours(self) -> str:
        """Return the opening hours in OpenStreetMap syntax, as the French standards expect."""
        days = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        by_day: dict[int, list[str]] = {}
        for period in self.opening_periods.all():
            by_day.setdefault(period.weekday, []).append(
                f"{period.opens:%H:%M}-{period.closes:%H:%M}"
            )
        return "; ".join(f"{days[day]} {','.join(spans)}" for day, spans in sorted(by_day.items()))


class OpeningPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        LUNDI = 0, _("Lundi")
        MARDI = 1, _("Mardi")
        MERCREDI = 2, _("Mercredi")
        JEUDI = 3, _("Jeudi")
        VENDREDI = 4, _("Vendredi")
        SAMEDI = 5, _("Samedi")
        DIMANCHE = 6, _("Dimanche")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_periods")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="opens_before_closes"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed invitation to join an organisation; the link's token proves the address."""

    VALIDITY = timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(
        _("rôle"), max_length=20, choices=Membership.Role, default=Membership.Role.MEMBRE
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("territory:invitation", kwargs={"token": self.token})
