from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "maillage.workshops"
    label = "workshops"
    verbose_name = _("Ateliers")

    def ready(self) -> None:
        # The rooms' live channel, and the phones' requests the lane answers.
        from . import broadcast, lane  # noqa: F401
