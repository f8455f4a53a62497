"""Projects and their working groups. A project keeps its links to the workshop it was born
from and to the needs it answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension
from maillage.mutualisation.models import Booking, Offer
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person
from maillage.workshops.models import Workshop


class ProjectQuerySet(models.QuerySet):
    def counted(self, window) -> list:
        """The projects of WINDOW (a slice of this queryset) with their counts: the window is
        chosen first, so that only its projects are counted, not the whole portfolio."""
        ids = [project.pk for project in window]
        return list(self.model.objects.filter(pk__in=ids).with_counts())

    def with_counts(self):
        """With the needs it answers, those resolved, and its group's size (for lists; newest
        first, said again because a grouped query drops the model's ordering)."""
        return (
            self.prefetch_related("dimensions")
            .order_by("-created_at", "-pk")
            .annotate(
                answered=models.Count("needs", distinct=True),
                resolved=models.Count(
                    "needs", filter=models.Q(needs__status=Need.Status.RESOLU), distinct=True
                ),
                group=models.Count(  # requests to join are not members yet
                    "members", filter=models.Q(members__accepted_at__isnull=False), distinct=True
                ),
            )
        )

    def with_organisation(self, organisation):
        """The projects where someone works on behalf of ORGANISATION (a pk or an instance)."""
        return self.filter(
            pk__in=Member.objects.active().filter(organisation=organisation).values("project")
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
    digest = models.BooleanField(_("recevoir le résumé quotidien par courriel"), default=True)

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


class ItemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(column=Item.Column.FAIT)

    def backlog(self):
        return self.filter(step__isnull=True).order_by("position", "pk")


class Item(models.Model):
    """A piece of work written from the users' side (« ce que l'usager pourra faire »), linked
    to the needs it answers. Without a step it waits in the backlog, in the group's order; in
    a step it sits in a column of that step's board.

    `version` grows with every change: a move or an edit made from a stale page names the
    version it saw and is refused when that is no longer the current one (no lost update)."""

    class Column(models.TextChoices):
        A_FAIRE = "a-faire", _("À faire")
        EN_COURS = "en-cours", _("En cours")
        FAIT = "fait", _("Fait")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
        verbose_name=_("étape"),
    )  # fmt: skip
    title = models.CharField(_("ce que l'usager pourra faire"), max_length=300)
    details = models.TextField(_("précisions"), max_length=4000, blank=True)
    needs = models.ManyToManyField(
        Need, blank=True, related_name="project_items", verbose_name=_("besoins auxquels il répond")
    )
    column = models.CharField(_("colonne"), max_length=20, choices=Column, default=Column.A_FAIRE)
    position = models.PositiveIntegerField(_("rang"), default=0)
    assignee = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.RESTRICT, related_name="items",
        verbose_name=_("confié à"),
    )  # fmt: skip
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("élément du carnet")
        verbose_name_plural = _("éléments du carnet")
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["project", "step", "column", "position"]),
            models.Index(fields=["assignee", "column"]),
        ]

    def __str__(self) -> str:
        return self.title


class RetroCard(models.Model):
    """A card of a step's retrospective: what to keep, change or try. Members vote for cards;
    the actions the group chooses become items of the next step's backlog."""

    class Kind(models.TextChoices):
        GARDER = "garder", _("À garder")
        CHANGER = "changer", _("À changer")
        ESSAYER = "essayer", _("À essayer")

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="cards")
    kind = models.CharField(_("sorte"), max_length=20, choices=Kind)
    text = models.CharField(_("la carte"), max_length=500)
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voters = models.ManyToManyField(Person, blank=True, related_name="retro_votes")
    item = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="from_card",
        verbose_name=_("devenue l'élément"),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("carte de rétrospective")
        verbose_name_plural = _("cartes de rétrospective")
        ordering = ["step", "kind", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class Commitment(models.Model):
    """A shared means or skill of the mutualisation register committed to the project, with the
    booking made for it when the means is booked by slots."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="commitments")
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("offre")
    )
    purpose = models.CharField(_("pour quoi faire"), max_length=300)
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitment"
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("moyen engagé")
        verbose_name_plural = _("moyens engagés")
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.offer}"


class Notification(models.Model):
    """What concerns a member (assigned, mentioned, a review due), sent in the daily digest."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("On vous confie")
        MENTIONED = "mentioned", _("On parle de vous")
        REVIEW_DUE = "review-due", _("Revue d'étape à faire")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.CharField(max_length=500)
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person", "created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "person"])]

    def __str__(self) -> str:
        return self.text
