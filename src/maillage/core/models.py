"""The socle: accounts and their roles, the method's reference lists, API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .phones import display_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMINISTRATEUR)
        return self._create_user(email, password, **extra)

    def team(self):
        """The lab's team, active: who may own a need, accompany or train (`is_facilitator`)."""
        return self.filter(
            models.Q(role__in=[User.Role.ANIMATEUR, User.Role.COORDINATEUR,
                               User.Role.ADMINISTRATEUR]) | models.Q(is_superuser=True),
            is_active=True,
        ).order_by("first_name", "last_name", "email")  # fmt: skip


class User(AbstractUser):
    """An account: people log in with their e-mail address, by a code or a password."""

    class Role(models.TextChoices):
        HABITANT = "habitant", _("Habitant")
        MEMBRE = "membre", _("Membre d'une structure")
        ANIMATEUR = "animateur", _("Animateur")
        COORDINATEUR = "coordinateur", _("Coordinateur")
        ADMINISTRATEUR = "administrateur", _("Administrateur")

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.HABITANT)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_facilitator(self) -> bool:
        """Facilitators, coordinators and administrators run the lab and see everything."""
        return self.is_superuser or self.role in {
            self.Role.ANIMATEUR,
            self.Role.COORDINATEUR,
            self.Role.ADMINISTRATEUR,
        }


class Dimension(models.Model):
    """One of the four dimensions of the territory's digital transformation."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Thematique(models.Model):
    """A theme under a dimension, mapped where one exists to a data·inclusion thématique."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="thematiques", verbose_name=_("dimension")
    )
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    data_inclusion_code = models.CharField(
        _("thématique data·inclusion"),
        max_length=120,
        blank=True,
        help_text=_("Code de la thématique data·inclusion v1 correspondante, s'il en existe une."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
        ordering = ["dimension__position", "position", "name"]

    def __str__(self) -> str:
        return self.name


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)

    def find(self, key: str) -> "ApiToken | None":
        return self.active().select_related("user").filter(key_hash=_hash_token(key)).first()


class ApiToken(models.Model):
    """A bearer token for the API; only its hash is stored, the key is shown once."""

    PREFIX = "mlg_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("libellé"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.label or self.created_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, *, user: User, label: str = "") -> tuple["ApiToken", str]:
        """Create a token for USER and return it with its clear key, which is never stored."""
        key = cls.PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=_hash_token(key), label=label), key


class CalendarFeed(models.Model):
    """The secret address a team member's calendar app subscribes to: it reads their agenda
    and nothing else (no API, no page). Only its hash is kept: the address is shown once."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_read_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnement d'agenda")
        verbose_name_plural = _("abonnements d'agenda")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def issue(cls, *, user: User) -> tuple["CalendarFeed", str]:
        """A new address for USER (the former one is gone) and its clear key, never stored."""
        key = secrets.token_urlsafe(32)
        cls.objects.filter(user=user).delete()
        return cls.objects.create(user=user, key_hash=_hash_token(key)), key

    @classmethod
    def find(cls, key: str) -> "CalendarFeed | None":
        found = cls.objects.select_related("user")
        return found.filter(key_hash=_hash_token(key[:100]), user__is_active=True).first()


class JournalEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def about(self, obj: models.Model):
        return self.filter(
            subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk
        ).select_related("actor", "subject_type")


class JournalEntry(models.Model):
    """One line of the journal of what happened: who did what to which record, and when.

    Written by service functions in the same transaction as the change it records.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="journal_entries"
    )
    verb = models.SlugField(_("action"), max_length=60)
    message = models.TextField(_("message"), blank=True)
    # Shown to the person the record concerns (a need's requester), not only to the team.
    is_public = models.BooleanField(_("visible du demandeur"), default=False)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"

    @property
    def label(self) -> str:
        from .journal import VERB_LABELS

        return str(VERB_LABELS.get(self.verb, self.verb))

    @property
    def changed_fields(self) -> list[str]:
        """Name the fields a change touched as people read them (« commune », not « city »)."""
        model = self.subject_type.model_class()
        names = []
        for name in self.data.get("changes", {}):
            try:
                names.append(str(model._meta.get_field(name).verbose_name))
            except (AttributeError, LookupError):
                names.append(name)
        return names


class WorkerHeartbeat(models.Model):
    """That a task worker is alive: it beats every few seconds. The tasks of a worker that
    stopped beating are taken up again (core/housekeeping.py), and /readyz says when none
    beats."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%H:%M:%S}"


class ScheduledRun(models.Model):
    """That a daily job was enqueued on a day: the unique pair makes it happen once."""

    name = models.CharField(max_length=100)
    day = models.DateField()
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="one_run_per_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


class Embedded(models.Model):
    """A record matched by meaning: the vector of its text (see `core.semantic`), written in the
    background by the `embed` task after each change of the text."""

    embedding = models.BinaryField(null=True, editable=False)
    # Indexed with the id by each model: `core.vectors` reads what was embedded since (at, id).
    embedded_at = models.DateTimeField(null=True, editable=False)

    # e5 reads a question, or a text compared with its peers, as a query; an answer as a passage.
    EMBED_AS_QUERY = False

    class Meta:
        abstract = True

    def embedding_text(self) -> str:
        raise NotImplementedError


class IdempotencyKey(models.Model):
    """A write done once under a key its sender chose (see `core.idempotency`), and the answer
    it gave, which the same key gets again."""

    scope = models.CharField(max_length=100)  # whose key: a token's account, an address, a browser
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # the request answered, as sent
    status = models.PositiveSmallIntegerField(default=0)
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class EmailQuerySet(models.QuerySet):
    def about(self, obj: models.Model):
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)

    def unsent(self):
        return self.filter(sent_at__isnull=True)


class Email(models.Model):
    """An e-mail in the outbox (see `core.outbox`): what to send, to whom, about what, and
    whether it went. Kept a few days after it is sent, erased with what it is about."""

    key = models.CharField(max_length=200, unique=True)  # the intent: one e-mail per key
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte"))
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    retry_at = models.DateTimeField(null=True, blank=True)  # when the sweep sends it, if unsent
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["about_type", "about_id"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class TextMessageQuerySet(models.QuerySet):
    def about(self, obj: models.Model):
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)

    def unsent(self):
        return self.filter(sent_at__isnull=True, skipped_at__isnull=True)


class TextMessage(models.Model):
    """A text message (SMS) in its outbox (see `core.texts`), for people without e-mail."""

    key = models.CharField(max_length=200, unique=True)  # the intent: one message per key
    to = models.CharField(_("destinataire"), max_length=20)  # E.164
    body = models.TextField(_("texte"), max_length=640)
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("écrit le"), default=timezone.now)
    send_after = models.DateTimeField(_("à envoyer à partir de"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)  # when the sweep sends it, if unsent
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True, db_index=True)
    skipped_at = models.DateTimeField(_("pas envoyé le"), null=True, blank=True)  # opted out
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = TextMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("SMS")
        verbose_name_plural = _("SMS")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["about_type", "about_id"]),
                   models.Index(fields=["sent_at", "send_after"])]  # fmt: skip

    def __str__(self) -> str:
        return f"SMS → {self.to}"


class TextOptOut(models.Model):
    """A phone number that asked for no more text messages: nothing is sent to it again."""

    phone = models.CharField(_("numéro"), max_length=20, unique=True)  # E.164
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)
    why = models.CharField(_("comment"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("refus de SMS")
        verbose_name_plural = _("refus de SMS")

    def __str__(self) -> str:
        return self.phone

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)
