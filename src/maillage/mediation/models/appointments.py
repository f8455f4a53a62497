"""Appointments at the permanence: the médiateurs' weekly openings, their absences, the slots
published from them (French public holidays left out), and the appointments people book, often
without an e-mail address: by phone, at the desk, or online without an account."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.phones import display_phone
from maillage.needs.models import Need
from maillage.territory.models import Place

from .accompaniments import Accompaniment


class Opening(models.Model):
    """Every week, on WEEKDAY from START: COUNT slots of MINUTES each, with one médiateur."""

    class Weekday(models.IntegerChoices):
        LUNDI = 0, _("Lundi")
        MARDI = 1, _("Mardi")
        MERCREDI = 2, _("Mercredi")
        JEUDI = 3, _("Jeudi")
        VENDREDI = 4, _("Vendredi")
        SAMEDI = 5, _("Samedi")

    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="openings", verbose_name=_("médiateur"))  # fmt: skip
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="openings", verbose_name=_("lieu"))  # fmt: skip
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday)
    start = models.TimeField(_("à partir de"))
    minutes = models.PositiveSmallIntegerField(
        _("durée d'un rendez-vous (minutes)"), default=45,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )  # fmt: skip
    count = models.PositiveSmallIntegerField(
        _("rendez-vous à la suite"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(16)],
    )  # fmt: skip
    starts_on = models.DateField(_("à partir du"), default=timezone.localdate)
    ends_on = models.DateField(_("jusqu'au"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("permanence hebdomadaire")
        verbose_name_plural = _("permanences hebdomadaires")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=15, minutes__lte=240),
                                   name="opening_slot_length"),
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=16),
                                   name="opening_slot_count"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=models.F("starts_on")),
                                   name="opening_ends_after_it_starts"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M} — {self.mediator}"


class Absence(models.Model):
    """A médiateur away from START to END, both days included: no slot is published then."""

    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="absences", verbose_name=_("médiateur"))  # fmt: skip
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    why = models.CharField(_("pourquoi"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="absence_ends_after_it_starts")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.mediator} : {self.start:%d/%m} — {self.end:%d/%m}"


class SlotQuerySet(models.QuerySet):
    def published(self):
        return self.filter(withdrawn_at__isnull=True)

    def free(self, *, now=None):
        """Published slots still to come that no appointment holds."""
        taken = Appointment.objects.holding().values("slot")
        return self.published().filter(starts_at__gt=now or timezone.now()).exclude(pk__in=taken)


class Slot(models.Model):
    """One time a médiateur can see someone, published from an opening (or by hand)."""

    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="slots", verbose_name=_("médiateur"))  # fmt: skip
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="slots", verbose_name=_("lieu"))  # fmt: skip
    starts_at = models.DateTimeField(_("début"))
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    opening = models.ForeignKey(Opening, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="slots")  # fmt: skip
    # An absence or a holiday declared after the slot was published takes it back.
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at", "mediator"])]
        constraints = [models.UniqueConstraint(fields=["mediator", "starts_at"],
                                               name="one_slot_per_mediator_and_time")]  # fmt: skip

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M} — {self.mediator}"


def appointment_token() -> str:
    return secrets.token_urlsafe(24)


class AppointmentQuerySet(models.QuerySet):
    def holding(self):
        """The appointments that hold their slot: all but the cancelled."""
        return self.exclude(status=Appointment.Status.ANNULE)


class Appointment(models.Model):
    """Someone comes to see a médiateur at a slot. Their contact details are kept with their
    consent, to confirm and remind; the private link (TOKEN) lets them cancel or move it."""

    class Status(models.TextChoices):
        PREVU = "prevu", _("Prévu")
        HONORE = "honore", _("Venu")
        ABSENT = "absent", _("Pas venu")
        ANNULE = "annule", _("Annulé")

    class Channel(models.TextChoices):
        EN_LIGNE = "en-ligne", _("En ligne")
        ACCUEIL = "accueil", _("À l'accueil")
        TELEPHONE = "telephone", _("Au téléphone")

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("créneau"))  # fmt: skip
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.PREVU)
    channel = models.CharField(_("pris"), max_length=12, choices=Channel,
                               default=Channel.EN_LIGNE)  # fmt: skip
    name = models.CharField(_("nom"), max_length=120)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)  # E.164
    email = models.EmailField(_("courriel"), blank=True)
    what = models.CharField(_("pour quoi"), max_length=300, blank=True)
    consent_at = models.DateTimeField(_("accord donné le"))
    token = models.CharField(max_length=64, unique=True, default=appointment_token,
                             editable=False)  # fmt: skip
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("pris par"))  # fmt: skip
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="appointments", verbose_name=_("besoin"))  # fmt: skip
    accompaniment = models.OneToOneField(
        Accompaniment, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="appointment", verbose_name=_("accompagnement"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("pris le"), default=timezone.now, editable=False)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    # The permanence's retention rule: the name and the contact go, the appointment stays.
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True,
                                             blank=True)  # fmt: skip

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            # The guarantee, as for the shared means: never two people on one slot.
            models.UniqueConstraint(fields=["slot"], condition=~Q(status="annule"),
                                    name="one_appointment_per_slot"),
            models.CheckConstraint(condition=~Q(phone="", email="")
                                   | Q(contact_erased_at__isnull=False),
                                   name="appointment_has_a_way_to_reach"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.display_name} — {self.slot}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:appointment", kwargs={"pk": self.pk})

    def private_url(self) -> str:
        return reverse("mediation:my-appointment", kwargs={"token": self.token})

    @property
    def display_name(self) -> str:
        return self.name or str(_("Personne effacée (rendez-vous n° %(pk)s)") % {"pk": self.pk})

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""
