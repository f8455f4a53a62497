from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "maillage.workshops"
    label = "workshops"
    verbose_name = _("Ateliers")

    def ready(self) -> None:
        from . import broadcast  # noqa: F401  (registers the rooms' live channel)
