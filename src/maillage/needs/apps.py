from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "maillage.needs"
    label = "needs"
    verbose_name = _("Permanence")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_search_indexes, sender=self)


def _ensure_search_indexes(sender, using="default", **kwargs) -> None:
    from maillage.core.search import ensure_indexed

    for table in ("needs_need", "needs_sharedneed"):
        ensure_indexed(table, using=using)
