from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MutualisationConfig(AppConfig):
    name = "maillage.mutualisation"
    label = "mutualisation"
    verbose_name = _("Mutualisation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_search_indexes, sender=self)


def _ensure_search_indexes(sender, using="default", **kwargs) -> None:
    from maillage.core.search import ensure_indexed

    for table in ("mutualisation_offer",):
        ensure_indexed(table, using=using)
