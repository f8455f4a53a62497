"""Trainings: paths made of modules (method cards and practice), their sessions with dates,
places, trainers and seats, and who registered, sat, waited and came."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.territory.models import Place

from .cards import MethodCard


class TrainingPath(models.Model):
    """What the lab teaches, module after module; completing it earns its badge."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"))
    criteria = models.TextField(
        _("ce qu'il faut avoir fait"), help_text=_("Le critère du badge, lu par qui le vérifie.")
    )
    skill = models.CharField(
        _("compétence acquise"), max_length=160,
        help_text=_("« Je peux animer un atelier de scénarisation »"),
    )  # fmt: skip
    hours = models.PositiveSmallIntegerField(_("durée (heures)"))
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.PROTECT,
        related_name="training_paths", verbose_name=_("dimension"),
    )  # fmt: skip
    # For the shared means it unlocks: the authorisation lapses after so long without a booking.
    authorisation_days = models.PositiveSmallIntegerField(
        _("habilitation valable sans usage (jours)"), null=True, blank=True, default=180,
        help_text=_("Pour les moyens qu'elle ouvre. Vide : sans limite."),
    )  # fmt: skip
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcours de formation")
        verbose_name_plural = _("parcours de formation")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("formation:path", kwargs={"slug": self.slug})


class Module(models.Model):
    path = models.ForeignKey(TrainingPath, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("titre"), max_length=160)
    card = models.ForeignKey(MethodCard, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="modules", verbose_name=_("fiche méthode"))  # fmt: skip
    practice = models.TextField(_("mise en pratique"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["path", "position", "pk"]

    def __str__(self) -> str:
        return self.title


def _count(rows: models.QuerySet):
    """The number of ROWS (of one session each) as a subquery: no join multiplies another."""
    return models.functions.Coalesce(models.Subquery(
        rows.values("session").annotate(n=models.Count("pk")).values("n")[:1]
    ), 0)  # fmt: skip


class SessionQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Sessions still to come and not cancelled: one can register."""
        return self.filter(cancelled_at__isnull=True, starts_at__gt=now or timezone.now())

    def with_seats_left(self):
        """Each session with `seat_count` (its seats) and `seated` (the seats held)."""
        mine = models.OuterRef("pk")
        return self.annotate(
            seat_count=_count(Seat.objects.filter(session=mine)),
            seated=_count(Registration.objects.filter(session=mine, seat__isnull=False)),
        )

    def with_attendance(self):
        """Each session with `waiting`, `came` and `evaluated`: the people on its waiting
        list, those who came and those who judged it."""
        mine = Registration.objects.filter(session=models.OuterRef("pk"))
        return self.annotate(
            waiting=_count(mine.filter(status=Registration.Status.ATTENTE)),
            came=_count(mine.filter(attended=True)),
            evaluated=_count(mine.filter(evaluation__isnull=False)),
        )


class Session(models.Model):
    """A path taught on given days: never more people seated than its seats (one row per seat,
    each held by one registration at most: the database's guarantee)."""

    path = models.ForeignKey(TrainingPath, on_delete=models.PROTECT, related_name="sessions",
                             verbose_name=_("parcours"))  # fmt: skip
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="training_sessions", verbose_name=_("lieu"))  # fmt: skip
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sessions_taught",
                                      verbose_name=_("formateurs"))  # fmt: skip
    capacity = models.PositiveSmallIntegerField(_("places"))
    minimum = models.PositiveSmallIntegerField(
        _("minimum d'inscrits"), default=1,
        help_text=_("En dessous, la session est annulée quelques jours avant, et chacun prévenu."),
    )  # fmt: skip
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancel_reason = models.CharField(_("raison de l'annulation"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                   name="session_ends_after_it_starts"),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=500),
                                   name="session_capacity"),
            models.CheckConstraint(condition=Q(minimum__gte=0, minimum__lte=F("capacity")),
                                   name="session_minimum_within_capacity"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.path} — {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("formation:session", kwargs={"pk": self.pk})

    @property
    def seats_left(self) -> int:
        """The seats nobody holds (on a session read `with_seats_left`)."""
        return max(self.seat_count - self.seated, 0)


class Seat(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "number"],
                                               name="one_seat_per_number")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.session} — {self.number}"


def registration_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    """Someone registered to a session: seated, or waiting for a seat to free up."""

    class Status(models.TextChoices):
        INSCRIT = "inscrit", _("Inscrit")
        ATTENTE = "attente", _("En liste d'attente")
        DESISTE = "desiste", _("Désisté")
        ANNULE = "annule", _("Session annulée")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    seat = models.OneToOneField(Seat, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="registration")  # fmt: skip
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.INSCRIT)
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("courriel"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="training_registrations",
    )  # fmt: skip
    # With consent, the skill learnt goes to the person's profile and the mutualisation register.
    share_skill = models.BooleanField(_("proposer la compétence au territoire"), default=False)
    attended = models.BooleanField(_("présent"), null=True)
    token = models.CharField(max_length=64, unique=True, default=registration_token,
                             editable=False)  # fmt: skip
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)

    class Meta:
        verbose_name = _("inscription à une formation")
        verbose_name_plural = _("inscriptions à une formation")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "email"],
                                    condition=Q(status__in=["inscrit", "attente"]),
                                    name="one_registration_per_person_and_session"),
            models.CheckConstraint(condition=Q(seat__isnull=True) | Q(status="inscrit"),
                                   name="only_the_registered_hold_a_seat"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} — {self.session}"

    def private_url(self) -> str:
        return reverse("formation:registration", kwargs={"token": self.token})


class Evaluation(models.Model):
    """A trainee's judgment of their session, on the workshops' majority-judgment scale."""

    # What trainees judge, each on the scale from « À rejeter » to « Excellent ».
    CRITERIA = [("contenu", _("Le contenu")), ("animation", _("L'animation")),
                ("utilite", _("Ce que j'en retire"))]  # fmt: skip

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE,
                                        related_name="evaluation")  # fmt: skip
    grades = models.JSONField(_("mentions"))  # {criterion: 0 (À rejeter) … 6 (Excellent)}
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    at = models.DateTimeField(_("donnée le"), default=timezone.now)

    class Meta:
        verbose_name = _("évaluation d'une session")
        verbose_name_plural = _("évaluations des sessions")

    def __str__(self) -> str:
        return str(self.registration)
