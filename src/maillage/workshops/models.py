"""Workshops: a question worked on by people in a room, along an agenda of timed phases, whose
scenarios are judged on criteria."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.needs.models import SharedNeed
from maillage.territory.models import Place

# Join codes avoid letters and digits that read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Each phrased so that « Excellent » is the good end (« Coût » judged « Excellent » would
# say nothing clear).
DEFAULT_CRITERIA = [
    _("Utile aux habitants"),
    _("Facile à réaliser"),
    _("Coût raisonnable"),
    _("Bon pour l'environnement"),
    _("Ouvert à tous"),
]


def join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def registration_token() -> str:
    return secrets.token_urlsafe(24)


def door_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class WorkshopQuerySet(models.QuerySet):
    def upcoming(self, *, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, *, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")


class Workshop(models.Model):
    class Status(models.TextChoices):
        PREPARATION = "preparation", _("En préparation")
        OUVERT = "ouvert", _("Inscriptions ouvertes")
        EN_COURS = "en-cours", _("En cours")
        TERMINE = "termine", _("Terminé")
        ANNULE = "annule", _("Annulé")

    question = models.CharField(_("la question de l'atelier"), max_length=300)
    description = models.TextField(_("présentation"), max_length=4000, blank=True)
    shared_need = models.ForeignKey(
        SharedNeed,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workshops",
        verbose_name=_("besoin commun d'origine"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="workshops",
        verbose_name=_("lieu"),
    )  # fmt: skip
    capacity = models.PositiveIntegerField(_("places"), default=30)
    # How many phones one network (a hall's Wi-Fi) may bring in: the people expected.
    expected = models.PositiveIntegerField(
        _("personnes attendues dans la salle"), null=True, blank=True,
        help_text=_("Un même réseau (le Wi-Fi de la salle) ne fait pas entrer plus de "
                    "téléphones. Par défaut, le nombre de places."),
    )  # fmt: skip

    class Vote(models.TextChoices):
        OUVERT = "ouvert", _("Tout téléphone de la salle vote")
        INSCRITS = "inscrits", _("Un vote par inscrit accueilli à l'entrée")

    vote = models.CharField(_("qui vote"), max_length=20, choices=Vote, default=Vote.OUVERT)
    joining_closed_at = models.DateTimeField(_("accès fermé le"), null=True, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_workshops", verbose_name=_("animation")
    )
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.OUVERT)
    current_phase = models.ForeignKey(
        "Phase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("phase en cours"),
    )  # fmt: skip
    phase_started_at = models.DateTimeField(_("phase commencée le"), null=True, blank=True)
    results_revealed_at = models.DateTimeField(_("résultats montrés le"), null=True, blank=True)
    chosen_scenario = models.ForeignKey(
        "Scenario", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("scénario retenu"),
    )  # fmt: skip
    decision = models.TextField(
        _("la décision, dans les mots du groupe"), max_length=4000, blank=True
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    join_code = models.CharField(
        _("code pour rejoindre"), max_length=6, default=join_code, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
            # A code identifies one workshop among those that can still be joined.
            models.UniqueConstraint(
                fields=["join_code"],
                condition=~Q(status__in=["termine", "annule"]),
                name="one_open_workshop_per_code",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    @property
    def room_state(self) -> str:
        """Where the room stands, as the projector lays it out: welcome, ideas, scenarios,
        vote, results, decision or end."""
        if self.decided_at:
            return "decision"
        if self.status in (self.Status.TERMINE, self.Status.ANNULE):
            return "end"
        if self.results_revealed_at:
            return "results"
        kind = self.current_phase.kind if self.current_phase else None
        return {"evaluation": "vote", "scenarios": "scenarios", "ideation": "ideas"}.get(
            kind, "welcome"
        )

    @property
    def phase_ends_at(self) -> datetime | None:
        """When the current phase should end by the agenda (the room's timer)."""
        if self.current_phase is None or self.decided_at:
            return None
        return self.current_phase.ends_at(self.phase_started_at)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == self.Status.OUVERT and self.starts_at > timezone.now()

    def seats_left(self) -> int:
        return max(0, self.capacity - self.registrations.active().count())

    @property
    def phones_per_network(self) -> int:
        """The ceiling of phones joining from one network."""
        return self.expected or self.capacity


class Phase(models.Model):
    class Kind(models.TextChoices):
        ACCUEIL = "accueil", _("Accueil")
        INSPIRATION = "inspiration", _("Inspiration")
        IDEATION = "ideation", _("Idéation")
        SCENARIOS = "scenarios", _("Scénarios")
        EVALUATION = "evaluation", _("Évaluation")
        DECISION = "decision", _("Décision")
        CLOTURE = "cloture", _("Clôture")
        ACTIVITE = "activite", _("Activité")  # a method card run as it says, nothing to collect

    # The agenda a new workshop starts with (minutes per phase); facilitators change it.
    DEFAULT_AGENDA = [
        (Kind.ACCUEIL, 15), (Kind.INSPIRATION, 20), (Kind.IDEATION, 30), (Kind.SCENARIOS, 40),
        (Kind.EVALUATION, 20), (Kind.DECISION, 15), (Kind.CLOTURE, 10),
    ]  # fmt: skip

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    title = models.CharField(_("titre"), max_length=120, blank=True)
    minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    position = models.PositiveSmallIntegerField(default=0)
    # The method card the phase runs: its steps and tips are the facilitator's in the console.
    card = models.ForeignKey("formation.MethodCard", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="phases",
                             verbose_name=_("fiche méthode"))  # fmt: skip

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["workshop", "position", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def ends_at(self, started: datetime | None) -> datetime | None:
        """When the phase should end by the agenda, had it started at STARTED."""
        return started + timedelta(minutes=self.minutes) if started else None


class Criterion(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["workshop", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)


class Registration(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("prénom ou pseudonyme"), max_length=80)
    email = models.EmailField(_("courriel"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    token = models.CharField(max_length=64, unique=True, default=registration_token, editable=False)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)
    attended = models.BooleanField(_("présent"), default=False)
    # Given at the door once the person is checked in: with it a phone votes in their name.
    door_code = models.CharField(_("code d'entrée"), max_length=6, default=door_code)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["workshop", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=Q(cancelled_at__isnull=True),
                name="one_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.workshop}"

    def get_absolute_url(self) -> str:
        return reverse("workshops:registration", kwargs={"token": self.token})


def participant_token() -> str:
    return secrets.token_urlsafe(24)


class ParticipantQuerySet(models.QuerySet):
    def counted(self):
        """Those whose ideas and grades count: not excluded by the facilitators."""
        return self.filter(excluded_at__isnull=True)


class Participant(models.Model):
    """Someone in the room, joined with the workshop's code: no account needed."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("prénom ou pseudonyme"), max_length=80)
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="participants"
    )
    # The phone keeps it in a cookie: it is the participant's only key.
    token = models.CharField(max_length=64, unique=True, default=participant_token, editable=False)
    joined_at = models.DateTimeField(default=timezone.now)
    # Where it joined from, kept to see a flood and stop it: the network, hashed for this
    # workshop (never the address itself), with a label people can tell apart (203.0.113.x),
    # and the browser, hashed the same way.
    network = models.CharField(max_length=16, blank=True, editable=False)
    network_label = models.CharField(_("réseau"), max_length=60, blank=True, editable=False)
    device = models.CharField(max_length=16, blank=True, editable=False)
    excluded_at = models.DateTimeField(_("exclu le"), null=True, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["workshop", "joined_at", "pk"]
        indexes = [models.Index(fields=["workshop", "network"])]
        constraints = [
            # One ballot per registered person: their phones share one participant.
            models.UniqueConstraint(
                fields=["registration"], name="one_participant_per_registration"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A possible version of the project, written by the group."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(_("titre"), max_length=160)
    serves = models.TextField(_("pour qui"), max_length=1000, blank=True)
    changes = models.TextField(_("ce qui change pour eux"), max_length=2000, blank=True)
    means = models.TextField(_("moyens nécessaires"), max_length=2000, blank=True)
    first_step = models.TextField(_("premier pas"), max_length=1000, blank=True)
    risks = models.TextField(_("risques"), max_length=2000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("scénario")
        verbose_name_plural = _("scénarios")
        ordering = ["workshop", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class GradeQuerySet(models.QuerySet):
    def counted(self):
        """The grades that count: not those of participants the facilitators excluded."""
        return self.filter(participant__excluded_at__isnull=True)


class Grade(models.Model):
    """One participant's grade of one scenario on one criterion (a second vote replaces it)."""

    # The majority-judgment scale, worst first: the value is the index.
    class Value(models.IntegerChoices):
        A_REJETER = 0, _("À rejeter")
        INSUFFISANT = 1, _("Insuffisant")
        PASSABLE = 2, _("Passable")
        ASSEZ_BIEN = 3, _("Assez bien")
        BIEN = 4, _("Bien")
        TRES_BIEN = 5, _("Très bien")
        EXCELLENT = 6, _("Excellent")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="grades")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="grades")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="grades")
    value = models.PositiveSmallIntegerField(_("mention"), choices=Value)
    at = models.DateTimeField(default=timezone.now)

    objects = GradeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "scenario", "criterion"], name="one_grade_per_judge"
            ),
            models.CheckConstraint(condition=Q(value__lte=6), name="grade_on_the_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.scenario} — {self.criterion}: {self.value}"


class Cluster(models.Model):
    """A group of ideas the facilitators put together."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("titre"), max_length=160)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("groupe d'idées")
        verbose_name_plural = _("groupes d'idées")
        ordering = ["workshop", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class IdeaQuerySet(models.QuerySet):
    def counted(self):
        """The ideas on the board: not those of participants the facilitators excluded."""
        return self.exclude(participant__excluded_at__isnull=False)


class Idea(models.Model):
    """A short idea posted from a phone during the idéation."""

    LONGEST = 500

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ideas")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    text = models.TextField(_("idée"), max_length=LONGEST)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    # A duplicate merged into another idea: kept, counted with it, no longer shown alone.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        ordering = ["workshop", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
