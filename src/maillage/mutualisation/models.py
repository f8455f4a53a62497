"""La mutualisation: what the territory's organisations and people can share (means, skills,
services), the orientations of needs towards these offers, and the bookings of shared means."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension, Embedded, Thematique
from maillage.core.search import matching
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person, Place


class OfferQuerySet(models.QuerySet):
    def listed(self):
        """Offers shown in the catalogue: not withdrawn (asleep ones say so)."""
        return self.exclude(status=Offer.Status.RETIREE)

    def matchable(self):
        """Offers the matching may propose: standing, and confirmed in time."""
        return self.filter(status=Offer.Status.ACTIVE)

    def owned_by(self, user):
        """Offers USER may answer for: their own, and those of the organisations they are
        référent of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(person__user=user)
            | Q(
                organisation__memberships__person__user=user,
                organisation__memberships__role="referent",
            )
        ).distinct()

    def search(self, text: str):
        return matching(self, text)


class Offer(Embedded):
    """Something an organisation or a person offers to share: a means, a skill or a service."""

    class Kind(models.TextChoices):
        MOYEN = "moyen", _("Moyen")
        COMPETENCE = "competence", _("Compétence")
        SERVICE = "service", _("Service")

    class Category(models.TextChoices):
        SALLE = "salle", _("Salle")
        EQUIPEMENT = "equipement", _("Équipement")
        VEHICULE = "vehicule", _("Véhicule")
        LOGICIEL = "logiciel", _("Logiciel ou licence")
        BUDGET = "budget", _("Ligne de budget")
        AUTRE = "autre", _("Autre moyen")

    # data·inclusion's "types de services" (schema v1, `TypeService`).
    class ServiceType(models.TextChoices):
        ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
        ATELIER = "atelier", _("Atelier")
        FORMATION = "formation", _("Formation")
        INFORMATION = "information", _("Information")
        AIDE_MATERIELLE = "aide-materielle", _("Aide matérielle")
        AIDE_FINANCIERE = "aide-financiere", _("Aide financière")

    class Conditions(models.TextChoices):
        GRATUIT = "gratuit", _("Gratuit")
        CONTREPARTIE = "contrepartie", _("En contrepartie")
        PAYANT = "payant", _("Payant")

    class Audience(models.TextChoices):
        TOUT_PUBLIC = "tout-public", _("Tout public")
        STRUCTURES = "structures", _("Les structures du territoire")
        RESEAU = "reseau", _("Les membres du réseau")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Proposée")
        EN_SOMMEIL = "en-sommeil", _("En sommeil (à confirmer)")
        RETIREE = "retiree", _("Retirée")

    kind = models.CharField(_("nature"), max_length=20, choices=Kind)
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), max_length=4000)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("structure"),
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("personne"),
    )
    place = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("lieu"),
    )
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("dimension")
    )
    thematiques = models.ManyToManyField(
        Thematique, blank=True, related_name="offers", verbose_name=_("thématiques")
    )
    conditions = models.CharField(
        _("conditions"), max_length=20, choices=Conditions, default=Conditions.GRATUIT
    )
    conditions_detail = models.CharField(
        _("précisions sur les conditions"), max_length=300, blank=True
    )
    audience = models.CharField(
        _("qui peut demander"), max_length=20, choices=Audience, default=Audience.TOUT_PUBLIC
    )
    # Means
    category = models.CharField(_("type de moyen"), max_length=20, choices=Category, blank=True)
    bookable = models.BooleanField(_("se réserve par créneaux"), default=False)
    auto_accept = models.BooleanField(_("réservations acceptées d'office"), default=False)
    # A machine one must be trained for (a laser cutter): the training's badge authorises.
    training_path = models.ForeignKey(
        "formation.TrainingPath", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="unlocked_means", verbose_name=_("formation requise pour réserver"),
    )  # fmt: skip
    # Skills
    time_offered = models.CharField(_("temps proposé"), max_length=120, blank=True)
    hours_per_month = models.DecimalField(
        _("heures par mois"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # Services
    service_type = models.CharField(
        _("type de service"), max_length=20, choices=ServiceType, blank=True
    )
    how_to_ask = models.TextField(_("comment en bénéficier"), max_length=1000, blank=True)

    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.ACTIVE)
    confirmed_at = models.DateTimeField(_("confirmée le"), default=timezone.now)
    confirmation_asked_at = models.DateTimeField(
        _("confirmation demandée le"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("déclarée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    search_text = models.TextField(editable=False, default="")
    search_stems = models.TextField(editable=False, default="")
    # « source:id » of the data·inclusion service it was imported from: importing again updates it.
    data_inclusion_id = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offre")
        verbose_name_plural = _("offres")
        ordering = ["title", "pk"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["title"]),
            models.Index(fields=["embedded_at", "id"], name="offers_by_embedding_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) ^ Q(person__isnull=True),
                name="offer_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(kind="moyen") | Q(bookable=False), name="only_means_are_booked"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mutualisation:offer", kwargs={"pk": self.pk})

    def embedding_text(self) -> str:
        return f"{self.title}. {self.description}"

    @property
    def owner(self) -> Organisation | Person:
        return self.organisation or self.person

    @property
    def owner_name(self) -> str:
        """Shown publicly: an organisation's name, a person's first name and initial."""
        if self.organisation_id:
            return self.organisation.name
        initial = f" {self.person.last_name[:1]}." if self.person.last_name else ""
        return f"{self.person.first_name}{initial}"

    @property
    def subtype_label(self) -> str:
        if self.kind == self.Kind.MOYEN:
            return self.get_category_display()
        if self.kind == self.Kind.SERVICE:
            return self.get_service_type_display()
        return self.time_offered

    @property
    def location(self) -> Place | Organisation | None:
        """Where the offer is found, for distances: its place, else its organisation."""
        for candidate in (self.place, self.organisation):
            if candidate is not None and candidate.latitude is not None:
                return candidate
        return None

    def confirmation_due_at(self):
        return self.confirmed_at + timedelta(days=settings.OFFERS_CONFIRM_EVERY_DAYS)


class Orientation(models.Model):
    """A need sent by a facilitator towards an offer; its owner accepts or declines."""

    class Status(models.TextChoices):
        PROPOSEE = "proposee", _("En attente de réponse")
        ACCEPTEE = "acceptee", _("Acceptée")
        DECLINEE = "declinee", _("Déclinée")

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="orientations")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="orientations")
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.PROPOSEE)
    message = models.TextField(_("message au porteur de l'offre"), max_length=2000, blank=True)
    reason = models.TextField(_("raison du refus"), max_length=2000, blank=True)
    hours = models.DecimalField(
        _("heures données"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    score = models.FloatField(_("score de la suggestion"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("orientée le"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A need waits for one answer per offer at a time.
            models.UniqueConstraint(
                fields=["need", "offer"],
                condition=Q(status="proposee"),
                name="one_pending_orientation_per_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need.reference} → {self.offer}"


class BookingQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Booking.Status.ACCEPTEE)

    def overlapping(self, start, end):
        """Bookings that share some time with [START, END): slots touching end to end don't."""
        return self.filter(start__lt=end, end__gt=start)

    def upcoming(self, *, now=None):
        return self.filter(end__gt=now or timezone.now()).order_by("start")


class Booking(models.Model):
    """A slot of a shared means asked for by someone. Two accepted bookings of one means never
    overlap: the booking service serialises them, and on PostgreSQL an exclusion constraint
    (migration 0002) holds even against a write that would bypass it."""

    class Status(models.TextChoices):
        DEMANDEE = "demandee", _("Demandée")
        ACCEPTEE = "acceptee", _("Acceptée")
        REFUSEE = "refusee", _("Refusée")
        ANNULEE = "annulee", _("Annulée")

    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("moyen")
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.DEMANDEE)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("demandé par"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("pour la structure"),
    )
    purpose = models.CharField(_("pour quoi faire"), max_length=300, blank=True)
    reason = models.TextField(_("raison du refus"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["offer", "status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="booking_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} — {self.start:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("mutualisation:booking", kwargs={"pk": self.pk})

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600
