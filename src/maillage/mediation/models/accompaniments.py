"""The médiation numérique: the people accompanied and the accompaniments, in La Coop's words.

An accompaniment may answer a need of the permanence (a person helped three times for the same
file: three accompaniments, one need) or stand alone. Every value is the Coop's identifier
(`vocabulary`), so reports need no translation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.text import search_document
from maillage.needs.models import Need
from maillage.territory.models import Place
from maillage.territory.validators import display_phone

from .. import communes
from ..vocabulary import (
    LONGEST_MINUTES,
    AgeBand,
    Autonomy,
    Gender,
    Kind,
    Level,
    PlaceType,
    Redirection,
    SocialStatus,
)


class BeneficiaryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def known(self):
        return self.active().exclude(first_name="", last_name="")


class Beneficiary(models.Model):
    """Someone the lab accompanies: anonymous (only what the Coop counts) or known, with their
    consent. Seen by the lab's team only; their contact details are erased like a need's."""

    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("année de naissance"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )  # fmt: skip
    age_band = models.CharField(
        _("tranche d'âge"), max_length=30, choices=AgeBand, default=AgeBand.NON_COMMUNIQUE
    )
    gender = models.CharField(
        _("genre"), max_length=20, choices=Gender, default=Gender.NON_COMMUNIQUE
    )
    social_status = models.CharField(
        _("situation"), max_length=30, choices=SocialStatus, default=SocialStatus.NON_COMMUNIQUE
    )
    commune_code = models.CharField(_("commune (code INSEE)"), max_length=5, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)  # E.164
    email = models.EmailField(_("courriel"), blank=True)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("accord donné le"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")  # names, phone, e-mail folded
    # « Nom|Prénom|année » folded, for a spreadsheet imported twice: the same row, not two people.
    import_key = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("saisi par"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"], condition=~Q(import_key=""),
                name="one_beneficiary_per_import_key",
            ),
            # Known people were asked: no name nor contact without consent.
            models.CheckConstraint(
                condition=Q(consent_at__isnull=False)
                | Q(first_name="", last_name="", phone="", email=""),
                name="known_beneficiary_consented",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("mediation:beneficiary", kwargs={"pk": self.pk})

    def refresh_search_text(self) -> None:
        self.search_text = search_document(self.first_name, self.last_name, self.email,
                                           self.phone.removeprefix("+33"))  # fmt: skip

    @property
    def is_anonymous(self) -> bool:
        return not (self.first_name or self.last_name)

    @property
    def display_name(self) -> str:
        if self.is_anonymous:
            return str(_("Personne anonyme n° %(pk)s") % {"pk": self.pk})
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def commune_name(self) -> str:
        return communes.commune_name(self.commune_code) if self.commune_code else ""

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class AccompanimentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def between(self, start, end):
        """Those that took place from START to END, both days included."""
        return self.filter(date__gte=start, date__lte=end)


class Accompaniment(models.Model):
    """A médiateur helped someone, or a group, do something with digital tools or online."""

    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.INDIVIDUEL)
    date = models.DateField(_("date"), default=timezone.localdate)
    duration = models.PositiveSmallIntegerField(
        _("durée (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(LONGEST_MINUTES)]
    )
    place_type = models.CharField(
        _("lieu"), max_length=20, choices=PlaceType, default=PlaceType.LIEU_ACTIVITE
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="accompaniments",
        verbose_name=_("lieu d'activité"),
    )  # fmt: skip
    commune_code = models.CharField(_("commune du lieu (code INSEE)"), max_length=5, blank=True)
    autonomy = models.CharField(_("autonomie"), max_length=30, choices=Autonomy, blank=True)
    redirected = models.BooleanField(_("orientée vers une autre structure"), default=False)
    redirection = models.CharField(
        _("orientée vers"), max_length=40, choices=Redirection, blank=True
    )
    materials = models.JSONField(_("matériel"), default=list, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list)
    details = models.TextField(_("précisions sur la démarche"), max_length=2000, blank=True)
    workshop_title = models.CharField(_("titre de l'atelier"), max_length=200, blank=True)
    workshop_level = models.CharField(_("niveau de l'atelier"), max_length=15, choices=Level,
                                      blank=True)  # fmt: skip
    # People present at a collective workshop without being recorded (the Coop counts them).
    anonymous_people = models.PositiveSmallIntegerField(
        _("autres personnes présentes"), default=0, validators=[MaxValueValidator(500)]
    )
    beneficiaries = models.ManyToManyField(
        Beneficiary, through="Participation", related_name="accompaniments",
        verbose_name=_("personnes accompagnées"),
    )  # fmt: skip
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.PROTECT, related_name="accompaniments",
        verbose_name=_("besoin"),
    )  # fmt: skip
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accompaniments",
        verbose_name=_("médiateur"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("saisi le"), default=timezone.now, editable=False)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    objects = AccompanimentQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-date", "-pk"]
        indexes = [
            # Lists, the feed and the export walk by date then id, and stop after a page.
            models.Index(fields=["date", "id"], name="accompaniments_by_date"),
            models.Index(fields=["mediator", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=1, duration__lte=LONGEST_MINUTES),
                name="accompaniment_duration_within_a_day",
            ),
            models.CheckConstraint(
                condition=Q(redirected=True) | Q(redirection=""),
                name="accompaniment_redirection_only_when_redirected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:accompaniment", kwargs={"pk": self.pk})

    @property
    def people_count(self) -> int:
        """The Coop's `accompagnements`: one per person accompanied."""
        return len(self.participations.all()) + self.anonymous_people


class Participation(models.Model):
    """One person in one accompaniment, and whether it was their first with the lab."""

    accompaniment = models.ForeignKey(
        Accompaniment, on_delete=models.CASCADE, related_name="participations"
    )
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="participations"
    )
    first = models.BooleanField(_("premier accompagnement"), default=False)

    class Meta:
        verbose_name = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["accompaniment", "beneficiary"], name="one_participation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary} — {self.accompaniment}"
