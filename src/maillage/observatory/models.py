from django.db import models
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
