"""Open Badges 2.0 assertions: a completed path's badge, with hosted verification."""

import uuid

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .trainings import Registration, TrainingPath


class Assertion(models.Model):
    """The badge of PATH, awarded to whoever attended a session of it. The recipient is kept
    as Open Badges asks: their e-mail address hashed with a salt (their name for the pages)."""

    # The assertion's stable address: a random key, so that badges cannot be counted.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    path = models.ForeignKey(TrainingPath, on_delete=models.PROTECT, related_name="assertions",
                             verbose_name=_("parcours"))  # fmt: skip
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT,
                                        related_name="assertion")  # fmt: skip
    recipient_name = models.CharField(_("titulaire"), max_length=120)
    salt = models.CharField(max_length=64)
    identity = models.CharField(max_length=80)  # sha256$<hex of sha256(email + salt)>
    issued_on = models.DateTimeField(_("délivré le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revocation_reason = models.CharField(_("raison de la révocation"), max_length=200,
                                         blank=True)  # fmt: skip

    class Meta:
        verbose_name = _("badge délivré")
        verbose_name_plural = _("badges délivrés")
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"{self.path} — {self.recipient_name}"

    def get_absolute_url(self) -> str:
        return reverse("formation:assertion-page", kwargs={"key": self.key})
