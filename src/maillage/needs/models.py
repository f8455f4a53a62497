"""The permanence: every need raised on the territory, its owner, its due date, its lifecycle."""

import re
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Dimension, Embedded, Thematique
from maillage.core.search import matching
from maillage.territory.models import Organisation

REFERENCE = re.compile(r"B-\d{4}-\d{5}", re.IGNORECASE)


def tracking_token() -> str:
    return secrets.token_urlsafe(24)


# A code short enough to read out or copy from paper, in letters and digits nobody confuses
# (no 0/O, 1/I/L): with its need's reference, it opens the tracking page.
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(8))


class ReferenceCounter(models.Model):
    """The last reference number given in a year (B-2026-00042), taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SharedNeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


class SharedNeed(models.Model):
    """The same need raised by several people or organisations: the seed of a project.

    Its title and description are public: they never carry personal data."""

    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description publique"), max_length=2000, blank=True)
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("dimension")
    )
    thematique = models.ForeignKey(
        Thematique, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("thématique")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")
    search_stems = models.TextField(editable=False, default="")

    objects = SharedNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin commun")
        verbose_name_plural = _("besoins communs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:shared", kwargs={"pk": self.pk})


class NeedQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Need.CLOSED_STATUSES)

    def overdue(self, *, now: datetime | None = None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def due_by_tonight(self, *, now: datetime | None = None):
        """Open needs whose answer is due before today ends (the overdue ones included)."""
        tomorrow = timezone.localdate(now) + timedelta(days=1)
        midnight = datetime.combine(tomorrow, time.min, tzinfo=timezone.get_current_timezone())
        return self.open().filter(due_at__lt=midnight)

    def by_due_date(self):
        """What is due first (overdue at the top), then the oldest, with what the desk shows."""
        return self.select_related("owner", "dimension", "organisation").order_by(
            "due_at", "created_at", "pk"
        )

    def for_queue(self):
        """Open needs by due date. Every open need has one (a constraint): saying so lets the
        database skip the closed needs, which have none, without reading them."""
        return self.open().filter(due_at__isnull=False).by_due_date()

    def search(self, text: str):
        """Find a need by its reference, or by every meaningful word of TEXT in any form."""
        if REFERENCE.fullmatch(text.strip()):
            return self.filter(reference__iexact=text.strip())
        return matching(self, text)


class Need(Embedded):
    """A need or a problem raised by an inhabitant or an organisation, followed to its end."""

    EMBED_AS_QUERY = True

    class Status(models.TextChoices):
        RECU = "recu", _("Reçu")
        QUALIFIE = "qualifie", _("Qualifié")
        ORIENTE = "oriente", _("Orienté")
        EN_ATELIER = "en-atelier", _("En atelier")
        EN_PROJET = "en-projet", _("En projet")
        RESOLU = "resolu", _("Résolu")
        CLOS = "clos", _("Clos")

    class Channel(models.TextChoices):
        EN_LIGNE = "en-ligne", _("En ligne")
        ACCUEIL = "accueil", _("Accueil")
        TELEPHONE = "telephone", _("Téléphone")
        COURRIEL = "courriel", _("Courriel")
        ATELIER = "atelier", _("Atelier")
        PARTENAIRE = "partenaire", _("Partenaire")

    class ClosureReason(models.TextChoices):
        HORS_CHAMP = "hors-champ", _("Hors du champ du laboratoire")
        DOUBLON = "doublon", _("Doublon d'un autre besoin")
        SANS_NOUVELLES = "sans-nouvelles", _("Sans nouvelles du demandeur")
        REORIENTE = "reoriente-ailleurs", _("Réorienté vers une autre structure")
        RETIRE = "retire", _("Le demandeur n'en a plus besoin")
        AUTRE = "autre", _("Autre raison")

    CLOSED_STATUSES = (Status.RESOLU, Status.CLOS)
    # Which status may follow which; anything else is refused with a clear message.
    TRANSITIONS = {
        Status.RECU: {Status.QUALIFIE, Status.CLOS},
        Status.QUALIFIE: {Status.ORIENTE, Status.EN_ATELIER, Status.EN_PROJET, Status.RESOLU,
                          Status.CLOS},
        Status.ORIENTE: {Status.QUALIFIE, Status.EN_ATELIER, Status.EN_PROJET, Status.RESOLU,
                         Status.CLOS},
        Status.EN_ATELIER: {Status.QUALIFIE, Status.ORIENTE, Status.EN_PROJET, Status.RESOLU,
                            Status.CLOS},
        Status.EN_PROJET: {Status.QUALIFIE, Status.ORIENTE, Status.EN_ATELIER, Status.RESOLU,
                           Status.CLOS},
        Status.RESOLU: {Status.QUALIFIE},  # reopened
        Status.CLOS: {Status.QUALIFIE},
    }  # fmt: skip

    reference = models.CharField(_("référence"), max_length=16, unique=True, editable=False)
    title = models.CharField(_("titre"), max_length=160, blank=True)
    description = models.TextField(_("le besoin, dans les mots du demandeur"), max_length=4000)
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("dimension")
    )
    thematique = models.ForeignKey(
        Thematique, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("thématique")
    )
    status = models.CharField(_("état"), max_length=20, choices=Status, default=Status.RECU)
    closure_reason = models.CharField(
        _("raison de la clôture"), max_length=30, choices=ClosureReason, blank=True
    )
    channel = models.CharField(_("canal"), max_length=20, choices=Channel, default=Channel.EN_LIGNE)

    # Who raised it: personal data, seen by facilitators only, erased after the retention delay.
    requester_name = models.CharField(_("nom du demandeur"), max_length=120, blank=True)
    requester_email = models.EmailField(_("courriel du demandeur"), blank=True)
    requester_phone = models.CharField(_("téléphone du demandeur"), max_length=20, blank=True)
    neighbourhood = models.CharField(_("quartier"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("au nom de la structure"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_needs",
        verbose_name=_("saisi par"),
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_needs",
        verbose_name=_("responsable"),
    )
    due_at = models.DateTimeField(_("prochaine réponse due le"), null=True, blank=True)
    # The promise made when the need came in (the first answer within N working days), kept as
    # it was made: the observatory counts the answers given on time against it.
    answer_promised_at = models.DateTimeField(
        _("première réponse promise pour le"), null=True, blank=True, editable=False
    )
    first_answered_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    # « En attente du demandeur » (a document, an answer): the clock stops. WAITING_REMAINING is
    # the time the team had left when it stopped; WAITED, all the time spent waiting so far,
    # which the observatory's delays leave out.
    waiting_since = models.DateTimeField(_("en attente du demandeur depuis"), null=True,
                                         blank=True)  # fmt: skip
    waiting_remaining = models.DurationField(null=True, blank=True, editable=False)
    waited = models.DurationField(_("temps d'attente du demandeur"), default=timedelta(0),
                                  editable=False)  # fmt: skip
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    shared_need = models.ForeignKey(
        SharedNeed,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("besoin commun"),
    )
    tracking_token = models.CharField(
        max_length=64, unique=True, default=tracking_token, editable=False
    )
    tracking_code = models.CharField(max_length=8, default=short_code, editable=False)
    search_text = models.TextField(editable=False, default="")
    search_stems = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["-created_at"]
        indexes = [
            # The queue walks needs by due date and stops after a page; with the status last, it
            # counts open or overdue needs from the index alone. Not a partial index on open
            # needs: SQLite cannot match its condition against bound query parameters.
            models.Index(fields=["due_at", "created_at", "id", "status"], name="needs_by_due_date"),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["embedded_at", "id"], name="needs_by_embedding_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="clos") | ~Q(closure_reason=""), name="closed_need_has_reason"
            ),
            # The guarantee: an open need always has a date for its next answer.
            models.CheckConstraint(
                condition=Q(status__in=["resolu", "clos"]) | Q(due_at__isnull=False),
                name="open_need_has_due_date",
            ),
            models.CheckConstraint(
                condition=Q(waiting_since__isnull=True) | ~Q(status__in=["resolu", "clos"]),
                name="only_open_needs_wait",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        words = self.description.split()
        if len(words) <= 12:
            return " ".join(words)
        return " ".join(words[:12]).rstrip(".,;:!?…") + "…"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_waiting(self) -> bool:
        return self.waiting_since is not None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    def embedding_text(self) -> str:
        return f"{self.title}. {self.description}" if self.title else self.description

    @property
    def tracking_code_display(self) -> str:
        return f"{self.tracking_code[:4]}-{self.tracking_code[4:]}"

    def tracking_url(self) -> str:
        return reverse("needs:tracking", kwargs={"token": self.tracking_token})

    def allowed_transitions(self) -> list[str]:
        """The states this need may move to, in the order of its life."""
        allowed = self.TRANSITIONS[self.Status(self.status)]
        return [status.value for status in self.Status if status in allowed]

    def next_status(self) -> str:
        """The state its life calls for next: the first allowed one after its own."""
        order = list(self.Status)
        later = [s for s in self.allowed_transitions() if order.index(s) > order.index(self.status)]
        return (later or self.allowed_transitions())[0]
