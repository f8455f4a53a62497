from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormationConfig(AppConfig):
    name = "maillage.formation"
    label = "formation"
    verbose_name = _("Formation")
