from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """An activity report as it was filed (see `reports.py`)."""

    label = models.CharField(_("période"), max_length=7, unique=True)  # 2026-10, or 2026
    pdf = models.BinaryField(_("le PDF"))
    generated_at = models.DateTimeField(_("produit le"))

    class Meta:
        verbose_name = _("rapport d'activité")
        verbose_name_plural = _("rapports d'activité")
        ordering = ["-label"]

    def __str__(self) -> str:
        return self.label


class ImportJob(models.Model):
    """A data·inclusion file sent to be imported, as the worker takes it up (see `imports.py`):
    waiting, read (and checked, row by row), written in one transaction, then done with its
    report — or refused (unreadable), stopped by the one who sent it, or failed."""

    class State(models.TextChoices):
        WAITING = "attente", _("En attente")
        READING = "lecture", _("Lecture du fichier")
        WRITING = "ecriture", _("Enregistrement")
        DONE = "fini", _("Terminé")
        REFUSED = "refuse", _("Refusé")
        CANCELLED = "arrete", _("Arrêté")
        FAILED = "echec", _("Échec")

    class Kind(models.TextChoices):
        STRUCTURES = "structures", _("des structures")
        SERVICES = "services", _("des services")

    RUNNING = (State.WAITING, State.READING, State.WRITING)

    kind = models.CharField(_("contenu"), max_length=20, choices=Kind)
    file = models.FileField(_("fichier"), upload_to="imports/", blank=True)
    name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    dry_run = models.BooleanField(_("essai sans rien enregistrer"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(_("état"), max_length=10, choices=State, default=State.WAITING)
    read_share = models.FloatField(_("part du fichier lue"), default=0.0)
    stop_asked = models.BooleanField(_("arrêt demandé"), default=False)
    report = models.JSONField(_("bilan"), default=dict, blank=True)
    rejected = models.FileField(_("lignes refusées (CSV)"), upload_to="imports/", blank=True)
    error = models.TextField(_("pourquoi"), blank=True)
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("fini le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING

    @property
    def percent(self) -> int:
        return round(self.read_share * 100)
