"""Projects and their working groups. A project keeps its links to the workshop it was born
from and to the needs it answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person
from maillage.workshops.models import Workshop


class ProjectQuerySet(models.QuerySet):
    def with_counts(self):
        """With the needs it answers, those resolved, and its group's size (for lists)."""
        return self.prefetch_related("dimensions").annotate(
            answered=models.Count("needs", distinct=True),
            resolved=models.Count(
                "needs", filter=models.Q(needs__status=Need.Status.RESOLU), distinct=True
            ),
            group=models.Count(  # requests to join are not members yet
                "members", filter=models.Q(members__accepted_at__isnull=False), distinct=True
            ),
        )


class Project(models.Model):
    class Status(models.TextChoices):
        EN_COURS = "en-cours", _("En cours")
        EN_PAUSE = "en-pause", _("En pause")
        TERMINE = "termine", _("Terminé")
        ABANDONNE = "abandonne", _("Abandonné")

    title = models.CharField(_("titre"), max_length=160)
    purpose = models.TextField(_("le but, en mots simples"), max_length=4000)
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.EN_COURS)
    dimensions = models.ManyToManyField(
        Dimension, blank=True, related_name="projects", verbose_name=_("dimensions")
    )
    workshop = models.OneToOneField(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="project",
        verbose_name=_("né de l'atelier"),
    )  # fmt: skip
    needs = models.ManyToManyField(
        Need, blank=True, related_name="projects", verbose_name=_("besoins auxquels il répond")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"pk": self.pk})


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(accepted_at__isnull=False)

    def requests(self):
        return self.filter(accepted_at__isnull=True)


class Member(models.Model):
    """Someone in the project's working group, perhaps on behalf of an organisation."""

    class Role(models.TextChoices):
        PILOTE = "pilote", _("Pilote")
        CONTRIBUTEUR = "contributeur", _("Contributeur")
        OBSERVATEUR = "observateur", _("Observateur")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="project_roles")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("pour la structure"),
    )  # fmt: skip
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.CONTRIBUTEUR)
    joined_at = models.DateTimeField(_("arrivé le"), default=timezone.now)
    # Someone who asked to join: a member once a pilot accepts (then accepted_at is set).
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre du groupe de travail")
        verbose_name_plural = _("membres du groupe de travail")
        ordering = ["project", "role", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_role_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Step(models.Model):
    """A time-boxed iteration of the project, with its goal; it ends with a review, where the
    group says what was delivered, to whom it was shown, what they said, and sets the next goal."""

    class Status(models.TextChoices):
        PREVUE = "prevue", _("Prévue")
        EN_COURS = "en-cours", _("En cours")
        TERMINEE = "terminee", _("Terminée")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("numéro"))
    goal = models.TextField(_("le but de l'étape"), max_length=1000)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.PREVUE)
    delivered = models.TextField(_("ce qui a été livré"), max_length=4000, blank=True)
    shown_to = models.TextField(_("montré à qui"), max_length=1000, blank=True)
    feedback = models.TextField(_("ce qu'en ont dit les usagers"), max_length=4000, blank=True)
    reviewed_at = models.DateTimeField(_("revue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_step_per_number"),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(status="en-cours"),
                name="one_current_step_per_project",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="step_ends_after_start"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.project} — {self.number}"


class Decision(models.Model):
    """The project's decisions log: what was decided, in which context, among which options,
    how, by whom and when."""

    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        CONSENTEMENT = "consentement", _("Consentement")
        JUGEMENT_MAJORITAIRE = "jugement-majoritaire", _("Jugement majoritaire en atelier")
        PILOTE = "pilote", _("Décision du pilote")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("la décision"), max_length=300)
    context = models.TextField(_("le contexte"), max_length=4000, blank=True)
    options = models.TextField(_("les options envisagées"), max_length=4000, blank=True)
    method = models.CharField(_("comment elle a été prise"), max_length=30, choices=Method)
    taken_by = models.CharField(_("par qui"), max_length=300)
    decided_on = models.DateField(_("le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["project", "-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.title
